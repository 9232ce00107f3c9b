use super::actions_menu::{trigger_label, write_trigger, ListMenu};
use super::favourite_star::{star_values, write_star};
use super::highlight::{escape_into, marked_html};
use super::html_row::{At, HtmlRow, Write};
use super::row_select::{checkbox_html, label as select_label};
use crate::store::{BulkSelection, RowHandle, Starred};
use leptos::prelude::*;
use services_model::{
    parse_rfc3339, Cron, Endpoint, Health, RunStatus, Service, ServiceSummary, ServiceType, Status,
    Trigger,
};
use std::cell::RefCell;
use std::collections::HashMap;
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

// Most of a row is decoration and text. Its cells are written as HTML (every value escaped) and
// set in one step each, rather than built node by node: typing replaces most of a page of rows
// at once, and this keeps creating a row cheap. The cells that change follow the row's signal
// (the source and flow can't change: the API refuses). `scope` is the component's stylers
// class, so the scoped CSS applies inside.

/// A small square with the system's initials, coloured from its name (decoration only).
fn badge_html(system: &str, scope: &str) -> String {
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
    format!(
        r#"<span class="badge shade-{shade} {scope}" aria-hidden="true">{}</span>"#,
        escape(&initials)
    )
}

/// The source system with its badge.
fn source_html(system: &str, scope: &str) -> String {
    format!("{}{}", badge_html(system, scope), escape(system))
}

/// "Shopify orders → NetSuite orders", with a badge per system (the arrow reads as "to").
fn flow_html(source: &Endpoint, destination: &Endpoint, scope: &str) -> String {
    format!(
        r#"{}{} {}<span aria-hidden="true" class="{scope}">→</span><span class="visually-hidden {scope}">to</span>{}{} {}"#,
        badge_html(&source.system, scope),
        escape(&source.system),
        escape(&source.entity),
        badge_html(&destination.system, scope),
        escape(&destination.system),
        escape(&destination.entity),
    )
}

/// A bell icon, struck through when alerts are off (decoration: the text says On or Off).
fn bell_html(on: bool, scope: &str) -> String {
    let strike = if on {
        ""
    } else {
        r#"<path d="M2 2l12 12" stroke="currentColor" stroke-width="1.6"></path>"#
    };
    format!(
        r#"<svg class="bell {scope}" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><path d="M8 1.5a4 4 0 0 0-4 4v3L2.5 11h11L12 8.5v-3a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.4"></path>{strike}</svg>"#
    )
}

/// The last run's outcome and when ("Failed 3 h ago", the exact time on hover and focus), and
/// the failed runs of the last 24 hours when there were any.
fn health_html(health: &Health, now: i64, scope: &str) -> String {
    let mut out = String::new();
    match health.last_run_status {
        None => out.push_str(&format!(
            r#"<span class="health never {scope}">Never run</span>"#
        )),
        Some(status) => {
            let state = match status {
                RunStatus::Failed => "failed",
                RunStatus::Ok => "ok",
                RunStatus::Queued | RunStatus::Running => "live",
            };
            out.push_str(&format!(
                r#"<span class="health {state} {scope}" data-health="{}">{} "#,
                status.as_str(),
                status.label()
            ));
            let at = health.last_run_at.as_deref().and_then(parse_rfc3339);
            if let Some(at) = at {
                out.push_str(&crate::time_zone::relative_html_at(
                    at.unix_timestamp(),
                    now,
                ));
            }
            out.push_str("</span>");
        }
    }
    if health.failed_24h > 0 {
        out.push_str(&format!(
            r#"<span class="failed-24h {scope}" data-failed-24h="{n}">{n} failed in 24 h</span>"#,
            n = health.failed_24h
        ));
    }
    out
}

/// When an active scheduled service runs next, relative, with the exact time on hover and
/// focus; "—" for webhooks and inactive services. The server's time when it sent one, else
/// the schedule's next time after now.
fn next_run_html(summary: &ServiceSummary, now: i64) -> String {
    let next = summary
        .next_run_at
        .as_deref()
        .and_then(parse_rfc3339)
        .map(|t| t.unix_timestamp())
        .filter(|t| *t > now)
        .or_else(
            || match (&summary.service.trigger, summary.service.status) {
                (Trigger::Schedule { cron }, Status::Active) => next_scheduled(cron, now),
                _ => None,
            },
        );
    match next {
        Some(at) => crate::time_zone::relative_html_at(at, now),
        None => "—".into(),
    }
}

