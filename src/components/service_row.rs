use super::actions_menu::{ActionsMenu, MenuAction};
use super::highlight::Highlight;
use crate::store::RowHandle;
use leptos::prelude::*;
use services_model::{Service, ServiceType, Status};
use stylers::style;
use wasm_bindgen::JsCast;

/// Table rows from 900 px up, cards below; the same information and controls either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowLayout {
    Table,
    Card,
}

/// The service page's app path (give it to `navigate`; an `<a href>` needs [`crate::config::href`]).
pub fn service_href(id: u64) -> String {
    format!("/services/{id}")
}

/// A small square with the system's initials, coloured from its name (decoration only).
/// `scope` is the component's stylers class, so the badge's scoped CSS applies.
fn badge(system: &str, scope: &'static str) -> impl IntoView {
    let initials: String = system
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase();
    let shade = system
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b.into()))
        % 8;
    view! { <span class=format!("badge shade-{shade} {scope}") aria-hidden="true">{initials}</span> }
}

/// A bell icon, struck through when alerts are off (decoration: the text says On or Off).
fn bell(on: bool, scope: &'static str) -> impl IntoView {
    view! {
        <svg class=format!("bell {scope}") viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="M8 1.5a4 4 0 0 0-4 4v3L2.5 11h11L12 8.5v-3a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.4"/>
            {(!on).then(|| view! { <path d="M2 2l12 12" stroke="currentColor" stroke-width="1.6"/> })}
        </svg>
    }
}

