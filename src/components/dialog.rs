use crate::focus;
use leptos::html;
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use stylers::style;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// A WAI-ARIA modal dialog: focus moves in (to the first control) and stays inside, Esc
/// cancels, and focus returns to what had it before (if that is still on the page).
#[component]
pub fn Dialog(
    #[prop(into)] title: String,
    /// Esc or a click on the backdrop; the owner closes the dialog.
    #[prop(into)]
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let styler_class = style! {
        div.backdrop {
            position: fixed;
            inset: 0;
            z-index: 50;
            display: grid;
            place-items: center;
            padding: var(--pw-space-3);
            background: rgba(15, 23, 42, 0.55);
        }
        div.dialog {
            width: min(32rem, 100%);
            max-height: calc(100vh - 2rem);
            overflow-y: auto;
            padding: var(--pw-space-4);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            box-shadow: 0 16px 48px rgba(0, 0, 0, 0.3);
        }
        h2 {
            font-size: 1.25rem;
            margin: 0 0 var(--pw-space-3) 0;
        }
    };
    let title_id = format!("dialog-title-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let heading_id = title_id.clone();
    let dialog_ref = NodeRef::<html::Div>::new();
    let opener = document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    let opener = StoredValue::new_local(opener);
    let fallback = use_context::<focus::FocusFallback>();
    Effect::new(move |_| {
        if let Some(dialog) = dialog_ref.get() {
            if let Some(first) = focus::focusables(&dialog).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    // Focus goes back to the opener; if the page then removes it (a removal, a change that
    // filters its row out), to where the page says.
    on_cleanup(move || {
        let opener = opener.try_get_value().flatten();
        if let Some(opener) = opener.as_ref().filter(|o| o.is_connected()) {
            let _ = opener.focus();
        }
        if let Some(focus::FocusFallback(fallback)) = fallback {
            request_animation_frame(move || {
                let kept = opener.is_some_and(|o| {
                    o.is_connected()
                        && document().active_element().as_ref() == Some(o.unchecked_ref())
                });
                if !kept {
                    fallback.try_run(());
                }
            });
        }
    });
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            on_cancel.run(());
        } else if let Some(dialog) = dialog_ref.get_untracked() {
            focus::trap_tab(&ev, &dialog);
        }
    };
    view! { class = styler_class,
        <div
            class="backdrop"
            on:click=move |ev| {
                let on_backdrop = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|t| t.class_list().contains("backdrop"));
                if on_backdrop {
                    on_cancel.run(());
                }
            }
        >
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=title_id node_ref=dialog_ref on:keydown=on_keydown>
                <h2 id=heading_id>{title}</h2>
                {children()}
            </div>
        </div>
    }
}
