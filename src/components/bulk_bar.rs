//! The bar above the list while services are selected: how many, "Select all N matching",
//! "Clear selection", and the bulk actions, each confirmed by a [`BulkDialog`]. Only for roles
//! that may change services.

use super::bulk_dialog::{BulkDialog, BulkJob};
use super::row_select::selecting;
use crate::store::{BulkSelection, ServicesStore};
use leptos::prelude::*;
use services_model::bulk::services;
use services_model::BulkAction;
use stylers::style;

#[component]
pub fn BulkBar(
    #[prop(into)] group: Signal<Option<u64>>,
    /// Every matching service, in order (all of them for a group held whole).
    #[prop(into)]
    matching: Signal<Vec<u64>>,
    /// How many match (more than `matching` holds for a group asked per query).
    #[prop(into)]
    total: Signal<usize>,
    /// The view: for a group asked per query, its matches are asked of the server.
    #[prop(into)]
    query: Signal<services_model::ListQuery>,
) -> impl IntoView {
    let styler_class = style! {
        div.bulk {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--pw-space-2);
            margin-bottom: var(--pw-space-3);
            padding: var(--pw-space-2) var(--pw-space-3);
            border: 1px solid var(--pw-color-accent);
            border-radius: var(--pw-radius);
            background: var(--pw-color-accent-surface);
        }
        p {
            margin: 0;
            font-weight: 600;
            color: var(--pw-color-text);
        }
        div.actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-2);
            margin-left: auto;
        }
        button.link {
            font: inherit;
            font-size: var(--pw-font-size-small);
            background: none;
            border: none;
            padding: 0;
            color: var(--pw-color-accent-text);
            text-decoration: underline;
            cursor: pointer;
        }
    };
    let store = expect_context::<ServicesStore>();
    let Some(selection) = use_context::<BulkSelection>() else {
        return ().into_any();
    };
    let selecting = selecting();
    let toasts = use_context::<crate::components::Toasts>();
    let job = RwSignal::new(None::<BulkJob>);
    let count = Memo::new(move |_| selection.count());
    let all_known = move || matching.with(Vec::len) == total.get();
    // While the matches of a per-query group are being asked for: how many are known.
    let resolving = RwSignal::new(None::<usize>);
    let offer_all = move || {
        let total = total.get();
        total > 0
            && resolving.get().is_none()
            && (!all_known() || !matching.with(|m| selection.covers(m)))
            && selection.count() < total
    };
    let select_all = move |_| {
        if all_known() {
            matching.with_untracked(|m| selection.select_all(m));
            return;
        }
        let Some(g) = group.get_untracked() else {
            return;
        };
        resolving.set(Some(0));
        let view = query.get_untracked();
        leptos::task::spawn_local(async move {
            let found = store
                .matching_ids(g, view, move |n| {
                    resolving.try_set(Some(n));
                })
                .await;
            resolving.try_set(None);
            match found {
                // Only if the user still looks at that group.
                Ok(ids) if group.try_get_untracked() == Some(Some(g)) => selection.select_all(&ids),
                Ok(_) => {}
                Err(e) => {
                    if let Some(toasts) = toasts {
                        toasts.error(format!("Could not select every matching service: {e}"));
                    }
                }
            }
        });
    };
    let open = move |action: BulkAction| {
        let Some(g) = group.get_untracked() else {
            return;
        };
        let ids = selection.ids();
        if ids.is_empty() {
            return;
        }
        job.set(Some(BulkJob {
            action,
            group: g,
            targets: store.names(g, &ids),
        }));
    };
    let close = move |_| {
        job.set(None);
        // The bar goes when nothing is left selected: focus must not fall to the page.
        set_timeout(
            move || {
                let lost = document()
                    .active_element()
                    .is_none_or(|a| !a.is_connected() || a.tag_name() == "BODY");
                if lost {
                    crate::focus::focus_selector("#service-search");
                }
            },
            std::time::Duration::from_millis(30),
        );
    };
    let clear = move |_| {
        selection.clear();
        crate::focus::focus_selector("#service-search");
    };
    view! { class = styler_class,
        <Show when=move || { selecting.get() && count.get() > 0 }>
            <div class="bulk" role="region" aria-label="Bulk actions" data-bulk-bar="">
                <p>{move || format!("{} selected", services(count.get()))}</p>
                <Show when=offer_all>
                    <button type="button" class="link" on:click=select_all>
                        {move || format!("Select all {} matching", total.get())}
                    </button>
                </Show>
                {move || resolving.get().map(|n| view! { class = styler_class,
                    <span role="status">{format!("Selecting… {n} of {}", total.get_untracked())}</span>
                })}
                <button type="button" class="link" on:click=clear>"Clear selection"</button>
                <div class="actions">
                    {BulkAction::ALL
                        .into_iter()
                        .map(|action| {
                            let class = if action == BulkAction::Remove { "button button-danger" } else { "button" };
                            view! { class = styler_class,
                                <button type="button" class=class data-bulk-action=format!("{action:?}") on:click=move |_| open(action)>
                                    {if action == BulkAction::Remove { "Remove…" } else { action.label() }}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
        </Show>
        {move || job.get().map(|job| view! { <BulkDialog job=job on_close=close/> })}
    }
    .into_any()
}
