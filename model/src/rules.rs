//! The rules every API request is checked against. Each limit is declared once, here: the
//! server validates with these constants and functions, and (feature `openapi`) the OpenAPI
//! document's schemas are built from the same constants, so the two cannot drift.

/// The largest id (SQLite's largest integer).
pub const MAX_ID: u64 = i64::MAX as u64;

/// A service name: 1–120 characters, not only white space, no control characters.
pub const NAME_MAX_CHARS: usize = 120;
/// A service's notes: up to 10,000 characters; tab and line breaks are the only control
/// characters allowed.
pub const NOTES_MAX_CHARS: usize = 10_000;

/// A manual run may be limited to this many record ids, each 1–64 characters, not only white
/// space, no control characters.
pub const RECORD_IDS_MAX: usize = 500;
pub const RECORD_ID_MAX_CHARS: usize = 64;
/// Records per page a manual run pulls: 1–1000.
pub const RUN_PAGE_SIZE_MAX: u32 = 1000;
/// `Idempotency-Key`: 1–255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// `limit` of the services list: 1–1000; `offset` up to 10,000,000.
pub const LIST_LIMIT_MAX: u64 = 1000;
pub const LIST_OFFSET_MAX: u64 = 10_000_000;
/// `limit` of a run's log: 1–500, 200 by default.
pub const LOG_LIMIT_MAX: u32 = 500;
pub const LOG_LIMIT_DEFAULT: u32 = 200;

/// The most a search may hold: characters, and words of up to 64 characters (each word is
/// matched against every service).
pub const SEARCH_MAX_CHARS: usize = 200;
pub const SEARCH_MAX_WORDS: usize = 8;
pub const SEARCH_WORD_MAX_CHARS: usize = 64;
/// The most values one filter (`system`, `entity`) may list, and their length.
pub const FILTER_MAX_VALUES: usize = 50;
pub const FILTER_VALUE_MAX_CHARS: usize = 100;

/// A bulk request (`POST /services/bulk`) names 1–500 services.
pub const BULK_MAX_IDS: usize = 500;
/// A saved view: a name of 1–80 characters (the text rule), unique per user; the list's query
/// string, up to 2,000 characters; at most 100 views a user.
pub const VIEW_NAME_MAX_CHARS: usize = 80;
pub const VIEW_QUERY_MAX_CHARS: usize = 2000;
pub const VIEWS_MAX: usize = 100;

/// Control characters (Unicode `Cc`, what `char::is_control` means), as a regex class body.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";
/// White space that is not a control character (the rest of what `char::is_whitespace` means).
const SPACE: &str = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text with no control characters and at least one character that is not white space: the
/// JSON-schema pattern of [`check_text`].
pub fn text_pattern() -> String {
    format!("^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$")
}

/// Notes: no control characters but tab, line feed and carriage return.
pub fn notes_pattern() -> String {
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$".to_string()
}

/// A search: at most 8 words (runs of characters that are not white space) of up to 64
/// characters each, and no NUL.
pub fn search_pattern() -> String {
    let space = format!(r"\t\n\u000b\f\r\u0085{SPACE}");
    format!(
        "^[{space}]*(?:[^{space}\\u0000]{{1,{SEARCH_WORD_MAX_CHARS}}}(?:[{space}]+|$)){{0,{SEARCH_MAX_WORDS}}}$"
    )
}

/// NUL (U+0000) is refused in searches and filter values: no service holds one, and neither
/// store takes it in a query (SQLite's full-text syntax ends at it; PostgreSQL text can't hold it).
pub const NUL_REFUSED: &str = "The {what} can't contain a NUL character (U+0000).";

/// Checks a filter value (`system`, `entity`): at most [`FILTER_VALUE_MAX_CHARS`], no NUL.
pub fn check_filter_value(name: &str, value: &str) -> Result<(), String> {
    if value.contains('\0') {
        return Err(NUL_REFUSED.replace("{what}", &format!("{name} filter")));
    }
    if value.chars().count() > FILTER_VALUE_MAX_CHARS {
        let start: String = value
            .chars()
            .take(60)
            .flat_map(char::escape_debug)
            .collect();
        return Err(format!(
            "A {name} filter value can have at most {FILTER_VALUE_MAX_CHARS} characters, not \"{start}…\"."
        ));
    }
    Ok(())
}

