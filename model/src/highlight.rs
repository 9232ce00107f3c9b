//! Where search words occur in a text, for highlighting: case-insensitive and Unicode-aware in
//! the same way as the search itself.

use std::ops::Range;

/// Byte ranges of `text` that match any of the (already lowercased) `terms`, merged and sorted.
pub fn match_ranges(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    // Lowercase char by char, remembering which original char each lowercase byte came from.
    let mut lower = String::with_capacity(text.len());
    let mut origin: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        for l in c.to_lowercase() {
            lower.push(l);
            origin.extend(std::iter::repeat_n(start..end, l.len_utf8()));
        }
    }
    let mut found: Vec<Range<usize>> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(at) = lower[from..].find(term.as_str()) {
            let (s, e) = (from + at, from + at + term.len());
            found.push(origin[s].start..origin[e - 1].end);
            from = s + lower[s..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, terms: &[&str]) -> String {
        let terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
        let mut out = String::new();
        let mut at = 0;
        for r in match_ranges(text, &terms) {
            out.push_str(&text[at..r.start]);
            out.push('[');
            out.push_str(&text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn marks_every_occurrence_case_insensitively() {
        assert_eq!(
            marked("Shopify orders to Shopify", &["SHOP"]),
            "[Shop]ify orders to [Shop]ify"
        );
        assert_eq!(marked("Stock Ärger", &["ärger"]), "Stock [Ärger]");
        assert_eq!(marked("2001", &["00"]), "2[00]1");
        assert_eq!(marked("aaaa", &["aa"]), "[aaaa]", "overlaps merge");
        assert_eq!(
            marked("orders to NetSuite", &["to", "net"]),
            "orders [to] [Net]Suite"
        );
        assert_eq!(marked("nothing", &["zzz"]), "nothing");
        assert_eq!(
            marked("İstanbul", &["i̇st"]),
            "[İst]anbul",
            "a char that lowercases to two"
        );
    }
}