/// One service, as a table row or a card. Every field follows the row's signal, so a change to
/// the service updates the row in place (focus and any open menu stay). A click anywhere on it
/// (outside its own controls) opens the service; keyboard users use the name link. No
/// interactive element nests another.
#[component]
pub fn ServiceRow(
    row: RowHandle,
    layout: RowLayout,
    #[prop(into)] terms: Signal<Vec<String>>,
    #[prop(into)] on_action: Callback<(MenuAction, u64)>,
    #[prop(into)] on_open: Callback<u64>,
) -> impl IntoView {
    let styler_class = style! {
        tr {
            cursor: pointer;
        }
        tr:hover {
            background: var(--pw-color-row-hover);
        }
        tr.highlighted {
            background: var(--pw-color-accent-surface);
            outline: 2px solid var(--pw-color-accent);
        }
        li.highlighted {
            background: var(--pw-color-accent-surface);
            border-color: var(--pw-color-accent);
        }
        td {
            padding: var(--pw-space-2);
            border-bottom: 1px solid var(--pw-color-border);
            vertical-align: middle;
        }
        li.card {
            list-style: none;
            border: 1px solid var(--pw-color-border);
            border-radius: var(--pw-radius);
            padding: var(--pw-space-3);
            background: var(--pw-color-surface);
            cursor: pointer;
        }
        div.card-head {
            display: flex;
            justify-content: space-between;
            align-items: center;
            gap: var(--pw-space-2);
        }
        p.source {
            margin: 0;
            display: flex;
            align-items: center;
            gap: var(--pw-space-1);
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
            font-weight: 600;
        }
        h3 {
            font-size: var(--pw-font-size);
            margin: var(--pw-space-1) 0 var(--pw-space-2) 0;
            overflow-wrap: anywhere;
        }
        dl {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--pw-space-1) var(--pw-space-3);
            margin: 0;
            font-size: var(--pw-font-size-small);
        }
        dt {
            color: var(--pw-color-text-muted);
        }
        dd {
            margin: 0;
            min-width: 0;
            overflow-wrap: anywhere;
        }
        a.name {
            color: var(--pw-color-accent-text);
            font-weight: 600;
        }
        span.id {
            font-variant-numeric: tabular-nums;
        }
        button.copy {
            font: inherit;
            font-size: var(--pw-font-size-small);
            margin-left: var(--pw-space-1);
            padding: 0 var(--pw-space-1);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: 4px;
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        span.status {
            display: inline-flex;
            align-items: center;
            gap: var(--pw-space-1);
            white-space: nowrap;
        }
        span.active {
            color: var(--pw-color-ok);
        }
        span.inactive {
            color: var(--pw-color-text-muted);
        }
        span.badge {
            display: inline-grid;
            place-items: center;
            width: 1.375rem;
            height: 1.375rem;
            border-radius: 4px;
            font-size: 0.625rem;
            font-weight: 700;
            color: #ffffff;
            background: #334155;
            flex: none;
        }
        span.shade-0 {
            background: #1e40af;
        }
        span.shade-1 {
            background: #065f46;
        }
        span.shade-2 {
            background: #9a3412;
        }
        span.shade-3 {
            background: #6b21a8;
        }
        span.shade-4 {
            background: #9f1239;
        }
        span.shade-5 {
            background: #334155;
        }
        span.shade-6 {
            background: #854d0e;
        }
        span.shade-7 {
            background: #155e75;
        }
        span.flow {
            display: inline-flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--pw-space-1);
        }
        span.schedule {
            position: relative;
            border-bottom: 1px dotted var(--pw-color-text-muted);
            cursor: help;
        }
        span.cron {
            display: none;
            position: absolute;
            left: 0;
            top: calc(100% + 4px);
            z-index: 5;
            width: max-content;
            max-width: min(18rem, 80vw);
            padding: var(--pw-space-1) var(--pw-space-2);
            border-radius: 4px;
            background: var(--pw-color-text);
            color: var(--pw-color-bg);
            font-family: monospace;
            font-size: var(--pw-font-size-small);
        }
        span.schedule:hover span.cron {
            display: block;
        }
        span.schedule:focus span.cron {
            display: block;
        }
        span.dismissed span.cron {
            display: none;
        }
        a.alerts {
            color: var(--pw-color-text);
            white-space: nowrap;
            display: inline-flex;
            align-items: center;
            gap: var(--pw-space-1);
        }
        span.id-cell {
            white-space: nowrap;
        }
        td.actions {
            text-align: right;
        }
    };
    let id = row.id;
    let service = {
        let summary = row.summary.clone();
        Memo::new(move |_| summary.with(|s| s.service.clone()))
    };
    let field = move |read: fn(&Service) -> String| Signal::derive(move || service.with(read));
    let is_active = move || service.with(|s| s.status == Status::Active);
    let status_word = move || if is_active() { "Active" } else { "Inactive" };
    let status_icon = move || if is_active() { "●" } else { "○" };
    let type_word = field(|s| match s.service_type {
        ServiceType::Standard => "Standard".into(),
        ServiceType::Sweeper => "Sweeper".into(),
    });
    let name = field(|s| s.name.clone());
    let alerts_on = move || service.with(|s| s.alerts_enabled);
    let alerts_text = move || if alerts_on() { "On" } else { "Off" };
    let alerts_label = move || {
        format!(
            "Alerts {}: alert settings for {}",
            alerts_text().to_lowercase(),
            name.get()
        )
    };
    let (source, destination) =
        service.with_untracked(|s| (s.source.clone(), s.destination.clone()));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = id.to_string();
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .is_ok();
            copied.set(ok);
        });
    };
    let open_unless_control = move |ev: leptos::ev::MouseEvent| {
        let on_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| {
                el.closest("a, button, input, select, [role=menu], [tabindex]")
                    .ok()
                    .flatten()
            })
            .is_some();
        if !on_control {
            on_open.run(id);
        }
    };

    let rows = expect_context::<crate::state::RowContext>();
    let highlighted = move || rows.highlight.get() == Some(id);
    let name_link = view! { class = styler_class,
        <a class="name" href=crate::config::href(&service_href(id))><Highlight text=name terms=terms/></a>
    };
    let id_cell = view! { class = styler_class,
        <span class="id-cell">
            <span class="id"><Highlight text=id.to_string() terms=terms/></span>
            <button type="button" class="copy" aria-label=format!("Copy ID {id}") on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </span>
    };
    let status_cell = view! { class = styler_class,
        <span class="status" class:active=is_active class:inactive=move || !is_active()>
            <span aria-hidden="true">{status_icon}</span>{status_word}
        </span>
    };
    let flow = view! { class = styler_class,
        <span class="flow">
            {badge(&source.system, styler_class)}
            {format!("{} {}", source.system, source.entity)}
            <span aria-hidden="true">"→"</span>
            <span class="visually-hidden">"to"</span>
            {badge(&destination.system, styler_class)}
            {format!("{} {}", destination.system, destination.entity)}
        </span>
    };
    let schedule_cell =
        view! { class = styler_class, <Schedule service=service scope=styler_class/> };
    let alerts = view! { class = styler_class,
        <a class="alerts" href=crate::config::href(&format!("{}?tab=alerts", service_href(id))) aria-label=alerts_label>
            {move || bell(alerts_on(), styler_class)}
            {alerts_text}
        </a>
    };
    let menu = view! { <ActionsMenu service=service on_action=on_action/> };

    match layout {
        RowLayout::Table => view! { class = styler_class,
            <tr data-row-id=id on:click=open_unless_control class:highlighted=highlighted>
                <td><span class="flow">{badge(&source.system, styler_class)}{source.system.clone()}</span></td>
                <td>{id_cell}</td>
                <td>{status_cell}</td>
                <td><Highlight text=type_word terms=terms/></td>
                <td>{name_link}</td>
                <td>{flow}</td>
                <td>{schedule_cell}</td>
                <td>{alerts}</td>
                <td class="actions">{menu}</td>
            </tr>
        }
        .into_any(),
        RowLayout::Card => view! { class = styler_class,
            <li class="card" data-row-id=id on:click=open_unless_control class:highlighted=highlighted>
                <div class="card-head">
                    <p class="source">{badge(&source.system, styler_class)}{source.system.clone()}</p>
                    {menu}
                </div>
                <h3>{name_link}</h3>
                <dl>
                    <dt>"ID"</dt><dd>{id_cell}</dd>
                    <dt>"Status"</dt><dd>{status_cell}</dd>
                    <dt>"Type"</dt><dd><Highlight text=type_word terms=terms/></dd>
                    <dt>"Flow"</dt><dd>{flow}</dd>
                    <dt>"Schedule"</dt><dd>{schedule_cell}</dd>
                    <dt>"Alerts"</dt><dd>{alerts}</dd>
                </dl>
            </li>
        }
        .into_any(),
    }
}

/// The schedule in words; for a cron schedule, focusable, with the expression in a tooltip that
/// shows on hover and focus, `Esc` hides, and screen readers get as the description.
#[component]
fn Schedule(service: Memo<Service>, scope: &'static str) -> impl IntoView {
    let words = move || service.with(|s| s.trigger.describe());
    let cron = move || service.with(|s| s.trigger.cron().map(str::to_string));
    let tip_id = service.with_untracked(|s| format!("cron-{}", s.id));
    let dismissed = RwSignal::new(false);
    move || match cron() {
        Some(cron) => {
            let (tip, described_by) = (tip_id.clone(), tip_id.clone());
            view! { class = scope,
                <span
                    class="schedule"
                    class:dismissed=move || dismissed.get()
                    tabindex="0"
                    aria-describedby=described_by
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            dismissed.set(true);
                        }
                    }
                    on:blur=move |_| dismissed.set(false)
                    on:mouseleave=move |_| dismissed.set(false)
                >
                    {words}
                    <span class="cron" id=tip role="tooltip">{format!("Cron (UTC): {cron}")}</span>
                </span>
            }
            .into_any()
        }
        None => view! { <span>{words}</span> }.into_any(),
    }
}