/// When `cron` fires next after `now`. Parsing a schedule costs more than the rest of a row, and
/// a page shares a few schedules, so each is worked out once per `now` (which moves every 30 s).
fn next_scheduled(cron: &str, now: i64) -> Option<i64> {
    thread_local! {
        static NEXT: RefCell<(i64, HashMap<String, Option<i64>>)> = RefCell::new((0, HashMap::new()));
    }
    NEXT.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 != now {
            *cache = (now, HashMap::new());
        }
        if let Some(next) = cache.1.get(cron) {
            return *next;
        }
        let next = services_model::OffsetDateTime::from_unix_timestamp(now)
            .ok()
            .and_then(|at| Cron::parse(cron).ok()?.next_after(at))
            .map(|t| t.unix_timestamp());
        cache.1.insert(cron.to_string(), next);
        next
    })
}

/// The status as text and icon (never colour alone).
fn status_html(status: Status, scope: &str) -> String {
    let (icon, word, state) = match status {
        Status::Active => ("●", "Active", "active"),
        Status::Inactive => ("○", "Inactive", "inactive"),
    };
    format!(
        r#"<span class="status {state} {scope}"><span aria-hidden="true" class="{scope}">{icon}</span>{word}</span>"#
    )
}

/// The schedule in words; a cron schedule is focusable, with the expression in a tooltip that
/// shows on hover and focus, `Esc` hides ([`RowEvents`]), and screen readers get as its
/// description.
fn schedule_html(id: u64, trigger: &Trigger, scope: &str) -> String {
    let words = escape(&crate::format::schedule(trigger));
    match trigger.cron() {
        Some(cron) => format!(
            r#"<span class="schedule {scope}" tabindex="0" aria-describedby="cron-{id}">{words}<span class="cron {scope}" id="cron-{id}" role="tooltip">Cron (UTC): {}</span></span>"#,
            escape(cron)
        ),
        None => format!("<span>{words}</span>"),
    }
}

/// Alerts on or off, linking to the service's alert settings.
fn alerts_html(service: &Service, scope: &str) -> String {
    let (text, state) = if service.alerts_enabled {
        ("On", "on")
    } else {
        ("Off", "off")
    };
    format!(
        r#"<a class="alerts {scope}" href="{}" aria-label="Alerts {state}: alert settings for {}">{}{text}</a>"#,
        escape(&crate::config::href(&format!(
            "{}?tab=alerts",
            service_href(service.id)
        ))),
        escape(&service.name),
        bell_html(service.alerts_enabled, scope),
    )
}

fn type_word(service: &Service) -> &'static str {
    match service.service_type {
        ServiceType::Standard => "Standard",
        ServiceType::Sweeper => "Sweeper",
    }
}

/// The latest run as "id status" (for tools and tests; live updates change it in place).
fn last_run(summary: &ServiceSummary) -> String {
    summary
        .last_run
        .as_ref()
        .map(|r| format!("{} {}", r.id, r.status.as_str()))
        .unwrap_or_default()
}

fn flag(on: bool) -> String {
    if on { "1" } else { "" }.to_string()
}

/// The cells that follow the service (not the search): worked out again only when the service,
/// the time or the time zone changed, since typing re-reads every row that stays.
struct Followed {
    summary: ServiceSummary,
    now: i64,
    utc: bool,
    last_run: String,
    status: String,
    schedule: String,
    health: String,
    next_run: String,
    alerts: String,
}

impl Followed {
    fn new(summary: &ServiceSummary, now: i64, utc: bool, scope: &str) -> Followed {
        let s = &summary.service;
        Followed {
            summary: summary.clone(),
            now,
            utc,
            last_run: last_run(summary),
            status: status_html(s.status, scope),
            schedule: schedule_html(s.id, &s.trigger, scope),
            health: health_html(&s.health, now, scope),
            next_run: next_run_html(summary, now),
            alerts: alerts_html(s, scope),
        }
    }
}

