//! `ListQuery` <-> URL query string, so that a link reproduces a view of the list.
//!
//! Parameters: `q` (search), `status`, `system`, `entity` (repeatable filters), `sort`
//! (`id`, `name`, `status`, `system`, `last_run`; a leading `-` sorts descending),
//! `favourites=true` (only the user's favourites), `last_run_failed=true` (only services whose
//! latest run failed), `page` (1-based) and
//! `per_page` (one of [`PAGE_SIZES`]). Defaults are left out. Reading is forgiving: unknown
//! parameters, malformed values and repeats of single-valued parameters are ignored.

use crate::query::{ListQuery, Page, Sort, SortDirection, SortKey, PAGE_SIZES};
use crate::service::Status;

impl ListQuery {
    /// The query string (without a leading `?`); empty for the default view.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.search.is_empty() {
            out.append_pair("q", &self.search);
        }
        for status in &self.statuses {
            out.append_pair("status", status.as_str());
        }
        for system in self.source_systems.iter().filter(|s| !s.is_empty()) {
            out.append_pair("system", system);
        }
        for entity in self.source_entities.iter().filter(|s| !s.is_empty()) {
            out.append_pair("entity", entity);
        }
        if self.favourites {
            out.append_pair("favourites", "true");
        }
        if self.last_run_failed {
            out.append_pair("last_run_failed", "true");
        }
        if self.sort != Sort::default() {
            let sign = match self.sort.direction {
                SortDirection::Ascending => "",
                SortDirection::Descending => "-",
            };
            out.append_pair("sort", &format!("{sign}{}", self.sort.key.as_str()));
        }
        if self.page.number > 1 {
            out.append_pair("page", &self.page.number.to_string());
        }
        if self.page.size != Page::default().size {
            out.append_pair("per_page", &self.page.size.to_string());
        }
        out.finish()
    }

    /// Reads a query string (with or without a leading `?`). Never fails: what it can't
    /// understand it leaves at the default.
    pub fn from_query(query: &str) -> ListQuery {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut result = ListQuery::default();
        let mut seen_q = false;
        let mut seen_sort = false;
        let mut seen_page = false;
        let mut seen_per_page = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "q" if !seen_q => {
                    seen_q = true;
                    result.search = value.into_owned();
                }
                "status" => {
                    if let Some(status) = Status::parse(&value) {
                        result.statuses.insert(status);
                    }
                }
                "system" if !value.is_empty() => {
                    result.source_systems.insert(value.into_owned());
                }
                "entity" if !value.is_empty() => {
                    result.source_entities.insert(value.into_owned());
                }
                "favourites" => {
                    if value == "true" {
                        result.favourites = true;
                    }
                }
                "last_run_failed" => {
                    if value == "true" {
                        result.last_run_failed = true;
                    }
                }
                "sort" if !seen_sort => {
                    seen_sort = true;
                    if let Some(sort) = parse_sort(&value) {
                        result.sort = sort;
                    }
                }
                "page" if !seen_page => {
                    seen_page = true;
                    if let Ok(n @ 1..) = value.parse::<u32>() {
                        result.page.number = n;
                    }
                }
                "per_page" if !seen_per_page => {
                    seen_per_page = true;
                    if let Ok(n) = value.parse::<u32>() {
                        if PAGE_SIZES.contains(&n) {
                            result.page.size = n;
                        }
                    }
                }
                _ => {}
            }
        }
        result
    }
}

fn parse_sort(text: &str) -> Option<Sort> {
    let (direction, key) = match text.strip_prefix('-') {
        Some(key) => (SortDirection::Descending, key),
        None => (SortDirection::Ascending, text),
    };
    SortKey::parse(key).map(|key| Sort { key, direction })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_query_is_empty() {
        assert_eq!(ListQuery::default().to_query(), "");
        assert_eq!(ListQuery::from_query(""), ListQuery::default());
        assert_eq!(ListQuery::from_query("?"), ListQuery::default());
    }

    #[test]
    fn writes_every_part() {
        let q = ListQuery {
            search: "orders & more".into(),
            statuses: [Status::Active].into(),
            source_systems: ["Shopify / Shopify+".to_string(), "NetSuite".to_string()].into(),
            source_entities: ["stock".to_string()].into(),
            favourites: true,
            last_run_failed: true,
            sort: Sort {
                key: SortKey::SourceSystem,
                direction: SortDirection::Descending,
            },
            page: Page {
                number: 3,
                size: 100,
            },
        };
        let text = q.to_query();
        assert_eq!(
            text,
            "q=orders+%26+more&status=active&system=NetSuite&system=Shopify+%2F+Shopify%2B\
             &entity=stock&favourites=true&last_run_failed=true&sort=-system&page=3&per_page=100"
        );
        assert_eq!(ListQuery::from_query(&text), q);
        assert_eq!(ListQuery::from_query(&format!("?{text}")), q);
    }

    #[test]
    fn ignores_unknown_repeated_and_malformed_parameters() {
        let q = ListQuery::from_query(
            "q=first&q=second&status=ACTIVE&status=paused&status=inactive&sort=bogus&sort=name\
             &page=0&page=2&per_page=33&colour=red&%FF=%FE&system=&entity=orders&entity=orders&&=&page",
        );
        assert_eq!(q.search, "first");
        assert_eq!(q.statuses, [Status::Inactive].into());
        assert_eq!(
            q.sort,
            Sort::default(),
            "the first sort was malformed; repeats are ignored"
        );
        assert_eq!(
            q.page,
            Page::default(),
            "page=0 is malformed; repeats are ignored"
        );
        assert!(q.source_systems.is_empty());
        assert_eq!(q.source_entities, ["orders".to_string()].into());
    }

    #[test]
    fn huge_and_negative_numbers_are_ignored() {
        let q = ListQuery::from_query("page=99999999999999999999&per_page=-50");
        assert_eq!(q.page, Page::default());
        let q = ListQuery::from_query("page=-1");
        assert_eq!(q.page.number, 1);
    }
}
