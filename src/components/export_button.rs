//! "Export CSV": every service matching the list's search, filters and sort (all pages), from
//! the server's `…/services/export.csv`, fetched with the session's token and saved through a
//! Blob URL and `<a download>` (no navigation, so the strict CSP and embedding are unaffected).

use crate::api;
use crate::session::Session;
use leptos::prelude::*;
use services_model::{ListQuery, Page};
use stylers::style;
use wasm_bindgen::JsCast;

/// Saves `blob` as a file named `name`, as a link the user clicked would.
fn save(blob: &web_sys::Blob, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let parent = document().body().ok_or("no body")?;
    parent.append_child(&link)?;
    link.click();
    link.remove();
    // The browser has taken the file once the click's task is done.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

#[component]
pub fn ExportButton(
    #[prop(into)] group: Signal<Option<u64>>,
    #[prop(into)] query: Signal<ListQuery>,
) -> impl IntoView {
    let styler_class = style! {
        span.error {
            display: block;
            margin-top: var(--pw-space-1);
            color: var(--pw-color-danger);
            font-size: var(--pw-font-size-small);
        }
    };
    let session = expect_context::<Session>();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(group) = group.get_untracked() else {
            return;
        };
        // The view as shown, without its page: the export has every matching service.
        let query = ListQuery {
            page: Page::default(),
            ..query.get_untracked()
        }
        .to_query();
        let client = session.client();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::export_csv(&client, group, &query).await;
            let outcome = match result {
                Ok((blob, name)) => save(&blob, &name)
                    .map_err(|_| "The browser did not save the file. Try again.".to_string()),
                Err(e) => {
                    session.check(&e);
                    Err(format!("Export failed: {e} Try again."))
                }
            };
            let _ = busy.try_set(false);
            let _ = error.try_set(outcome.err());
        });
    };
    view! { class = styler_class,
        <div>
            <button
                type="button"
                class="button"
                aria-disabled=move || busy.get().to_string()
                aria-describedby=move || error.with(Option::is_some).then_some("export-error")
                on:click=export
            >
                {move || if busy.get() { "Exporting…" } else { "Export CSV" }}
            </button>
            {move || error.get().map(|message| view! { class = styler_class,
                <span class="error" id="export-error" role="alert">{message}</span>
            })}
        </div>
    }
}