/// Checks a search (`q`): at most [`SEARCH_MAX_CHARS`] characters and [`SEARCH_MAX_WORDS`]
/// words of up to [`SEARCH_WORD_MAX_CHARS`]; the error says which.
pub fn check_search(search: &str) -> Result<(), String> {
    if search.contains('\0') {
        return Err(NUL_REFUSED.replace("{what}", "search"));
    }
    let chars = search.chars().count();
    if chars > SEARCH_MAX_CHARS {
        return Err(format!(
            "The search can have at most {SEARCH_MAX_CHARS} characters; it has {chars}."
        ));
    }
    let words = search.split_whitespace().count();
    if words > SEARCH_MAX_WORDS {
        return Err(format!(
            "The search can have at most {SEARCH_MAX_WORDS} words; it has {words}."
        ));
    }
    if let Some(long) = search
        .split_whitespace()
        .find(|w| w.chars().count() > SEARCH_WORD_MAX_CHARS)
    {
        let start: String = long.chars().take(60).flat_map(char::escape_debug).collect();
        return Err(format!(
            "A search word can have at most {SEARCH_WORD_MAX_CHARS} characters, not \"{start}…\"."
        ));
    }
    Ok(())
}

/// A filter value: anything but NUL.
pub fn filter_value_pattern() -> String {
    r"^[^\u0000]*$".to_string()
}

/// Checks a name or record id: 1–`max` characters, not only white space, no control
/// characters; the text trimmed.
pub fn check_text(text: &str, max: usize) -> Result<&str, TextError> {
    let length = text.chars().count();
    if length > max {
        return Err(TextError::TooLong(length));
    }
    if text.chars().any(char::is_control) {
        return Err(TextError::Control);
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(TextError::Blank);
    }
    Ok(trimmed)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Longer than allowed: the length.
    TooLong(usize),
    Blank,
    Control,
}

/// Notes: at most [`NOTES_MAX_CHARS`], no control characters but tab and line breaks.
pub fn check_notes(notes: &str) -> Result<(), String> {
    let length = notes.chars().count();
    if length > NOTES_MAX_CHARS {
        return Err(format!(
            "Notes can have at most {NOTES_MAX_CHARS} characters; these have {length}."
        ));
    }
    if notes
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("Notes can't contain control characters.".into());
    }
    Ok(())
}

/// A visible-ASCII `Idempotency-Key` of 1–255 characters.
pub fn idempotency_key_ok(key: &str) -> bool {
    (1..=IDEMPOTENCY_KEY_MAX).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Whole numbers in request bodies as JSON Schema counts them: `2` and `2.0` are the same
/// integer (serde alone refuses `2.0` for an integer field).
pub mod whole {
    use serde::{de, Deserialize, Deserializer};

    fn from_f64<E: de::Error>(value: f64, max: u64) -> Result<u64, E> {
        if value.fract() == 0.0 && value >= 0.0 && value <= max as f64 {
            Ok(value as u64)
        } else {
            Err(E::custom(format!(
                "expected a whole number from 0 to {max}, found {value}"
            )))
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Whole(u64),
        Negative(i64),
        Float(f64),
    }

    fn number<'de, D: Deserializer<'de>>(
        deserializer: D,
        max: u64,
    ) -> Result<Option<u64>, D::Error> {
        match Option::<Number>::deserialize(deserializer)? {
            None => Ok(None),
            Some(Number::Whole(n)) if n <= max => Ok(Some(n)),
            Some(Number::Whole(n)) => Err(de::Error::custom(format!(
                "expected a whole number from 0 to {max}, found {n}"
            ))),
            Some(Number::Negative(n)) => Err(de::Error::custom(format!(
                "expected a whole number from 0 to {max}, found {n}"
            ))),
            Some(Number::Float(f)) => from_f64(f, max).map(Some),
        }
    }

    /// An optional `u64` field (`#[serde(default, deserialize_with = "…")]`).
    pub fn option_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        number(d, u64::MAX)
    }

    /// A list of ids (`u64`, up to [`super::MAX_ID`]), each possibly written as `7.0`.
    pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
        struct Id(u64);
        impl<'de> Deserialize<'de> for Id {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
                match number(d, super::MAX_ID)? {
                    Some(n) => Ok(Id(n)),
                    None => Err(de::Error::custom("expected an id, found null")),
                }
            }
        }
        Ok(Vec::<Id>::deserialize(d)?
            .into_iter()
            .map(|i| i.0)
            .collect())
    }

    /// An optional `u32` field.
    pub fn option_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        number(d, u64::from(u32::MAX)).map(|n| n.map(|n| n as u32))
    }
}

