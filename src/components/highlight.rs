use leptos::prelude::*;
use services_model::highlight::match_ranges;

/// Text with the parts that match the search words wrapped in `<mark>`.
#[component]
pub fn Highlight(
    #[prop(into)] text: String,
    #[prop(into)] terms: Signal<Vec<String>>,
) -> impl IntoView {
    move || {
        let ranges = terms.with(|t| match_ranges(&text, t));
        let mut parts = Vec::new();
        let mut at = 0;
        for r in ranges {
            if r.start > at {
                parts.push(text[at..r.start].to_string().into_any());
            }
            parts.push(view! { <mark>{text[r.clone()].to_string()}</mark> }.into_any());
            at = r.end;
        }
        if at < text.len() {
            parts.push(text[at..].to_string().into_any());
        }
        parts
    }
}