/// What a row shows that can change, read (tracked) at once by its one render effect; each
/// layout puts the values in the order of its HTML.
struct Live {
    highlighted: String,
    selected: String,
    last_run: String,
    /// The checkbox, when the list has a selection.
    select: Option<LiveSelect>,
    id: String,
    status: String,
    type_word: String,
    /// The star's values ([`star_values`]), when the user has stars.
    star: Option<[String; 3]>,
    name: String,
    schedule: String,
    health: String,
    next_run: String,
    alerts: String,
    trigger: String,
}

struct LiveSelect {
    /// Whether the role may select (the checkbox exists).
    shown: bool,
    html: String,
    checked: String,
    label: String,
}

/// Reads a row's [`Live`] values; the cells that follow the service are worked out again only
/// when it, the time or the time zone changed.
struct Reader {
    id: u64,
    summary: ArcRwSignal<ServiceSummary>,
    terms: Signal<Vec<String>>,
    rows: crate::state::RowContext,
    selection: Option<BulkSelection>,
    starred: Option<Starred>,
    scope: &'static str,
    followed: std::sync::Mutex<Option<Followed>>,
}

impl Reader {
    fn new(row: RowHandle, terms: Signal<Vec<String>>, scope: &'static str) -> Reader {
        Reader {
            id: row.id,
            summary: row.summary,
            terms,
            rows: expect_context::<crate::state::RowContext>(),
            selection: use_context::<BulkSelection>(),
            starred: use_context::<Starred>(),
            scope,
            followed: std::sync::Mutex::new(None),
        }
    }

    fn read(&self) -> Live {
        let id = self.id;
        let now = crate::time_zone::now();
        let utc = crate::time_zone::utc();
        let is_selected = self.selection.is_some_and(|s| s.is_selected(id));
        let highlighted = flag(self.rows.highlight.get() == Some(id));
        self.summary.with(|summary| {
            let mut followed = self.followed.lock().unwrap_or_else(|e| e.into_inner());
            let f = match followed.take() {
                Some(f) if f.now == now && f.utc == utc && f.summary == *summary => f,
                _ => Followed::new(summary, now, utc, self.scope),
            };
            let service = &summary.service;
            let select = self.selection.map(|_| {
                let shown = self.rows.can_manage();
                LiveSelect {
                    shown,
                    html: if shown {
                        checkbox_html(id)
                    } else {
                        String::new()
                    },
                    checked: flag(is_selected),
                    label: if shown {
                        select_label(&service.name, id)
                    } else {
                        String::new()
                    },
                }
            });
            let live = self.terms.with(|terms| Live {
                highlighted,
                selected: flag(is_selected),
                last_run: f.last_run.clone(),
                select,
                id: marked_html(&id.to_string(), terms),
                status: f.status.clone(),
                type_word: marked_html(type_word(service), terms),
                star: self
                    .starred
                    .map(|starred| star_values(starred.is_starred(id), &service.name)),
                name: marked_html(&service.name, terms),
                schedule: f.schedule.clone(),
                health: f.health.clone(),
                next_run: f.next_run.clone(),
                alerts: f.alerts.clone(),
                trigger: trigger_label(&service.name, id),
            });
            *followed = Some(f);
            live
        })
    }
}

