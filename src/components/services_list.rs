use super::actions_menu::MenuAction;
use super::filter_panel::FilterPanel;
use super::load_error::LoadError;
use super::pagination::Pagination;
use super::search_box::SearchBox;
use super::service_cards::ServiceCards;
use super::service_table::ServiceTable;
use crate::media::use_media_query;
use leptos::prelude::*;
use services_model::{ListQuery, Service, ServiceSummary};
use std::collections::HashMap;
use stylers::style;

/// One page of the narrowed, sorted list.
#[derive(Clone, Debug, Default, PartialEq)]
struct PageView {
    items: Vec<ServiceSummary>,
    /// Services that match, over all pages.
    total: usize,
    page_count: u32,
}

/// A group's services with search, filters, sort and pages, run locally with the `model`
/// crate's query logic. Knows nothing of the URL or the API: the page passes the data and the
/// view in, and gets view changes and actions out. Needs a `RowContext` in context.
#[component]
pub fn ServicesList(
    /// The group's services; `None` until they first load.
    #[prop(into)]
    services: Signal<Option<Vec<ServiceSummary>>>,
    /// The last load's error, shown above whatever data is already here.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(into)] on_retry: Callback<()>,
    #[prop(into)] query: Signal<ListQuery>,
    /// A new view; `true` when it should replace the current history entry (search typing).
    #[prop(into)]
    on_query: Callback<(ListQuery, bool)>,
    #[prop(into)] group_name: Signal<String>,
    #[prop(into)] on_action: Callback<(MenuAction, u64)>,
    #[prop(into)] on_open: Callback<u64>,
) -> impl IntoView {
    let styler_class = style! {
        div.toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--pw-space-3);
            margin-bottom: var(--pw-space-3);
        }
        p.count {
            margin: 0 0 var(--pw-space-2) 0;
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
        div.empty {
            padding: var(--pw-space-4) var(--pw-space-3);
            text-align: center;
            border: 1px dashed var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
        }
        div.empty p {
            margin: 0 0 var(--pw-space-2) 0;
        }
        button.clear {
            font: inherit;
            padding: var(--pw-space-2) var(--pw-space-3);
            border: 1px solid var(--pw-color-accent);
            border-radius: var(--pw-radius);
            background: var(--pw-color-accent);
            color: var(--pw-color-on-accent);
            cursor: pointer;
        }
        div.skeleton {
            display: grid;
            gap: var(--pw-space-2);
        }
        div.bar {
            height: 2.5rem;
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface-2);
        }
        div.error {
            margin-bottom: var(--pw-space-3);
        }
    };
    let wide = use_media_query("(min-width: 900px)");
    let plain = Memo::new(move |_| {
        services.with(|s| {
            s.as_ref()
                .map(|list| {
                    list.iter()
                        .map(|x| x.service.clone())
                        .collect::<Vec<Service>>()
                })
                .unwrap_or_default()
        })
    });
    let terms = Memo::new(move |_| query.with(ListQuery::search_terms));
    let facets = Memo::new(move |_| query.with(|q| plain.with(|p| q.facets(p))));
    let page = Memo::new(move |_| {
        query.with(|q| {
            services.with(|all| {
                let Some(all) = all else {
                    return PageView::default();
                };
                let by_id: HashMap<u64, &ServiceSummary> =
                    all.iter().map(|s| (s.service.id, s)).collect();
                plain.with(|p| {
                    let found = q.page_of(p);
                    PageView {
                        items: found
                            .items
                            .iter()
                            .filter_map(|s| by_id.get(&s.id).map(|x| (*x).clone()))
                            .collect(),
                        total: found.total,
                        page_count: found.page_count,
                    }
                })
            })
        })
    });
    let group_size = move || services.with(|s| s.as_ref().map(Vec::len));
    let narrowed = move || query.with(|q| !q.search.trim().is_empty() || q.has_filters());
    let status_text = move || match group_size() {
        None if error.with(Option::is_some) => "Services could not be loaded.".to_string(),
        None => "Loading services…".to_string(),
        Some(all) => {
            let shown = page.with(|p| p.total);
            let noun = if all == 1 { "service" } else { "services" };
            if narrowed() {
                format!("{shown} of {all} {noun}")
            } else {
                format!("{all} {noun}")
            }
        }
    };
    let caption = Signal::derive(move || format!("Services in {}", group_name.get()));
    let items = Signal::derive(move || page.with(|p| p.items.clone()));
    let set_query = Callback::new(move |q: ListQuery| on_query.run((q, false)));
    let paged = move || page.with(|p| p.total > 25);

    let body = move || {
        let Some(all) = group_size() else {
            if error.with(Option::is_some) {
                return ().into_any();
            }
            return view! { class = styler_class,
                <div class="skeleton" aria-hidden="true">
                    {(0..6).map(|_| view! { class = styler_class, <div class="bar"></div> }).collect_view()}
                </div>
            }
            .into_any();
        };
        if all == 0 {
            return view! { class = styler_class,
                <div class="empty"><p>"No services in this group yet."</p></div>
            }
            .into_any();
        }
        if page.with(|p| p.total == 0) {
            let what = query.with(|q| {
                let search = q.search.trim();
                match (search.is_empty(), q.has_filters()) {
                    (false, true) => {
                        format!("No services match “{search}” with the selected filters.")
                    }
                    (false, false) => format!("No services match “{search}”."),
                    _ => "No services match the selected filters.".to_string(),
                }
            });
            return view! { class = styler_class,
                <div class="empty">
                    <p>{what}</p>
                    <button type="button" class="clear" on:click=move |_| on_query.run((query.get_untracked().cleared(), false))>
                        "Clear search and filters"
                    </button>
                </div>
            }
            .into_any();
        }
        let list = if wide.get() {
            view! { <ServiceTable items=items query=query on_query=set_query terms=terms on_action=on_action on_open=on_open caption=caption/> }.into_any()
        } else {
            view! { <ServiceCards items=items query=query on_query=set_query terms=terms on_action=on_action on_open=on_open caption=caption/> }.into_any()
        };
        view! {
            {list}
            <Show when=paged>
                <Pagination query=query page_count=Signal::derive(move || page.with(|p| p.page_count)) on_change=set_query/>
            </Show>
        }
        .into_any()
    };

    view! { class = styler_class,
        <div class="toolbar">
            <SearchBox
                value=Signal::derive(move || query.with(|q| q.search.clone()))
                on_input=move |text: String| on_query.run((query.get_untracked().with_search(&text), true))
            />
            <FilterPanel query=query facets=facets on_change=set_query/>
        </div>
        <p class="count" role="status">{status_text}</p>
        {move || {
            error
                .get()
                .map(|message| {
                    view! { class = styler_class,
                        <div class="error"><LoadError what="services" message=message on_retry=on_retry/></div>
                    }
                })
        }}
        {body}
    }
}
