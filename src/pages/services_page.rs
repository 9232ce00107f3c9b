use crate::api::{self, ServicePage};
use crate::components::{
    service_href, tab_id, GroupTabs, LoadError, MenuAction, RemoveDialog, RunDialog, ServicesList,
    StatusDialog, Toasts,
};
use crate::session::Session;
use crate::state::{ListReturn, RowContext};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use services_model::{ListQuery, Role, Service, ServiceSummary, Status};
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
    let toasts = expect_context::<Toasts>();

    let query = Memo::new(move |_| location.search.with(|s| ListQuery::from_query(s)));
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

    let client = move || {
        session.token.track();
        session.client()
    };
    let groups = LocalResource::new(move || {
        let client = client();
        async move {
            let result = api::company_groups(&client).await;
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
        let client = client();
        async move {
            let result = match id {
                Some(id) => api::group_services(&client, id).await.map(Some),
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
    // The confirmation dialog open, if any.
    let dialog = RwSignal::new(None::<Pending>);
    let current = move |id: u64| -> Option<ServiceSummary> {
        let group = group_id.get_untracked()?;
        cache.with_untracked(|c| c.get(&group)?.iter().find(|s| s.service.id == id).cloned())
    };
    let edit_cache = move |f: &dyn Fn(&mut Vec<ServiceSummary>)| {
        if let Some(group) = group_id.get_untracked() {
            cache.update(|c| {
                if let Some(list) = c.get_mut(&group) {
                    f(list);
                }
            });
        }
    };
    let set_status = move |id: u64, status: Status| {
        edit_cache(&|list| {
            if let Some(s) = list.iter_mut().find(|s| s.service.id == id) {
                s.service.status = status;
            }
        })
    };
    let clone = {
        let go = go.clone();
        move |original: Service| {
            let client = session.client();
            let go = go.clone();
            leptos::task::spawn_local(async move {
                match api::clone_service(&client, original.id).await {
                    Ok(copy) => {
                        let new_id = copy.service.id;
                        let name = copy.service.name.clone();
                        edit_cache(&|list| {
                            list.push(ServiceSummary {
                                service: copy.service.clone(),
                                last_run: None,
                                next_run_at: copy.next_run_at.clone(),
                            })
                        });
                        rows.highlight.set(Some(new_id));
                        // Show the page the copy is on, if the current view includes it.
                        let q = query.get_untracked();
                        let all: Vec<Service> = shown
                            .get_untracked()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|s| s.service)
                            .collect();
                        let position = q.filter_sorted(&all).iter().position(|s| s.id == new_id);
                        let hidden = match position {
                            Some(at) => {
                                let page = at as u32 / q.page.size.max(1) + 1;
                                if page != q.page.number {
                                    go(list_url(group_id.get_untracked(), &q.on_page(page)), false);
                                }
                                ""
                            }
                            None => " The current search or filters hide it.",
                        };
                        toasts.show(
                            format!(
                                "Cloned “{}” as “{name}” (ID {new_id}), inactive.{hidden}",
                                original.name
                            ),
                            Some(("Open it".into(), service_href(new_id))),
                        );
                    }
                    Err(e) => {
                        session.check(&e);
                        toasts.error(format!(
                            "Could not clone “{}”: {e} Nothing was created; try again.",
                            original.name
                        ));
                    }
                }
            });
        }
    };
    let change_status = move |service: Service| {
        dialog.set(None);
        let id = service.id;
        let was = service.status;
        let next = if was == Status::Active {
            Status::Inactive
        } else {
            Status::Active
        };
        set_status(id, next);
        let client = session.client();
        leptos::task::spawn_local(async move {
            let patch = api::ServicePatch {
                status: Some(next),
                ..Default::default()
            };
            match api::update_service(&client, id, &patch).await {
                Ok(saved) => {
                    edit_cache(&|list| {
                        if let Some(s) = list.iter_mut().find(|s| s.service.id == id) {
                            s.service = saved.service.clone();
                            s.next_run_at = saved.next_run_at.clone();
                        }
                    });
                    toasts.show(
                        format!("“{}” is now {}.", service.name, next.as_str()),
                        None,
                    );
                }
                Err(e) => {
                    set_status(id, was);
                    session.check(&e);
                    toasts.error(format!(
                        "Could not {} “{}”: {e} It is still {}.",
                        if next == Status::Active {
                            "activate"
                        } else {
                            "deactivate"
                        },
                        service.name,
                        was.as_str()
                    ));
                }
            }
        });
    };
    let removed = move |id: u64| {
        dialog.set(None);
        let name = current(id).map(|s| s.service.name).unwrap_or_default();
        // Focus moves to the row after the removed one (or before it, or the search).
        let q = query.get_untracked();
        let all: Vec<Service> = shown
            .get_untracked()
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.service)
            .collect();
        let page: Vec<u64> = q.page_of(&all).items.iter().map(|s| s.id).collect();
        let next = page.iter().position(|x| *x == id).and_then(|i| {
            page.get(i + 1)
                .or_else(|| i.checked_sub(1).and_then(|p| page.get(p)))
                .copied()
        });
        edit_cache(&|list| list.retain(|s| s.service.id != id));
        toasts.show(format!("Removed “{name}” (ID {id})."), None);
        set_timeout(
            move || {
                let moved = next.is_some_and(|n| {
                    crate::focus::focus_selector(&format!(
                        "#services-panel a.name[href='{}']",
                        crate::config::href(&service_href(n))
                    ))
                });
                if !moved {
                    crate::focus::focus_selector("#service-search");
                }
            },
            std::time::Duration::from_millis(0),
        );
    };
    let on_action = Callback::new(move |(action, id): (MenuAction, u64)| {
        let Some(summary) = current(id) else {
            return;
        };
        let service = summary.service;
        match action {
            MenuAction::ViewLogs => go(format!("{}?tab=summary", service_href(id)), false),
            MenuAction::AlertSettings => go(format!("{}?tab=alerts", service_href(id)), false),
            MenuAction::RunManually => dialog.set(Some(Pending::Run(service))),
            MenuAction::ToggleStatus => dialog.set(Some(Pending::Status(service))),
            MenuAction::Remove => dialog.set(Some(Pending::Remove(service))),
            MenuAction::Clone => clone(service),
        }
    });
    let dialog_view = move || {
        dialog.get().map(|pending| match pending {
            Pending::Run(service) => {
                let (id, name) = (service.id, service.name.clone());
                view! {
                    <RunDialog
                        service=service
                        on_close=move |_| dialog.set(None)
                        on_started=move |run: services_model::Run| {
                            dialog.set(None);
                            toasts.show(
                                format!("Run {} of “{name}” started.", run.id),
                                Some(("View its log".into(), format!("{}?tab=summary&run={}", service_href(id), run.id))),
                            );
                        }
                    />
                }
                .into_any()
            }
            Pending::Status(service) => {
                let confirmed = service.clone();
                view! { <StatusDialog service=service on_close=move |_| dialog.set(None) on_confirm=move |_| change_status(confirmed.clone())/> }.into_any()
            }
            Pending::Remove(service) => {
                view! { <RemoveDialog service=service on_close=move |_| dialog.set(None) on_removed=removed/> }.into_any()
            }
        })
    };

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
