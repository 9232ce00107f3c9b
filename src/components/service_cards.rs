use super::actions_menu::{ListMenu, MenuAction};
use super::row_select::PageCheckbox;
use super::service_row::{RowEvents, RowLayout, ServiceRow};
use crate::store::RowHandle;
use leptos::prelude::*;
use services_model::{ListQuery, Sort, SortDirection, SortKey};
use stylers::style;

const SORTS: [(&str, SortKey, SortDirection); 10] = [
    ("ID, lowest first", SortKey::Id, SortDirection::Ascending),
    ("ID, highest first", SortKey::Id, SortDirection::Descending),
    ("Name, A to Z", SortKey::Name, SortDirection::Ascending),
    ("Name, Z to A", SortKey::Name, SortDirection::Descending),
    (
        "Status, active first",
        SortKey::Status,
        SortDirection::Ascending,
    ),
    (
        "Status, inactive first",
        SortKey::Status,
        SortDirection::Descending,
    ),
    (
        "Source system, A to Z",
        SortKey::SourceSystem,
        SortDirection::Ascending,
    ),
    (
        "Source system, Z to A",
        SortKey::SourceSystem,
        SortDirection::Descending,
    ),
    (
        "Last run, most recent first",
        SortKey::LastRun,
        SortDirection::Descending,
    ),
    (
        "Last run, oldest first",
        SortKey::LastRun,
        SortDirection::Ascending,
    ),
];

/// The services as cards (narrow screens), with a "Sort by" choice in place of table headers.
#[component]
pub fn ServiceCards(
    /// The rows of the page, in order; keyed by id, so a row stays put while it changes.
    #[prop(into)]
    rows: Signal<Vec<RowHandle>>,
    #[prop(into)] query: Signal<ListQuery>,
    #[prop(into)] on_query: Callback<ListQuery>,
    #[prop(into)] terms: Signal<Vec<String>>,
    #[prop(into)] on_action: Callback<(MenuAction, u64)>,
    #[prop(into)] on_open: Callback<u64>,
    #[prop(into)] caption: Signal<String>,
) -> impl IntoView {
    let list = NodeRef::<leptos::html::Ul>::new();
    let menu = ListMenu::new(list, rows, on_action);
    let events = RowEvents::new(on_open, rows, menu);
    let styler_class = style! {
        label {
            display: flex;
            align-items: center;
            gap: var(--pw-space-2);
            margin-bottom: var(--pw-space-2);
            font-size: var(--pw-font-size-small);
        }
        select {
            font: inherit;
            padding: var(--pw-space-1);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            max-width: 100%;
        }
        ul {
            display: grid;
            gap: var(--pw-space-2);
            margin: 0;
            padding: 0;
        }
    };
    let page = Signal::derive(move || rows.with(|r| r.iter().map(|r| r.id).collect::<Vec<_>>()));
    view! { class = styler_class,
        <PageCheckbox page=page label=true/>
        <label>
            "Sort by"
            <select on:change:target=move |ev| {
                if let Some((_, key, direction)) = ev.target().value().parse::<usize>().ok().and_then(|i| SORTS.get(i)) {
                    let mut next = query.get_untracked();
                    next.sort = Sort { key: *key, direction: *direction };
                    next.page.number = 1;
                    on_query.run(next);
                }
            }>
                {SORTS
                    .iter()
                    .enumerate()
                    .map(|(i, (label, key, direction))| {
                        let chosen = move || query.with(|q| q.sort == Sort { key: *key, direction: *direction });
                        view! { class = styler_class, <option value=i.to_string() selected=chosen>{*label}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <ul
            node_ref=list
            aria-label=caption
            on:click=move |ev| events.click(ev)
            on:keydown=move |ev| events.keydown(ev)
            on:focusout=move |ev| RowEvents::left(ev.target(), ev.related_target())
            on:mouseout=move |ev| RowEvents::left(ev.target(), ev.related_target())
        >
            <For
                each=move || rows.get()
                key=|row| row.id
                children=move |row| view! { <ServiceRow row=row layout=RowLayout::Card terms=terms/> }
            />
        </ul>
    }
}
