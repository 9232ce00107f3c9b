use crate::api::{self, ApiError, ServicePage};
use crate::components::{tab_id, GroupTabs, LoadError, ServiceList};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use services_model::GroupSummary;
use stylers::style;

const PANEL_ID: &str = "services-panel";

/// The services list: company-group tabs over the selected group's services. The selected group
/// lives in the URL (`?group=ID`), so a link or a reload shows the same group.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 72rem;
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

    let query = use_query_map();
    let navigate = use_navigate();
    let session = expect_context::<Session>();
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
    let group_in_url =
        Memo::new(move |_| query.with(|q| q.get("group").and_then(|g| g.parse::<u64>().ok())));
    // The group shown: the one in the URL, else the first one.
    let group_id = Memo::new(move |_| {
        group_in_url
            .get()
            .or_else(|| group_list.with(|g| g.first().map(|g| g.group.id)))
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
    let select_group = Callback::new(move |id: u64| {
        navigate(&format!("?group={id}"), Default::default());
    });

    let services_view = move || {
        match services.get() {
        None => view! { <p class="state" role="status">"Loading services…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <LoadError what="services" message=e.to_string() on_retry=move |_| services.refetch()/> }
                .into_any()
        }
        Some(Ok(None)) => view! { <p class="state">"No company groups yet."</p> }.into_any(),
        Some(Ok(Some(page))) => services_table(page).into_any(),
    }
    };

    view! { class = styler_class,
        <main>
            <h1>"Services"</h1>
            {move || match groups.get() {
                None => view! { <p class="state" role="status">"Loading company groups…"</p> }.into_any(),
                Some(Err(e)) => groups_error(e, groups).into_any(),
                Some(Ok(_)) => {
                    view! { class = styler_class,
                        <GroupTabs
                            groups=group_list
                            selected=group_id
                            on_select=select_group
                            panel_id=PANEL_ID
                        />
                        <div
                            class="panel"
                            role="tabpanel"
                            id=PANEL_ID
                            aria-labelledby=move || group_id.get().map(tab_id)
                        >
                            {services_view}
                        </div>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

fn groups_error(
    error: ApiError,
    groups: LocalResource<Result<Vec<GroupSummary>, ApiError>>,
) -> impl IntoView {
    view! { <LoadError what="company groups" message=error.to_string() on_retry=move |_| groups.refetch()/> }
}

fn services_table(page: ServicePage) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <p class="state">"No services in this group yet."</p> }.into_any();
    }
    let caption = format!("Services in {}", page.group.name);
    let services: Vec<_> = page.items.into_iter().map(|s| s.service).collect();
    view! { <ServiceList services=services caption=caption/> }.into_any()
}
