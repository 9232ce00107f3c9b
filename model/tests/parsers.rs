//! Fuzzing the parsers that read client text (proptest): cron expressions and RFC 3339 times
//! never panic, and what they accept behaves.

use proptest::prelude::*;
use services_model::{parse_rfc3339, Cron, ListQuery, Trigger};

/// Text made of what cron expressions are made of, plus some trouble.
fn cronish() -> impl Strategy<Value = String> {
    let field = prop::collection::vec(
        prop_oneof![
            Just("*".to_string()),
            (0u32..70).prop_map(|n| n.to_string()),
            Just("-".to_string()),
            Just("/".to_string()),
            Just(",".to_string()),
            Just("L".to_string()),
            Just("W".to_string()),
            Just("#".to_string()),
            Just("?".to_string()),
            Just("MON".to_string()),
            Just("sun".to_string()),
            Just("JAN".to_string()),
            Just("é".to_string()),
            Just("\u{1F600}".to_string()),
            Just("+".to_string()),
            Just("@daily".to_string()),
        ],
        1..5,
    )
    .prop_map(|parts| parts.concat());
    prop::collection::vec(field, 0..8).prop_map(|fields| fields.join(" "))
}

fn valid_cron() -> impl Strategy<Value = String> {
    let part = |max: u32| {
        prop_oneof![
            Just("*".to_string()),
            (0..=max).prop_map(|n| n.to_string()),
            (1..=max).prop_map(|n| format!("*/{n}")),
            (0..=max, 0..=max).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
            (0..=max, 0..=max).prop_map(|(a, b)| format!("{a},{b}")),
        ]
    };
    let dom = prop_oneof![
        Just("*".to_string()),
        (1u32..=28).prop_map(|n| n.to_string()),
        (1u32..=31).prop_map(|n| n.to_string()),
    ];
    let month = prop_oneof![
        Just("*".to_string()),
        (1u32..=12).prop_map(|n| n.to_string())
    ];
    let dow = prop_oneof![
        Just("*".to_string()),
        (0u32..=7).prop_map(|n| n.to_string()),
        Just("MON-FRI".to_string()),
        Just("SAT,SUN".to_string()),
    ];
    (part(59), part(23), dom, month, dow)
        .prop_map(|(m, h, d, mo, w)| format!("{m} {h} {d} {mo} {w}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn cron_parsing_never_panics(text in "\\PC{0,60}") {
        if let Ok(cron) = Cron::parse(&text) {
            let _ = cron.describe();
        }
        let _ = Trigger::Schedule { cron: text }.describe();
    }

    #[test]
    fn cron_shaped_text_never_panics(text in cronish()) {
        if let Ok(cron) = Cron::parse(&text) {
            let _ = cron.describe();
            let _ = cron.next_after(parse_rfc3339("2026-11-27T14:05:00Z").unwrap());
        }
    }

    #[test]
    fn the_next_run_is_later_and_matches(
        text in valid_cron(),
        seconds in 0i64..4_000_000_000,
    ) {
        let cron = Cron::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let after = services_model::OffsetDateTime::from_unix_timestamp(seconds).unwrap();
        if let Some(next) = cron.next_after(after) {
            prop_assert!(next > after, "{text}: {next} after {after}");
            prop_assert_eq!(next.second(), 0);
            prop_assert!(cron.matches(next), "{} does not match its own next run {}", text, next);
        }
        prop_assert!(!cron.describe().is_empty());
    }

    #[test]
    fn rfc3339_parsing_never_panics(text in "\\PC{0,40}") {
        let _ = parse_rfc3339(&text);
    }

    #[test]
    fn rfc3339_shaped_text_never_panics(
        text in "[0-9+\\-]{0,6}-[0-9é]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9é]{1,3}(\\.[0-9é]{0,12})?(Z|z|[+\\-][0-9]{2}:[0-9é]{2}|é)?"
    ) {
        if let Some(time) = parse_rfc3339(&text) {
            prop_assert_eq!(time.offset(), time::UtcOffset::UTC);
        }
    }

    #[test]
    fn valid_times_parse_to_the_instant_they_name(
        seconds in -62_135_596_800i64..253_402_300_799,
        offset_minutes in -1439i32..1439,
    ) {
        let utc = services_model::OffsetDateTime::from_unix_timestamp(seconds).unwrap();
        let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
        let local = utc.to_offset(offset);
        if (0..=9999).contains(&local.year()) {
            let text = local.format(&time::format_description::well_known::Rfc3339).unwrap();
            prop_assert_eq!(parse_rfc3339(&text), Some(utc), "{}", text);
        }
    }

    #[test]
    fn query_strings_never_panic(text in "\\PC{0,80}") {
        let query = ListQuery::from_query(&text);
        let _ = ListQuery::from_query(&query.to_query());
    }
}
