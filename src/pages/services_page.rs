use crate::components::{
    service_href, tab_id, GroupTabs, LoadError, MenuAction, RemoveDialog, RunDialog,
    SavedViewsMenu, ServicesList, StatusDialog,
};
use crate::focus::FocusFallback;
use crate::navigation;
use crate::session::Session;
use crate::state::{ListReturn, RowContext};
use crate::store::ServicesStore;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use services_model::{ListQuery, Role, Service};
use stylers::style;
use wasm_bindgen::JsCast;

const PANEL_ID: &str = "services-panel";
/// How long typing must pause before the URL takes the search.
const SEARCH_SETTLES: std::time::Duration = std::time::Duration::from_millis(250);

/// The list URL for a group and a view: `/?group=2&q=shop&status=active&page=2`.
pub fn list_url(group: Option<u64>, query: &ListQuery) -> String {
    let mut parts = Vec::new();
    if let Some(group) = group {
        parts.push(format!("group={group}"));
    }
    let view = query.to_query();
    if !view.is_empty() {
        parts.push(view);
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/?{}", parts.join("&"))
    }
}

/// What the page shows under its heading, by the state of the company groups.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Groups {
    Loading,
    Failed(String),
    None,
    Ready,
}

/// The services list page. Group, search, filters, sort and page all live in the URL, so a
/// link reproduces the view, Back and Forward step through changes and a reload keeps it. The
/// data and every request are the [`ServicesStore`]'s; this page turns URLs into views and
/// menu choices into dialogs and store actions.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 80rem;
            margin: 0 auto;
            padding: var(--pw-space-4) var(--pw-space-3);
        }
        h1 {
            font-size: var(--pw-font-size-title);
            margin: 0 0 var(--pw-space-3) 0;
        }
        div.panel {
            padding-top: var(--pw-space-3);
        }
        p.state {
            color: var(--pw-color-text-muted);
        }
    };

    let session = expect_context::<Session>();
    let store = expect_context::<ServicesStore>();
    let list_return = expect_context::<ListReturn>();
    let location = use_location();
    let navigate = use_navigate();
    let role = Signal::derive(move || {
        session
            .user
            .with(|u| u.as_ref().map_or(Role::ReadOnly, |u| u.role))
    });
    let rows = RowContext::new(role);
    provide_context(rows);
    provide_context(FocusFallback(Callback::new(move |_| rows.restore_focus())));
    navigation::page_ready("Services".into());

    // The view is the URL's, but for the search being typed: the list follows each key at once
    // and the URL catches up when typing pauses (the router's work stays off the keystroke).
    let url_query = Memo::new(move |_| location.search.with(|s| ListQuery::from_query(s)));
    let typed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        url_query.track();
        typed.set(None);
    });
    let query = Memo::new(move |_| {
        let url = url_query.get();
        match typed.get() {
            Some(text) if text != url.search => url.with_search(&text),
            _ => url,
        }
    });
    let url_timer = StoredValue::new_local(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(t)) = url_timer.try_update_value(Option::take) {
            t.clear();
        }
    });
    let group_in_url = Memo::new(move |_| {
        location
            .query
            .with(|q| q.get("group").and_then(|g| g.parse::<u64>().ok()))
    });
    // Remember this view for "Back to services"; the location changes before the page goes,
    // so ignore the service page's own URL.
    Effect::new(move |_| {
        if location
            .pathname
            .with(|p| crate::config::app_path(p) == "/")
        {
            list_return
                .0
                .set(list_url(group_in_url.get(), &query.get()));
        }
    });

    // A new sign-in (or a renewed session after expiry) asks again.
    Effect::new(move |_| {
        session.token.track();
        store.load_groups();
    });
    let groups = store.groups();
    let group_list =
        Signal::derive(move || groups.with(|g| g.clone().and_then(Result::ok).unwrap_or_default()));
    let state = Memo::new(move |_| {
        groups.with(|g| match g {
            None => Groups::Loading,
            Some(Err(e)) => Groups::Failed(e.clone()),
            Some(Ok(list)) if list.is_empty() => Groups::None,
            Some(Ok(_)) => Groups::Ready,
        })
    });
    // The group shown: the one in the URL, else the first one.
    let group_id = Memo::new(move |_| {
        group_in_url
            .get()
            .or_else(|| group_list.with(|g| g.first().map(|g| g.group.id)))
    });
    // Live updates land in this group's rows; rows that leave the view are announced.
    store.watch_list(group_id.into(), rows);
    let known_group = Memo::new(move |_| {
        let id = group_id.get()?;
        group_list.with(|g| g.iter().any(|g| g.group.id == id).then_some(id))
    });
    let group_name = Signal::derive(move || {
        let id = group_id.get();
        group_list.with(|g| {
            g.iter()
                .find(|g| Some(g.group.id) == id)
                .map(|g| g.group.name.clone())
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        session.token.track();
        if let Some(id) = group_id.get() {
            // Only once the groups are known: a fresh sign-in loads again.
            if state.with(|s| *s == Groups::Ready) {
                store.open_group(id);
                rows.highlight.set(None);
            }
        }
    });

    let go = {
        let navigate = navigate.clone();
        move |url: String, replace: bool| {
            navigate(
                &url,
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };
    // A saved view is a list URL's query string; the current one is what it would save.
    let current_view = Signal::derive(move || {
        list_url(group_id.get(), &query.get().on_page(1))
            .trim_start_matches("/?")
            .trim_start_matches('/')
            .to_string()
    });
    let pick_view = {
        let go = go.clone();
        Callback::new(move |saved: String| {
            let url = if saved.is_empty() {
                "/".to_string()
            } else {
                format!("/?{saved}")
            };
            go(url, false)
        })
    };
    let on_query = {
        let go = go.clone();
        Callback::new(move |(q, replace): (ListQuery, bool)| {
            if let Some(t) = url_timer.try_update_value(Option::take).flatten() {
                t.clear();
            }
            go(list_url(group_id.get_untracked(), &q), replace);
        })
    };
    // Typing: the list now, the URL (replacing its entry) once typing pauses, or at once when
    // focus leaves the search (so a link followed next leaves the right entry behind).
    let write_url = {
        let go = go.clone();
        move || {
            if let Some(Some(timer)) = url_timer.try_update_value(Option::take) {
                timer.clear();
                if let (Some(group), Some(q)) =
                    (group_id.try_get_untracked(), query.try_get_untracked())
                {
                    go(list_url(group, &q), true);
                }
            }
        }
    };
    let on_search = {
        let write_url = write_url.clone();
        Callback::new(move |text: String| {
            typed.set(Some(text));
            let write_url = write_url.clone();
            let Ok(handle) = set_timeout_with_handle(write_url, SEARCH_SETTLES) else {
                return;
            };
            if let Some(Some(old)) = url_timer.try_update_value(|t| t.replace(handle)) {
                old.clear();
            }
        })
    };
    let on_search_done = Callback::new(move |_: ()| write_url());
    let select_group = {
        let go = go.clone();
        Callback::new(move |id: u64| {
            go(list_url(Some(id), &query.get_untracked().on_page(1)), false)
        })
    };
    let on_open = {
        let go = go.clone();
        Callback::new(move |id: u64| go(service_href(id), false))
    };
    // The confirmation dialog open, if any.
    let dialog = RwSignal::new(None::<Pending>);
    let clone = {
        let go = go.clone();
        move |original: Service| {
            let group = original.group_id;
            let view = query.get_untracked();
            let go = go.clone();
            leptos::task::spawn_local(async move {
                let Some(outcome) = store.clone_service(original, view.clone()).await else {
                    return;
                };
                // Show the copy only if the user still looks at the view it was cloned from.
                let still_here = query.try_get_untracked() == Some(view.clone())
                    && group_id.try_get_untracked() == Some(Some(group));
                let Some(at) = outcome.position.filter(|_| still_here) else {
                    return;
                };
                rows.highlight.set(Some(outcome.id));
                rows.focus_request.set(Some(outcome.id));
                let page = at as u32 / view.page.size.max(1) + 1;
                if page != view.page.number {
                    go(list_url(Some(group), &view.on_page(page)), false);
                }
            });
        }
    };
    let on_action = Callback::new(move |(action, id): (MenuAction, u64)| {
        let Some(row) = store.row(id) else {
            return;
        };
        let service = row.summary.with_untracked(|s| s.service.clone());
        match action {
            MenuAction::ViewLogs => go(format!("{}?tab=summary", service_href(id)), false),
            MenuAction::AlertSettings => go(format!("{}?tab=alerts", service_href(id)), false),
            MenuAction::RunManually => dialog.set(Some(Pending::Run(service))),
            MenuAction::ToggleStatus => dialog.set(Some(Pending::Status(service))),
            MenuAction::Remove => dialog.set(Some(Pending::Remove(service))),
            MenuAction::Clone => clone(service),
        }
    });
    let close = move |_| dialog.set(None);
    let dialog_view = move || {
        dialog.get().map(|pending| match pending {
            Pending::Run(service) => {
                view! { <RunDialog service=service on_close=close on_started=move |_: services_model::Run| dialog.set(None)/> }.into_any()
            }
            Pending::Status(service) => {
                let confirmed = service.clone();
                view! {
                    <StatusDialog
                        service=service
                        on_close=close
                        on_confirm=move |_| {
                            dialog.set(None);
                            store.toggle_status(confirmed.clone());
                        }
                    />
                }
                .into_any()
            }
            Pending::Remove(service) => {
                view! { <RemoveDialog service=service on_close=close on_removed=close/> }.into_any()
            }
        })
    };
    // Which row has focus, so it can move to a neighbour when that row goes.
    let track_focus = move |ev: leptos::ev::FocusEvent| {
        let row = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-row-id]").ok().flatten())
            .and_then(|row| row.get_attribute("data-row-id"))
            .and_then(|id| id.parse::<u64>().ok());
        rows.note_focus(row);
    };

    view! { class = styler_class,
        <main>
            <h1 tabindex="-1">"Services"</h1>
            {move || match state.get() {
                Groups::Loading => view! { <p class="state" role="status">"Loading company groups…"</p> }.into_any(),
                Groups::Failed(e) => {
                    view! { <LoadError what="company groups" message=e on_retry=move |_| store.load_groups()/> }
                        .into_any()
                }
                Groups::None => {
                    view! { <p class="state">"Your company has no company groups yet."</p> }.into_any()
                }
                Groups::Ready => {
                    view! { class = styler_class,
                        <GroupTabs groups=group_list selected=group_id on_select=select_group panel_id=PANEL_ID/>
                        <div class="panel" role="tabpanel" id=PANEL_ID aria-labelledby=move || known_group.get().map(tab_id) on:focusin=track_focus>
                            <ServicesList
                                group=group_id
                                query=query
                                on_query=on_query
                                on_search=on_search
                                on_search_done=on_search_done
                                group_name=group_name
                                on_action=on_action
                                on_open=on_open
                                on_retry=move |_| {
                                    if let Some(id) = group_id.get_untracked() {
                                        store.load_group(id);
                                    }
                                }
                                extra_tools=move || view! { <SavedViewsMenu current=current_view on_pick=pick_view/> }
                            />
                        </div>
                    }
                        .into_any()
                }
            }}
            {dialog_view}
        </main>
    }
}

/// An action waiting for its dialog.
#[derive(Clone)]
enum Pending {
    Run(Service),
    Status(Service),
    Remove(Service),
}
