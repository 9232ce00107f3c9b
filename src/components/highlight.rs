use leptos::prelude::*;
use services_model::highlight::match_ranges;

/// Text with the parts that match the search words wrapped in `<mark>`. The DOM changes only
/// when what is marked changes, not on every keystroke.
#[component]
pub fn Highlight(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] terms: Signal<Vec<String>>,
) -> impl IntoView {
    let ranges = Memo::new(move |_| text.with(|text| terms.with(|t| match_ranges(text, t))));
    move || {
        text.with(|text| {
            let mut parts = Vec::new();
            let mut at = 0;
            for r in ranges.get() {
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
        })
    }
}
