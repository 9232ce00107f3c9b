//! The "Views" WAI-ARIA menu button: the user's saved views as quick picks (each is a list URL:
//! group, search, filters and sort), "Save this view…", "Copy link to this view" and "Remove a
//! saved view…". Enter, Space or ↓ open it at the first item, ↑ at the last; arrows wrap, Home
//! and End jump; Esc and Tab close it and give focus back to the button.

use super::dialog::Dialog;
use crate::announce::Announcer;
use crate::store::SavedViews;
use leptos::html;
use leptos::prelude::*;
use services_model::SavedView;
use stylers::style;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

#[derive(Clone, Debug, PartialEq)]
enum Item {
    View(SavedView),
    Note(&'static str),
    Save,
    CopyLink,
    Remove,
}

impl Item {
    fn label(&self) -> String {
        match self {
            Item::View(v) => v.name.clone(),
            Item::Note(text) => (*text).to_string(),
            Item::Save => "Save this view…".into(),
            Item::CopyLink => "Copy link to this view".into(),
            Item::Remove => "Remove a saved view…".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Save,
    Remove,
}

#[component]
pub fn SavedViewsMenu(
    /// The list's query string now (group, search, filters, sort), without `?`.
    #[prop(into)]
    current: Signal<String>,
    /// A saved view's query string was picked: show it.
    #[prop(into)]
    on_pick: Callback<String>,
) -> impl IntoView {
    let styler_class = style! {
        div.views {
            position: relative;
        }
        button.toggle {
            font: inherit;
            padding: var(--pw-space-2) var(--pw-space-3);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        button.toggle[aria-expanded="true"] {
            border-color: var(--pw-color-accent);
            color: var(--pw-color-accent-text);
        }
        ul {
            position: absolute;
            left: 0;
            top: calc(100% + 4px);
            z-index: 10;
            min-width: 16rem;
            max-width: 90vw;
            list-style: none;
            margin: 0;
            padding: var(--pw-space-1) 0;
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            box-shadow: 0 8px 24px rgba(0, 0, 0, 0.18);
        }
        li {
            padding: var(--pw-space-2) var(--pw-space-3);
            cursor: pointer;
            color: var(--pw-color-text);
            overflow-wrap: anywhere;
        }
        li:focus {
            outline: 2px solid var(--pw-color-focus);
            outline-offset: -2px;
            background: var(--pw-color-accent-surface);
        }
        li[aria-disabled="true"] {
            cursor: default;
            color: var(--pw-color-text-muted);
        }
        li.separator {
            padding: 0;
            margin: var(--pw-space-1) 0;
            border-top: 1px solid var(--pw-color-border);
        }
    };
    let Some(views) = use_context::<SavedViews>() else {
        return ().into_any();
    };
    let announcer = use_context::<Announcer>();
    let toasts = use_context::<crate::components::Toasts>();
    let open = RwSignal::new(false);
    let focus_at = RwSignal::new(0usize);
    let dialog = RwSignal::new(None::<Open>);
    let button_ref = NodeRef::<html::Button>::new();
    let menu_ref = NodeRef::<html::Ul>::new();
    let state = views.items();
    let items = Memo::new(move |_| {
        let mut items: Vec<Item> = match state.get() {
            None => vec![Item::Note("Loading saved views…")],
            Some(Err(_)) => vec![Item::Note("Saved views could not be loaded")],
            Some(Ok(list)) if list.is_empty() => vec![Item::Note("No saved views yet")],
            Some(Ok(list)) => list.into_iter().map(Item::View).collect(),
        };
        items.extend([Item::Save, Item::CopyLink, Item::Remove]);
        items
    });
    let has_views = move || state.with(|s| matches!(s, Some(Ok(l)) if !l.is_empty()));
    let disabled = move |item: &Item| match item {
        Item::Note(_) => true,
        Item::Remove => !has_views(),
        _ => false,
    };
    let open_at = move |index: usize| {
        views.ensure_loaded();
        focus_at.set(index);
        open.set(true);
    };
    let close = move || {
        open.set(false);
        if let Some(button) = button_ref.get_untracked() {
            let _ = button.focus();
        }
    };
    // Closes when a click lands outside.
    let handle = window_event_listener(leptos::ev::click, move |ev| {
        if open.try_get_untracked() != Some(true) {
            return;
        }
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-views-menu]").ok().flatten())
            .is_some();
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        let index = focus_at.get();
        items.track();
        if !open.get() {
            return;
        }
        let Some(menu) = menu_ref.get() else {
            return;
        };
        if let Ok(list) = menu.query_selector_all("[role=menuitem]") {
            let last = list.length().saturating_sub(1);
            if let Some(item) = list
                .item((index as u32).min(last))
                .and_then(|n| n.dyn_into::<HtmlElement>().ok())
            {
                let _ = item.focus();
            }
        }
    });
    let choose = move |index: usize| {
        let Some(item) = items.with_untracked(|i| i.get(index).cloned()) else {
            return;
        };
        if disabled(&item) {
            return;
        }
        close();
        match item {
            Item::View(view) => {
                on_pick.run(view.query.clone());
                if let Some(announcer) = announcer {
                    announcer.say(format!("Showing the view “{}”.", view.name));
                }
            }
            Item::Save => dialog.set(Some(Open::Save)),
            Item::Remove => dialog.set(Some(Open::Remove)),
            Item::CopyLink => {
                let link = window().location().href().unwrap_or_default();
                let clipboard = window().navigator().clipboard();
                leptos::task::spawn_local(async move {
                    let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&link))
                        .await
                        .is_ok();
                    if let Some(toasts) = toasts {
                        if copied {
                            toasts.show("Copied the link to this view.", None);
                        } else {
                            toasts.error(format!("Could not copy the link; it is {link}"));
                        }
                    }
                });
            }
            Item::Note(_) => {}
        }
    };
    let on_button_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            open_at(0);
        }
        "ArrowUp" => {
            ev.prevent_default();
            open_at(usize::MAX);
        }
        _ => {}
    };
    let on_menu_keydown = move |ev: KeyboardEvent| {
        let n = items.with_untracked(Vec::len).max(1);
        let current = focus_at.get_untracked().min(n - 1);
        match ev.key().as_str() {
            "ArrowDown" => focus_at.set((current + 1) % n),
            "ArrowUp" => focus_at.set((current + n - 1) % n),
            "Home" => focus_at.set(0),
            "End" => focus_at.set(n - 1),
            "Escape" | "Tab" => close(),
            "Enter" | " " => choose(current),
            _ => return,
        }
        ev.prevent_default();
    };
    let menu = move || {
        open.get().then(|| {
            view! { class = styler_class,
                <ul role="menu" id="views-menu" aria-label="Saved views" node_ref=menu_ref on:keydown=on_menu_keydown>
                    {move || {
                        items
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(index, item)| {
                                let separator = (item == Item::Save)
                                    .then(|| view! { class = styler_class, <li role="separator" class="separator"></li> });
                                let off = disabled(&item);
                                let view_id = match &item {
                                    Item::View(v) => Some(v.id),
                                    _ => None,
                                };
                                view! { class = styler_class,
                                    {separator}
                                    <li
                                        role="menuitem"
                                        tabindex="-1"
                                        data-view=view_id
                                        aria-disabled=off.then_some("true")
                                        on:click=move |_| {
                                            focus_at.set(index);
                                            choose(index);
                                        }
                                    >
                                        {item.label()}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            }
        })
    };
    let dialogs = move || {
        dialog.get().map(|which| {
            let done = Callback::new(move |_| dialog.set(None));
            match which {
                Open::Save => view! { <SaveViewDialog current=current on_close=done/> }.into_any(),
                Open::Remove => view! { <RemoveViewsDialog on_close=done/> }.into_any(),
            }
        })
    };
    view! { class = styler_class,
        <div class="views" data-views-menu="">
            <button
                type="button"
                class="toggle"
                node_ref=button_ref
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-controls=move || open.get().then_some("views-menu")
                on:click=move |_| {
                    if open.get_untracked() {
                        open.set(false);
                    } else {
                        open_at(0);
                    }
                }
                on:keydown=on_button_keydown
            >
                "Views"
                <span aria-hidden="true">" ▾"</span>
            </button>
            {menu}
        </div>
        {dialogs}
    }
    .into_any()
}

/// Names the current view and saves it; a taken or invalid name is said next to the field.
#[component]
fn SaveViewDialog(current: Signal<String>, on_close: Callback<()>) -> impl IntoView {
    let styler_class = style! {
        label {
            display: grid;
            gap: var(--pw-space-1);
            font-weight: 600;
            margin-bottom: var(--pw-space-3);
        }
        p {
            margin: 0 0 var(--pw-space-3) 0;
        }
        code {
            overflow-wrap: anywhere;
        }
    };
    let views = expect_context::<SavedViews>();
    let toasts = use_context::<crate::components::Toasts>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let query = current.get_untracked();
    let shown = if query.is_empty() {
        "the whole list".to_string()
    } else {
        query.clone()
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let typed = name.get_untracked();
        if let Err(message) = services_model::views::check_view_name(&typed) {
            error.set(Some(message));
            return;
        }
        pending.set(true);
        let query = query.clone();
        leptos::task::spawn_local(async move {
            let result = views.save(typed, query).await;
            pending.try_set(false);
            match result {
                Ok(view) => {
                    if let Some(toasts) = toasts {
                        toasts.show(format!("Saved the view “{}”.", view.name), None);
                    }
                    on_close.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    view! { class = styler_class,
        <Dialog title="Save this view" on_cancel=on_close>
            <form on:submit=save>
                <p>"The group, search, filters and sort: "<code>{shown}</code></p>
                <label>
                    "Name"
                    <input
                        class="field"
                        type="text"
                        id="view-name"
                        maxlength="80"
                        autocomplete="off"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=move || error.with(Option::is_some).then_some("view-name-error")
                        prop:value=move || name.get()
                        on:input:target=move |ev| {
                            name.set(ev.target().value());
                            error.set(None);
                        }
                    />
                </label>
                {move || error.get().map(|e| view! { class = styler_class, <p class="form-error" id="view-name-error" role="alert">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-primary" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Saving…" } else { "Save view" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

/// The saved views, each with a Remove button.
#[component]
fn RemoveViewsDialog(on_close: Callback<()>) -> impl IntoView {
    let styler_class = style! {
        ul {
            list-style: none;
            margin: 0 0 var(--pw-space-3) 0;
            padding: 0;
        }
        li {
            display: flex;
            justify-content: space-between;
            align-items: center;
            gap: var(--pw-space-2);
            padding: var(--pw-space-1) 0;
            border-bottom: 1px solid var(--pw-color-border);
            overflow-wrap: anywhere;
        }
        p {
            margin: 0 0 var(--pw-space-3) 0;
        }
    };
    let views = expect_context::<SavedViews>();
    let error = RwSignal::new(None::<String>);
    let state = views.items();
    let list = move || {
        match state.get() {
        Some(Ok(list)) if !list.is_empty() => list
            .into_iter()
            .map(|v| {
                let (id, name) = (v.id, v.name.clone());
                let label = format!("Remove {name}");
                view! { class = styler_class,
                    <li>
                        <span>{name}</span>
                        <button type="button" class="button button-danger" aria-label=label data-remove-view=id on:click=move |_| {
                            leptos::task::spawn_local(async move {
                                let done = views.remove(id).await;
                                match done {
                                    Ok(()) => {
                                        // Focus stays in the dialog: on the next Remove or Close.
                                        request_animation_frame(|| {
                                            if !crate::focus::focus_selector("[data-remove-view]") {
                                                crate::focus::focus_selector("[data-close-views]");
                                            }
                                        });
                                    }
                                    Err(e) => {
                                        error.try_set(Some(format!("The view was not removed: {e}")));
                                    }
                                }
                            });
                        }>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
        _ => view! { class = styler_class, <p>"No saved views."</p> }.into_any(),
    }
    };
    view! { class = styler_class,
        <Dialog title="Remove saved views" on_cancel=on_close>
            <ul>{list}</ul>
            {move || error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
            <div class="dialog-buttons">
                <button type="button" class="button" data-close-views="" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </Dialog>
    }
}
