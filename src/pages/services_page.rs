use crate::api::{self, ServicePage};
use crate::components::{service_href, tab_id, GroupTabs, LoadError, MenuAction, ServicesList};
use crate::session::Session;
use crate::state::{ListReturn, RowContext};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use services_model::{ListQuery, Role, ServiceSummary};
use std::collections::HashMap;
use stylers::style;

const PANEL_ID: &str = "services-panel";

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

/// The services list page. Group, search, filters, sort and page all live in the URL, so a
/// link reproduces the view, Back and Forward step through changes and a reload keeps it.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 80rem;
            margin: 0 auto;
            padding: var(--space-4) var(--space-3);
        }
        h1 {
            font-size: var(--font-size-title);
            margin: 0 0 var(--space-3) 0;
        }
        div.panel {
            padding-top: var(--space-3);
        }
        p.state {
            color: var(--color-text-muted);
        }
    };

    let session = expect_context::<Session>();
    let list_return = expect_context::<ListReturn>();
    let location = use_location();
    let navigate = use_navigate();
    let role = Signal::derive(move || {
        session
            .user
            .with(|u| u.as_ref().map_or(Role::ReadOnly, |u| u.role))
    });
    provide_context(RowContext::new(role));

    let query = Memo::new(move |_| location.search.with(|s| ListQuery::from_query(s)));
    let group_in_url = Memo::new(move |_| {
        location
            .query
            .with(|q| q.get("group").and_then(|g| g.parse::<u64>().ok()))
    });
    // Remember this view for "Back to services"; the location changes before the page goes,
    // so ignore the service page's own URL.
    Effect::new(move |_| {
        if location.pathname.with(|p| p == "/") {
            list_return
                .0
                .set(list_url(group_in_url.get(), &query.get()));
        }
    });

    let token = move || session.token.get().unwrap_or_default();
    let groups = LocalResource::new(move || {
        let token = token();
        async move {
            let result = api::company_groups(&token).await;
            if let Err(e) = &result {
                session.check(e);
            }
            result
        }
    });
    let group_list = Signal::derive(move || groups.get().and_then(Result::ok).unwrap_or_default());
    // The group shown: the one in the URL, else the first one.
    let group_id = Memo::new(move |_| {
        group_in_url
            .get()
            .or_else(|| group_list.with(|g| g.first().map(|g| g.group.id)))
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
    let services = LocalResource::new(move || {
        let id = group_id.get();
        let token = token();
        async move {
            let result = match id {
                Some(id) => api::group_services(&token, id).await.map(Some),
                None => Ok(None),
            };
            if let Err(e) = &result {
                session.check(e);
            }
            result
        }
    });
    // Each group's last good answer: shown at once when the group comes back, and kept on
    // screen while a reload or retry is pending or has failed.
    let cache = RwSignal::new(HashMap::<u64, Vec<ServiceSummary>>::new());
    Effect::new(move |_| {
        if let Some(Ok(Some(ServicePage { group, items, .. }))) = services.get() {
            cache.update(|c| {
                c.insert(group.id, items);
            });
        }
    });
    let shown = Signal::derive(move || {
        let id = group_id.get()?;
        cache.with(|c| c.get(&id).cloned())
    });
    let error = Signal::derive(move || match services.get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
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
    let on_query = {
        let go = go.clone();
        Callback::new(move |(q, replace): (ListQuery, bool)| {
            go(list_url(group_id.get_untracked(), &q), replace);
        })
    };
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
    let on_action = Callback::new(move |(action, id): (MenuAction, u64)| {
        let tab = match action {
            MenuAction::ViewLogs => "summary",
            MenuAction::AlertSettings => "alerts",
            MenuAction::RunManually
            | MenuAction::Clone
            | MenuAction::ToggleStatus
            | MenuAction::Remove => "settings",
        };
        go(format!("{}?tab={tab}", service_href(id)), false);
    });

    view! { class = styler_class,
        <main>
            <h1>"Services"</h1>
            {move || match groups.get() {
                None => view! { <p class="state" role="status">"Loading company groups…"</p> }.into_any(),
                Some(Err(e)) => {
                    view! { <LoadError what="company groups" message=e.to_string() on_retry=move |_| groups.refetch()/> }
                        .into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="state">"Your company has no company groups yet."</p> }.into_any()
                }
                Some(Ok(_)) => {
                    view! { class = styler_class,
                        <GroupTabs groups=group_list selected=group_id on_select=select_group panel_id=PANEL_ID/>
                        <div class="panel" role="tabpanel" id=PANEL_ID aria-labelledby=move || group_id.get().map(tab_id)>
                            <ServicesList
                                services=shown
                                error=error
                                on_retry=move |_| services.refetch()
                                query=query
                                on_query=on_query
                                group_name=group_name
                                on_action=on_action
                                on_open=on_open
                            />
                        </div>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
