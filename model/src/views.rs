//! Favourites and saved views: per user, stored by the server. A saved view is a name and the
//! list URL's query string (group, search, filters, sort), which is what a link to it is.

use crate::rules::{check_text, TextError, VIEW_NAME_MAX_CHARS, VIEW_QUERY_MAX_CHARS};
use serde::{Deserialize, Serialize};

/// `GET /favourites`: the ids of the services the caller starred, in their company.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FavouriteList {
    pub ids: Vec<u64>,
}

/// A named view of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedView {
    pub id: u64,
    pub name: String,
    /// The list URL's query string without `?`, e.g. `group=1&q=shopify&sort=-name`.
    pub query: String,
    pub created_at: String,
}

/// `GET /views`: the caller's views, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewList {
    pub items: Vec<SavedView>,
}

/// `POST /views`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewView {
    /// 1–80 characters, not only white space, no control characters; trimmed; unique per user.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::view_name))]
    pub name: String,
    /// Up to 2,000 characters of query string, no control characters.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::rules::schema::view_query))]
    pub query: String,
}

/// A view's name, trimmed, or why not.
pub fn check_view_name(name: &str) -> Result<String, String> {
    match check_text(name, VIEW_NAME_MAX_CHARS) {
        Ok(trimmed) => Ok(trimmed.to_string()),
        Err(TextError::Blank) => Err("Give the view a name.".into()),
        Err(TextError::TooLong(n)) => Err(format!(
            "A view's name can have at most {VIEW_NAME_MAX_CHARS} characters; this one has {n}."
        )),
        Err(TextError::Control) => {
            Err("A view's name can't contain control characters such as line breaks.".into())
        }
    }
}

/// A view's query string, without a leading `?`, or why not.
pub fn check_view_query(query: &str) -> Result<String, String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.chars().count() > VIEW_QUERY_MAX_CHARS {
        return Err(format!(
            "A view's query can have at most {VIEW_QUERY_MAX_CHARS} characters."
        ));
    }
    if query.chars().any(char::is_control) {
        return Err("A view's query can't contain control characters.".into());
    }
    Ok(query.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            check_view_name("  Failing Shopify ").unwrap(),
            "Failing Shopify"
        );
        assert!(check_view_name(" ").unwrap_err().contains("name"));
        assert!(check_view_name(&"v".repeat(81)).unwrap_err().contains("81"));
        assert!(check_view_name("a\nb").is_err());
        assert_eq!(check_view_name(&"v".repeat(80)).unwrap().len(), 80);
    }

    #[test]
    fn queries_are_bounded_query_strings() {
        assert_eq!(check_view_query("?group=1&q=x").unwrap(), "group=1&q=x");
        assert_eq!(check_view_query("").unwrap(), "");
        assert!(check_view_query(&"a".repeat(2001)).is_err());
        assert!(check_view_query("q=\u{7}").is_err());
    }
}
