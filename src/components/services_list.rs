use super::actions_menu::MenuAction;
use super::bulk_bar::BulkBar;
use super::export_button::ExportButton;
use super::filter_panel::FilterPanel;
use super::load_error::LoadError;
use super::pagination::Pagination;
use super::search_box::SearchBox;
use super::service_cards::ServiceCards;
use super::service_table::ServiceTable;
use super::shortcuts_overlay::ListShortcuts;
use crate::announce::Announcer;
use crate::media::use_media_query;
use crate::state::RowContext;
use crate::store::{BulkSelection, ListView, RowHandle, ServicesStore};
use leptos::prelude::*;
use services_model::ListQuery;
use stylers::style;

/// What the list area shows: decided by the load state only, so typing, sorting, paging and
/// changes to rows never rebuild it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    Skeleton,
    /// The first load failed: the error above says so.
    Nothing,
    EmptyGroup,
    Rows,
}

/// A group's services with search, filters, sort and pages, from the [`ServicesStore`] (which
/// must be in context, with a [`RowContext`]). Knows nothing of the URL: the page passes the
/// group and the view in, and gets view changes and actions out.
#[component]
pub fn ServicesList(
    #[prop(into)] group: Signal<Option<u64>>,
    #[prop(into)] query: Signal<ListQuery>,
    /// A new view; `true` when it should replace the current history entry.
    #[prop(into)]
    on_query: Callback<(ListQuery, bool)>,
    /// The search as typed, key by key; without it, each key is a view replacing the entry.
    #[prop(optional, into)]
    on_search: Option<Callback<String>>,
    /// Focus left the search: what was typed is final for now.
    #[prop(optional, into)]
    on_search_done: Option<Callback<()>>,
    #[prop(into)] group_name: Signal<String>,
    #[prop(into)] on_action: Callback<(MenuAction, u64)>,
    #[prop(into)] on_open: Callback<u64>,
    #[prop(into)] on_retry: Callback<()>,
    /// More controls for the toolbar (the page's Views menu).
    #[prop(optional, into)]
    extra_tools: Option<ViewFn>,
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
    let store = expect_context::<ServicesStore>();
    let rows_context = expect_context::<RowContext>();
    let announcer = use_context::<Announcer>();
    let wide = use_media_query("(min-width: 900px)");
    let view = ListView::new(store, group, query);
    let (meta, page) = (view.meta, view.page);
    let error = Memo::new(move |_| meta.with(|m| m.error.clone()));
    let body = Memo::new(move |_| {
        meta.with(|m| match (m.loaded, m.size) {
            (false, _) if m.error.is_some() => Body::Nothing,
            (false, _) => Body::Skeleton,
            (true, 0) => Body::EmptyGroup,
            (true, _) => Body::Rows,
        })
    });
    let narrowed = move || query.with(|q| !q.search.trim().is_empty() || q.has_filters());
    let count_text = Memo::new(move |_| match body.get() {
        Body::Nothing => "Services could not be loaded.".to_string(),
        Body::Skeleton => "Loading services…".to_string(),
        _ => {
            let all = meta.with(|m| m.size);
            let shown = page.with(|p| p.total);
            let noun = if all == 1 { "service" } else { "services" };
            if narrowed() {
                format!("{shown} of {all} {noun}")
            } else {
                format!("{all} {noun}")
            }
        }
    });
    // Screen readers hear the count once typing pauses, not at every keystroke: every change of
    // the view starts the wait again, also one that leaves the count as it was (a space, one more
    // digit of an id), so the announcement never lands in the middle of typing.
    if let Some(announcer) = announcer {
        Effect::new(move |_| {
            query.track();
            announcer.say_when_settled(count_text.get())
        });
    }
    let caption = Signal::derive(move || format!("Services in {}", group_name.get()));
    let ids = Memo::new(move |_| page.with(|p| p.ids.clone()));
    let rows = Signal::derive(move || {
        ids.with(|ids| {
            ids.iter()
                .filter_map(|id| store.row(*id))
                .collect::<Vec<RowHandle>>()
        })
    });
    // The selection belongs to the group shown, keeps the page for Shift+click ranges, and loses
    // services that are gone (removed here or elsewhere), saying so.
    if let Some(selection) = use_context::<BulkSelection>() {
        Effect::new(move |_| {
            let dropped = selection.for_group(group.get());
            if dropped > 0 {
                if let Some(announcer) = announcer {
                    announcer.say(format!(
                        "Selection cleared: {} from the other group.",
                        services_model::bulk::services(dropped)
                    ));
                }
            }
        });
        Effect::new(move |_| selection.set_page(ids.get()));
        Effect::new(move |_| {
            let Some(g) = group.get() else {
                return;
            };
            if meta.with(|m| m.per_query) {
                return;
            }
            let gone = selection.retain(|id| {
                store
                    .with_group(g, |d| d.index().contains(id))
                    .unwrap_or(true)
            });
            if gone > 0 {
                if let Some(announcer) = announcer {
                    announcer.say(format!(
                        "{} no longer in the list left the selection.",
                        services_model::bulk::services(gone)
                    ));
                }
            }
        });
    }
    // A view the user asks for drops a pending "focus the new row".
    let set_query = Callback::new(move |q: ListQuery| {
        rows_context.focus_request.set(None);
        on_query.run((q, false));
    });
    let paged = move || page.with(|p| p.total > 25);
    let no_matches = move || page.with(|p| p.total == 0);

    // Keep track of the rows on the page; give focus to a new row once, when it appears; and
    // when the row that had focus is gone, to its neighbour.
    Effect::new(move |_| {
        let shown = ids.get();
        rows_context.set_shown(shown.clone());
        let wanted = rows_context.focus_request.get();
        request_animation_frame(move || {
            if let Some(id) = wanted.filter(|id| shown.contains(id)) {
                if crate::focus::focus_selector(&format!("[data-row-id='{id}'] a.name")) {
                    rows_context.focus_request.set(None);
                    rows_context.note_focus(Some(id));
                }
            } else {
                rows_context.restore_focus();
            }
        });
    });

    let list = move || {
        match body.get() {
        Body::Nothing => ().into_any(),
        Body::Skeleton => view! { class = styler_class,
            <div class="skeleton" aria-hidden="true">
                {(0..6).map(|_| view! { class = styler_class, <div class="bar"></div> }).collect_view()}
            </div>
        }
        .into_any(),
        Body::EmptyGroup => view! { class = styler_class,
            <div class="empty"><p>"No services in this group yet."</p></div>
        }
        .into_any(),
        Body::Rows => view! { class = styler_class,
            <div hidden=no_matches>
                {move || if wide.get() {
                    view! { <ServiceTable rows=rows query=query on_query=set_query terms=view.terms on_action=on_action on_open=on_open caption=caption/> }.into_any()
                } else {
                    view! { <ServiceCards rows=rows query=query on_query=set_query terms=view.terms on_action=on_action on_open=on_open caption=caption/> }.into_any()
                }}
            </div>
            <Show when=no_matches>
                <div class="empty">
                    <p>{move || query.with(|q| {
                        let search = q.search.trim();
                        match (search.is_empty(), q.has_filters()) {
                            (false, true) => format!("No services match “{search}” with the selected filters."),
                            (false, false) => format!("No services match “{search}”."),
                            _ => "No services match the selected filters.".to_string(),
                        }
                    })}</p>
                    <button type="button" class="clear" on:click=move |_| set_query.run(query.get_untracked().cleared())>
                        "Clear search and filters"
                    </button>
                </div>
            </Show>
            <Show when=paged>
                <Pagination query=query page_count=Signal::derive(move || page.with(|p| p.page_count)) on_change=set_query/>
            </Show>
        }
        .into_any(),
    }
    };

    view! { class = styler_class,
        <div class="toolbar">
            <SearchBox
                value=Signal::derive(move || query.with(|q| q.search.clone()))
                on_done=move |_| {
                    if let Some(done) = on_search_done {
                        done.run(());
                    }
                }
                on_input=move |text: String| {
                    rows_context.focus_request.set(None);
                    match on_search {
                        Some(on_search) => on_search.run(text),
                        None => on_query.run((query.get_untracked().with_search(&text), true)),
                    }
                }
            />
            <FilterPanel query=query facets=view.facets on_change=set_query on_open=move |_| view.want_facets()/>
            {extra_tools.map(|tools| tools.run())}
            <ExportButton group=group query=query/>
            <ListShortcuts/>
        </div>
        <p class="count">{count_text}</p>
        <BulkBar group=group query=query matching=view.matching total=Signal::derive(move || page.with(|p| p.total))/>
        {move || {
            error
                .get()
                .map(|message| {
                    view! { class = styler_class,
                        <div class="error"><LoadError what="services" message=message on_retry=on_retry/></div>
                    }
                })
        }}
        {list}
    }
}