/// The row's opening tag's live parts (its classes and last run), in [`Live`]'s order.
fn write_root(html: &mut HtmlRow, tag: &str, class: &str, id: u64) {
    html.text(format!(r#"<{tag} class="{class}"#));
    html.live(Write::Class("highlighted"), At::Root);
    html.live(Write::Class("selected"), At::Root);
    html.text(format!(r#"" data-row-id="{id}" data-last-run=""#));
    html.live(Write::Attr("data-last-run"), At::Root);
    html.text(r#"">"#);
}

/// A table row: one HTML parse (its star, checkbox and menu button included) and one render
/// effect for everything in it that changes ([`HtmlRow`]); no components. The list's body
/// handles the controls' events ([`RowEvents`]) and mounts the open menu ([`ListMenu`]).
fn table_row(row: RowHandle, terms: Signal<Vec<String>>, scope: &'static str) -> HtmlRow {
    let id = row.id;
    let reader = Reader::new(row, terms, scope);
    let (has_select, has_star) = (reader.selection.is_some(), reader.starred.is_some());
    let (source, destination) = reader
        .summary
        .with_untracked(|s| (s.service.source.clone(), s.service.destination.clone()));
    let td = format!(r#"<td class="{scope}">"#);
    let mut html = HtmlRow::new();
    write_root(&mut html, "tr", scope, id);
    // The cells, by their place in the row (the checkbox's column comes first if there is one).
    let first = u32::from(has_select);
    let cell = |n: u32| At::Child(first + n);
    if has_select {
        html.text(format!(r#"<td class="select {scope}""#));
        html.live(Write::Flag("hidden"), At::Child(0));
        html.text(">");
        let select = html.live(Write::Html, At::Child(0));
        write_checkbox_state(&mut html, select);
        html.text("</td>");
    }
    html.text(format!(
        r#"{td}<span class="flow {scope}">{}</span></td>"#,
        source_html(&source.system, scope)
    ));
    html.text(td.clone());
    write_id(&mut html, id, scope);
    html.text("</td>");
    for n in [2, 3] {
        html.text(td.clone());
        html.live(Write::Html, cell(n));
        html.text("</td>");
    }
    html.text(format!(r#"{td}<span class="name-cell {scope}">"#));
    write_name(&mut html, id, has_star, scope);
    html.text("</span></td>");
    html.text(format!(
        r#"{td}<span class="flow {scope}">{}</span></td>"#,
        flow_html(&source, &destination, scope)
    ));
    let live_cells = [
        (6, td.clone()),
        (7, format!(r#"<td class="health-cell {scope}">"#)),
        (8, format!(r#"<td class="next-run {scope}">"#)),
        (9, td.clone()),
    ];
    for (n, open) in live_cells {
        html.text(open);
        html.live(Write::Html, cell(n));
        html.text("</td>");
    }
    html.text(format!(r#"<td class="actions {scope}">"#));
    write_trigger(&mut html, id);
    html.text("</td></tr>");

    html.values(move || {
        let live = reader.read();
        let mut values = Vec::with_capacity(24);
        values.extend([live.highlighted, live.selected, live.last_run]);
        if let Some(select) = live.select {
            values.extend([
                flag(!select.shown),
                select.html,
                select.checked,
                select.label,
            ]);
        }
        values.extend([live.id, live.status, live.type_word]);
        values.extend(live.star.into_iter().flatten());
        values.extend([
            live.name,
            live.schedule,
            live.health,
            live.next_run,
            live.alerts,
            live.trigger,
        ]);
        values
    })
}

/// A card (narrow screens): the same machinery as [`table_row`], the same information and
/// controls laid out as a head (checkbox, source, menu button), the name and a list of terms.
fn card_row(row: RowHandle, terms: Signal<Vec<String>>, scope: &'static str) -> HtmlRow {
    let id = row.id;
    let reader = Reader::new(row, terms, scope);
    let (has_select, has_star) = (reader.selection.is_some(), reader.starred.is_some());
    let (source, destination) = reader
        .summary
        .with_untracked(|s| (s.service.source.clone(), s.service.destination.clone()));
    let mut html = HtmlRow::new();
    write_root(&mut html, "li", &format!("card {scope}"), id);
    html.text(format!(r#"<div class="card-head {scope}">"#));
    if has_select {
        let select = html.live(Write::Leading, At::Select("div.card-head"));
        write_checkbox_state(&mut html, select);
    }
    html.text(format!(
        r#"<p class="source {scope}">{}</p>"#,
        source_html(&source.system, scope)
    ));
    write_trigger(&mut html, id);
    html.text(format!(r#"</div><h3 class="{scope}">"#));
    write_name(&mut html, id, has_star, scope);
    html.text(format!(r#"</h3><dl class="{scope}">"#));
    let term = |html: &mut HtmlRow, name: &str, dd: &str| {
        html.text(format!(
            r#"<dt class="{scope}">{name}</dt><dd class="{dd}{scope}">"#
        ));
    };
    term(&mut html, "ID", "");
    write_id(&mut html, id, scope);
    html.text("</dd>");
    for (name, at) in [
        ("Status", "dd:nth-of-type(2)"),
        ("Type", "dd:nth-of-type(3)"),
    ] {
        term(&mut html, name, "");
        html.live(Write::Html, At::Select(at));
        html.text("</dd>");
    }
    term(&mut html, "Flow", "");
    html.text(format!(
        r#"<span class="flow {scope}">{}</span></dd>"#,
        flow_html(&source, &destination, scope)
    ));
    for (name, class, at) in [
        ("Schedule", "", "dd:nth-of-type(5)"),
        ("Last run", "health-cell ", "dd.health-cell"),
        ("Next run", "next-run ", "dd.next-run"),
        ("Alerts", "", "dd:nth-of-type(8)"),
    ] {
        term(&mut html, name, class);
        html.live(Write::Html, At::Select(at));
        html.text("</dd>");
    }
    html.text("</dl></li>");

    html.values(move || {
        let live = reader.read();
        let mut values = Vec::with_capacity(20);
        values.extend([live.highlighted, live.selected, live.last_run]);
        if let Some(select) = live.select {
            values.extend([select.html, select.checked, select.label]);
        }
        values.push(live.trigger);
        values.extend(live.star.into_iter().flatten());
        values.extend([
            live.name,
            live.id,
            live.status,
            live.type_word,
            live.schedule,
            live.health,
            live.next_run,
            live.alerts,
        ]);
        values
    })
}

/// The checkbox's `checked` and label, live attributes of the checkbox inside part `select`
/// (so a rename doesn't replace a focused checkbox).
fn write_checkbox_state(html: &mut HtmlRow, select: usize) {
    html.live_within(select, Write::Checked, At::Select("input[data-select]"));
    html.live_within(
        select,
        Write::Attr("aria-label"),
        At::Select("input[data-select]"),
    );
}

/// The ID (search marks live) and its Copy button.
fn write_id(html: &mut HtmlRow, id: u64, scope: &str) {
    html.text(format!(
        r#"<span class="id-cell {scope}"><span class="id {scope}">"#
    ));
    html.live(Write::Html, At::Select("span.id"));
    html.text(format!(
        r#"</span><button type="button" class="copy {scope}" data-copy="{id}" aria-label="Copy ID {id}">Copy</button></span>"#
    ));
}

/// The star (if the user has stars) and the name linking to the service (search marks live).
fn write_name(html: &mut HtmlRow, id: u64, star: bool, scope: &str) {
    if star {
        write_star(html, id);
    }
    html.text(format!(
        r#"<a class="name {scope}" href="{}">"#,
        escape(&crate::config::href(&service_href(id)))
    ));
    html.live(Write::Html, At::Select("a.name"));
    html.text("</a>");
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// One service, as a table row or a card: one HTML parse and one render effect that reads the
/// row's signal, so a change to the service updates the row in place (focus and any open menu
/// stay). Clicks on the row, its Copy button, star, checkbox and menu button and the schedule's
/// `Esc` are handled once for the whole list ([`RowEvents`]), which keeps a row cheap to create.
/// No interactive element nests another.
#[component]
pub fn ServiceRow(
    row: RowHandle,
    layout: RowLayout,
    #[prop(into)] terms: Signal<Vec<String>>,
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
        tr.selected {
            background: var(--pw-color-accent-surface);
        }
        li.selected {
            background: var(--pw-color-accent-surface);
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
            align-items: center;
            gap: var(--pw-space-2);
        }
        p.source {
            flex: 1;
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
        td.select {
            width: 1.5rem;
        }
        span.name-cell {
            display: inline-flex;
            align-items: center;
        }
        span.health {
            white-space: nowrap;
        }
        span.health.failed {
            color: var(--pw-color-danger);
            font-weight: 600;
        }
        span.failed-24h {
            display: block;
            color: var(--pw-color-danger);
            white-space: nowrap;
        }
    };
    match layout {
        RowLayout::Table => table_row(row, terms, styler_class),
        RowLayout::Card => card_row(row, terms, styler_class),
    }
}

/// What the rows of a list (table body or card list) do, handled once for all of them: a click
/// anywhere on a row but its controls opens the service; Copy copies the ID; `Esc` hides a
/// schedule's cron tooltip until the pointer or focus leaves it; a row's star, checkbox and
/// menu button work (the open menu mounted by the list's [`ListMenu`]). Rows have no listeners
/// of their own ([`table_row`], [`card_row`]).
#[derive(Clone, Copy)]
pub struct RowEvents {
    pub on_open: Callback<u64>,
    rows: Signal<Vec<RowHandle>>,
    menu: ListMenu,
    starred: Option<Starred>,
    selection: Option<BulkSelection>,
}

/// The id a control carries in `attribute`, if `target` is in such a control.
fn control_id(target: &web_sys::Element, selector: &str, attribute: &str) -> Option<u64> {
    target
        .closest(selector)
        .ok()
        .flatten()?
        .get_attribute(attribute)?
        .parse()
        .ok()
}

/// The row of the menu button `target` is in, if it is in one.
fn menu_button(target: &web_sys::Element) -> Option<u64> {
    let button = target
        .closest("[data-actions-for] > button")
        .ok()
        .flatten()?;
    button
        .parent_element()?
        .get_attribute("data-actions-for")?
        .parse()
        .ok()
}

fn element_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target.and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

impl RowEvents {
    /// For the rows of a list: `rows` are the rows of the page, `menu` mounts the open menu.
    pub fn new(on_open: Callback<u64>, rows: Signal<Vec<RowHandle>>, menu: ListMenu) -> RowEvents {
        RowEvents {
            on_open,
            rows,
            menu,
            starred: use_context::<Starred>(),
            selection: use_context::<BulkSelection>(),
        }
    }

    pub fn click(&self, ev: leptos::ev::MouseEvent) {
        let Some(target) = element_of(ev.target()) else {
            return;
        };
        if let Some(copy) = target.closest("button[data-copy]").ok().flatten() {
            copy_id(copy);
            return;
        }
        if self.control_click(&target, ev.shift_key()) {
            return;
        }
        let on_control = target
            .closest("a, button, input, select, [role=menu], [tabindex]")
            .ok()
            .flatten()
            .is_some();
        let row = target
            .closest("[data-row-id]")
            .ok()
            .flatten()
            .and_then(|r| r.get_attribute("data-row-id"))
            .and_then(|id| id.parse::<u64>().ok());
        if let (false, Some(id)) = (on_control, row) {
            self.on_open.run(id);
        }
    }

    pub fn keydown(&self, ev: leptos::ev::KeyboardEvent) {
        if ev.key() == "Escape" {
            if let Some(schedule) = schedule_of(ev.target()) {
                let _ = schedule.class_list().add_1("dismissed");
            }
        }
        if let Some(id) = element_of(ev.target()).and_then(|t| menu_button(&t)) {
            self.menu.keydown(id, &ev);
        }
    }

    /// Focus or the pointer left a schedule: its tooltip shows again next time.
    pub fn left(target: Option<web_sys::EventTarget>, to: Option<web_sys::EventTarget>) {
        if let Some(schedule) = schedule_of(target) {
            let to = to.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if !schedule.contains(to.as_ref()) {
                let _ = schedule.class_list().remove_1("dismissed");
            }
        }
    }
}

impl RowEvents {
    /// A click on a row's star, checkbox or menu button; whether it was one.
    fn control_click(&self, target: &web_sys::Element, shift: bool) -> bool {
        if let Some(id) = control_id(target, "button[data-star]", "data-star") {
            let name = self.rows.try_with_untracked(|rows| {
                rows.iter()
                    .find(|r| r.id == id)
                    .and_then(|r| r.summary.try_with_untracked(|s| s.service.name.clone()))
            });
            if let (Some(starred), Some(Some(name))) = (self.starred, name) {
                starred.toggle(id, name);
            }
            return true;
        }
        if let Some(id) = control_id(target, "input[data-select]", "data-select") {
            if let Some(selection) = self.selection {
                selection.click(id, shift);
            }
            return true;
        }
        if let Some(id) = menu_button(target) {
            self.menu.click(id);
            return true;
        }
        false
    }
}

fn schedule_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("span.schedule").ok().flatten())
}

/// Copies the button's ID to the clipboard and says so on the button.
fn copy_id(button: web_sys::Element) {
    let Some(text) = button.get_attribute("data-copy") else {
        return;
    };
    let clipboard = window().navigator().clipboard();
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        if ok && button.is_connected() {
            button.set_text_content(Some("Copied"));
        }
    });
}