/// The JSON schemas of the rules above, for the OpenAPI document.
#[cfg(feature = "openapi")]
pub mod schema {
    use super::*;
    use utoipa::openapi::schema::{
        ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type,
    };
    use utoipa::openapi::{RefOr, Schema};

    /// The same schema, also allowing `null` (which means: unchanged, or none).
    fn or_null(schema: ObjectBuilder, kind: Type) -> Schema {
        schema
            .schema_type(SchemaType::from_iter([kind, Type::Null]))
            .into()
    }

    fn string(min: usize, max: usize, pattern: String) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(min))
            .max_length(Some(max))
            .pattern(Some(pattern))
    }

    fn integer(min: u64, max: u64) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(min as f64))
            .maximum(Some(max as f64))
    }

    /// An id: a whole number from 0 (no such thing: 404) to [`MAX_ID`].
    pub fn id() -> Schema {
        integer(0, MAX_ID).into()
    }

    /// A notification group id, or `null` for none.
    pub fn id_or_null() -> Schema {
        or_null(integer(0, MAX_ID), Type::Integer)
    }

    /// A new service name, or `null` to keep it.
    pub fn name_or_null() -> Schema {
        or_null(string(1, NAME_MAX_CHARS, text_pattern()), Type::String)
    }

    /// New notes, or `null` to keep them.
    pub fn notes_or_null() -> Schema {
        or_null(
            ObjectBuilder::new()
                .max_length(Some(NOTES_MAX_CHARS))
                .pattern(Some(notes_pattern())),
            Type::String,
        )
    }

    pub fn record_ids() -> Schema {
        ArrayBuilder::new()
            .items(RefOr::T(
                string(1, RECORD_ID_MAX_CHARS, text_pattern()).into(),
            ))
            .max_items(Some(RECORD_IDS_MAX))
            .into()
    }

    /// Records per page, or `null` for the default.
    pub fn run_page_size_or_null() -> Schema {
        or_null(integer(1, u64::from(RUN_PAGE_SIZE_MAX)), Type::Integer)
    }

    pub fn idempotency_key() -> Schema {
        string(1, IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_PATTERN.to_string()).into()
    }

    /// A bulk request's ids: 1–500 ids.
    pub fn bulk_ids() -> Schema {
        ArrayBuilder::new()
            .items(RefOr::T(integer(0, MAX_ID).into()))
            .min_items(Some(1))
            .max_items(Some(BULK_MAX_IDS))
            .into()
    }

    pub fn view_name() -> Schema {
        string(1, VIEW_NAME_MAX_CHARS, text_pattern()).into()
    }

    pub fn view_query() -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(VIEW_QUERY_MAX_CHARS))
            .pattern(Some(format!("^[^{CONTROL}]*$")))
            .into()
    }

    pub fn list_limit() -> Schema {
        integer(1, LIST_LIMIT_MAX).into()
    }

    pub fn list_offset() -> Schema {
        integer(0, LIST_OFFSET_MAX).into()
    }

    pub fn log_limit() -> Schema {
        integer(1, u64::from(LOG_LIMIT_MAX))
            .default(Some(LOG_LIMIT_DEFAULT.into()))
            .into()
    }

    pub fn log_after() -> Schema {
        integer(0, MAX_ID).default(Some(0.into())).into()
    }

    pub fn search() -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(SEARCH_MAX_CHARS))
            .pattern(Some(search_pattern()))
            .into()
    }

    /// A repeatable filter (`system`, `entity`): up to 50 values of up to 100 characters.
    pub fn filter_values() -> Schema {
        ArrayBuilder::new()
            .items(RefOr::T(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(FILTER_VALUE_MAX_CHARS))
                    .pattern(Some(filter_value_pattern()))
                    .into(),
            ))
            .max_items(Some(FILTER_MAX_VALUES))
            .into()
    }

    /// `sort`: a key, with a leading `-` for descending.
    pub fn sort() -> Schema {
        let keys = crate::query::SortKey::ALL.map(|k| k.as_str());
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(
                keys.iter()
                    .map(|k| k.to_string())
                    .chain(keys.iter().map(|k| format!("-{k}"))),
            ))
            .default(Some("id".into()))
            .into()
    }

    pub fn date_time() -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text drawn to hit the edges: spaces of every kind, control characters, letters.
    fn edgy_text(max: usize) -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just(' '),
            Just('\t'),
            Just('\n'),
            Just('\u{85}'),
            Just('\u{a0}'),
            Just('\u{3000}'),
            Just('\u{feff}'),
            Just('\u{0}'),
            Just('\u{7f}'),
            Just('a'),
            Just('ä'),
            any::<char>(),
        ];
        prop::collection::vec(pieces, 0..max).prop_map(|c| c.into_iter().collect())
    }

    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(text)
    }

    proptest! {
        /// The documented pattern and length say exactly what `check_text` accepts.
        #[test]
        fn the_text_pattern_is_the_text_check(text in edgy_text(14)) {
            let length = text.chars().count();
            let documented = (1..=12).contains(&length) && matches(&text_pattern(), &text);
            prop_assert_eq!(documented, check_text(&text, 12).is_ok(), "{:?}", text);
        }

        #[test]
        fn the_filter_pattern_is_the_filter_check(text in edgy_text(110)) {
            let documented = text.chars().count() <= FILTER_VALUE_MAX_CHARS
                && matches(&filter_value_pattern(), &text);
            prop_assert_eq!(documented, check_filter_value("system", &text).is_ok(), "{:?}", text);
        }

        #[test]
        fn the_notes_pattern_is_the_notes_check(text in edgy_text(20)) {
            prop_assert_eq!(matches(&notes_pattern(), &text), check_notes(&text).is_ok(), "{:?}", text);
        }

        /// The search pattern with its length says exactly what `check_search` accepts.
        #[test]
        fn the_search_pattern_is_the_search_check(
            words in prop::collection::vec((edgy_text(70), 1..3usize), 0..11)
        ) {
            let text: String = words
                .iter()
                .map(|(w, gap)| format!("{w}{}", " ".repeat(*gap)))
                .collect();
            let documented = text.chars().count() <= SEARCH_MAX_CHARS && matches(&search_pattern(), &text);
            prop_assert_eq!(documented, check_search(&text).is_ok(), "{:?}", text);
        }
    }

    #[test]
    fn text_is_trimmed_limited_and_free_of_control_characters() {
        assert_eq!(check_text("  Orders sync ", 120), Ok("Orders sync"));
        assert_eq!(check_text("   ", 120), Err(TextError::Blank));
        assert_eq!(check_text("", 120), Err(TextError::Blank));
        assert_eq!(check_text("\u{3000}", 120), Err(TextError::Blank));
        assert_eq!(
            check_text(&"ä".repeat(120), 120).unwrap().chars().count(),
            120
        );
        assert_eq!(
            check_text(&"ä".repeat(121), 120),
            Err(TextError::TooLong(121))
        );
        // The limit is on the text as sent, spaces included.
        assert_eq!(
            check_text(&format!(" {}", "a".repeat(120)), 120),
            Err(TextError::TooLong(121))
        );
        assert_eq!(check_text("a\tb", 120), Err(TextError::Control));
        assert_eq!(check_text("a\u{85}", 120), Err(TextError::Control));
    }

    #[test]
    fn notes_allow_line_breaks_but_no_other_control_characters() {
        assert!(check_notes("line\nnext\r\n\ttabbed").is_ok());
        assert!(check_notes("").is_ok());
        assert!(check_notes("bell\u{7}").is_err());
        assert!(check_notes(&"n".repeat(NOTES_MAX_CHARS)).is_ok());
        assert!(check_notes(&"n".repeat(NOTES_MAX_CHARS + 1))
            .unwrap_err()
            .contains("10001"));
    }

    #[test]
    fn whole_numbers_may_be_written_as_floats() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            #[serde(default, deserialize_with = "whole::option_u32")]
            size: Option<u32>,
        }
        let size = |json: &str| serde_json::from_str::<Body>(json).map(|b| b.size);
        assert_eq!(size(r#"{"size": 5}"#).unwrap(), Some(5));
        assert_eq!(size(r#"{"size": 5.0}"#).unwrap(), Some(5));
        assert_eq!(size(r#"{"size": null}"#).unwrap(), None);
        assert_eq!(size("{}").unwrap(), None);
        for bad in ["5.5", "-1", "4294967296", "1e300", "\"5\"", "true"] {
            assert!(size(&format!(r#"{{"size": {bad}}}"#)).is_err(), "{bad}");
        }
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(idempotency_key_ok("a"));
        assert!(idempotency_key_ok(&"~".repeat(255)));
        assert!(!idempotency_key_ok(""));
        assert!(!idempotency_key_ok(&"a".repeat(256)));
        assert!(!idempotency_key_ok("a b"));
        assert!(!idempotency_key_ok("é"));
    }
}
