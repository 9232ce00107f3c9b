use super::actions_menu::{ListMenu, MenuAction};
use super::row_select::{has_selection, selecting, PageCheckbox};
use super::service_row::{RowEvents, RowLayout, ServiceRow};
use crate::store::RowHandle;
use leptos::prelude::*;
use services_model::{ListQuery, SortDirection, SortKey};
use stylers::style;

/// The services as a table (900 px and wider), with sortable headers carrying `aria-sort`.
#[component]
pub fn ServiceTable(
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
    let body = NodeRef::<leptos::html::Tbody>::new();
    let menu = ListMenu::new(body, rows, on_action);
    let events = RowEvents::new(on_open, rows, menu);
    let styler_class = style! {
        table {
            width: 100%;
            border-collapse: collapse;
            font-size: var(--pw-font-size-small);
        }
        th {
            text-align: left;
            font-weight: 600;
            color: var(--pw-color-text-muted);
            padding: var(--pw-space-2);
            border-bottom: 2px solid var(--pw-color-border);
            white-space: nowrap;
        }
        button {
            font: inherit;
            font-weight: 600;
            color: var(--pw-color-text);
            background: none;
            border: none;
            padding: 0;
            cursor: pointer;
            display: inline-flex;
            gap: var(--pw-space-1);
            align-items: center;
        }
        span.arrow {
            color: var(--pw-color-text-muted);
            font-size: 0.75rem;
        }
    };
    let header = move |label: &'static str, key: SortKey| {
        let sort = move || query.with(|q| q.sort);
        let aria = move || {
            let s = sort();
            (s.key == key).then_some(match s.direction {
                SortDirection::Ascending => "ascending",
                SortDirection::Descending => "descending",
            })
        };
        let arrow = move || match aria() {
            Some("ascending") => "▲",
            Some(_) => "▼",
            None => "↕",
        };
        view! { class = styler_class,
            <th scope="col" aria-sort=aria>
                <button type="button" on:click=move |_| on_query.run(query.get_untracked().sorted_by(key))>
                    {label}
                    <span class="arrow" aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    let page = Signal::derive(move || rows.with(|r| r.iter().map(|r| r.id).collect::<Vec<_>>()));
    let selecting = selecting();
    let select_all = has_selection().then(|| {
        view! { class = styler_class,
            <th scope="col" hidden=move || !selecting.get()><PageCheckbox page=page/></th>
        }
    });
    view! { class = styler_class,
        <table>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    {select_all}
                    {header("Source system", SortKey::SourceSystem)}
                    {header("ID", SortKey::Id)}
                    {header("Status", SortKey::Status)}
                    <th scope="col">"Type"</th>
                    {header("Name", SortKey::Name)}
                    <th scope="col">"Flow"</th>
                    <th scope="col">"Schedule"</th>
                    {header("Last run", SortKey::LastRun)}
                    <th scope="col">"Next run"</th>
                    <th scope="col">"Alerts"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody
                node_ref=body
                on:click=move |ev| events.click(ev)
                on:keydown=move |ev| events.keydown(ev)
                on:focusout=move |ev| RowEvents::left(ev.target(), ev.related_target())
                on:mouseout=move |ev| RowEvents::left(ev.target(), ev.related_target())
            >
                <For
                    each=move || rows.get()
                    key=|row| row.id
                    children=move |row| view! { <ServiceRow row=row layout=RowLayout::Table terms=terms/> }
                />
            </tbody>
        </table>
    }
}
