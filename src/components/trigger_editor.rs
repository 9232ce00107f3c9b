use crate::store::ServicesStore;
use leptos::html;
use leptos::prelude::*;
use services_model::local_time::describe_at_offset;
use services_model::schedule::{format_run_time_at, preview, EVERY_MINUTES, WEEKDAY_CHOICES};
use services_model::{
    Cron, OffsetDateTime, ScheduleField, ScheduleForm, SchedulePreset, ServiceDetail, ServicePatch,
    ServiceType, Trigger,
};
use stylers::style;

const FORM_ID: &str = "trigger-editor";
const ERROR_ID: &str = "schedule-error";

fn now() -> OffsetDateTime {
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn type_label(t: ServiceType) -> &'static str {
    match t {
        ServiceType::Standard => "Standard",
        ServiceType::Sweeper => "Sweeper",
    }
}

fn trigger_label(trigger: &Trigger) -> String {
    match trigger {
        Trigger::Webhook => "Webhook".into(),
        Trigger::Schedule { cron } => format!("{} ({cron})", trigger.describe()),
    }
}

/// The service's type and trigger, and (for roles that may change services) an editor for
/// them: standard or sweeper; a webhook or a schedule chosen from the common shapes or typed as
/// a cron expression, previewed as you type (in words, with the next five runs) and checked by
/// the rule the API applies.
#[component]
pub fn TriggerSettings(
    #[prop(into)] detail: Signal<Option<ServiceDetail>>,
    #[prop(into)] can_manage: Signal<bool>,
) -> impl IntoView {
    let styler_class = style! {
        section {
            margin-bottom: var(--pw-space-4);
            max-width: 36rem;
        }
        h3 {
            font-size: var(--pw-font-size);
            margin: 0 0 var(--pw-space-2) 0;
        }
        dl.current {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--pw-space-1) var(--pw-space-3);
            margin: 0 0 var(--pw-space-2) 0;
        }
        dt {
            color: var(--pw-color-text-muted);
        }
        dd {
            margin: 0;
            overflow-wrap: anywhere;
        }
        form {
            display: grid;
            gap: var(--pw-space-3);
            margin-top: var(--pw-space-2);
            padding: var(--pw-space-3);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
        }
        fieldset {
            border: none;
            margin: 0;
            padding: 0;
            min-width: 0;
        }
        legend {
            font-weight: 600;
            margin-bottom: var(--pw-space-1);
            padding: 0;
        }
        label.choice {
            display: flex;
            gap: var(--pw-space-2);
            align-items: center;
            padding: 0.125rem 0;
        }
        div.choices {
            display: flex;
            flex-wrap: wrap;
            gap: 0 var(--pw-space-4);
        }
        div.param {
            display: grid;
            gap: var(--pw-space-1);
        }
        label.field-label {
            font-weight: 600;
        }
        p.hint {
            margin: 0;
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
        input.short {
            max-width: 8rem;
        }
        select.short {
            max-width: 14rem;
        }
        input.cron {
            font-family: var(--pw-font-mono, monospace);
        }
        div.preview {
            display: grid;
            gap: var(--pw-space-1);
        }
        p.description {
            margin: 0;
        }
        ol {
            margin: 0;
            padding-left: 1.5rem;
        }
        p.runs-heading {
            margin: 0;
            color: var(--pw-color-text-muted);
        }
        div.buttons {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-2);
        }
        p.note {
            margin: 0;
            color: var(--pw-color-text-muted);
        }
    };
    let store = expect_context::<ServicesStore>();
    let toasts = expect_context::<crate::components::Toasts>();
    let id = detail.with_untracked(|d| d.as_ref().map_or(0, |d| d.service.id));
    let open = RwSignal::new(false);
    let service_type = RwSignal::new(ServiceType::Standard);
    let scheduled = RwSignal::new(true);
    let form = RwSignal::new(ScheduleForm::default());
    // Errors show once the user has touched the schedule (or tried to save).
    let checked = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);
    let toggle_ref = NodeRef::<html::Button>::new();

    let current = move || detail.with(|d| d.as_ref().map(|d| d.service.clone()));
    let result = Memo::new(move |_| form.with(|f| preview(f, now())));
    // The preset alone, so typing in a field never re-renders the fields.
    let chosen = Memo::new(move |_| form.with(|f| f.preset));
    let error_for = move |field: ScheduleField| {
        result.with(|r| match r {
            Err(e) if e.field == field && checked.get() && scheduled.get() => {
                Some(e.message.clone())
            }
            _ => None,
        })
    };
    let invalid = move |field: ScheduleField| error_for(field).is_some();
    let described = move |field: ScheduleField, hint: &'static str| {
        move || {
            let mut ids = hint.to_string();
            if invalid(field) {
                if !ids.is_empty() {
                    ids.push(' ');
                }
                ids.push_str(ERROR_ID);
            }
            (!ids.is_empty()).then_some(ids)
        }
    };
    let aria_invalid = move |field: ScheduleField| move || invalid(field).then_some("true");

    let start_editing = move || {
        if let Some(service) = current() {
            service_type.set(service.service_type);
            match &service.trigger {
                Trigger::Schedule { cron } => {
                    scheduled.set(true);
                    form.set(ScheduleForm::from_cron(cron));
                }
                Trigger::Webhook => {
                    scheduled.set(false);
                    form.set(ScheduleForm::default());
                }
            }
        }
        checked.set(false);
        save_error.set(None);
        open.set(true);
    };
    let close = move || {
        open.set(false);
        if let Some(button) = toggle_ref.get_untracked() {
            let _ = button.focus();
        }
    };
    let focus_field = move |field: ScheduleField| {
        let id = match field {
            ScheduleField::Every => "schedule-every",
            ScheduleField::Minute => "schedule-minute",
            ScheduleField::Time => "schedule-time",
            ScheduleField::Weekday => "schedule-weekday",
            ScheduleField::Custom => "schedule-cron",
        };
        if let Some(element) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        checked.set(true);
        let trigger = if scheduled.get_untracked() {
            match result.get_untracked() {
                Ok(p) => Trigger::Schedule { cron: p.cron },
                Err(e) => {
                    focus_field(e.field);
                    return;
                }
            }
        } else {
            Trigger::Webhook
        };
        let patch = ServicePatch {
            service_type: Some(service_type.get_untracked()),
            trigger: Some(trigger),
            ..ServicePatch::default()
        };
        saving.set(true);
        save_error.set(None);
        leptos::task::spawn_local(async move {
            let outcome = store.update_service(id, patch).await;
            saving.try_set(false);
            match outcome {
                Ok(saved) => {
                    toasts.show(
                        format!(
                            "Saved: {}, {}.",
                            type_label(saved.service.service_type).to_lowercase(),
                            trigger_label(&saved.service.trigger)
                        ),
                        None,
                    );
                    if open.try_set(false).is_none() {
                        if let Some(button) = toggle_ref.get_untracked() {
                            let _ = button.focus();
                        }
                    }
                }
                Err(e) => {
                    save_error.try_set(Some(format!(
                        "Not saved: {e} Your changes are still here; try again."
                    )));
                }
            }
        });
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    let set_form = move |change: fn(&mut ScheduleForm, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            checked.set(true);
            form.update(|f| change(f, value));
        }
    };

    let preset_choice = move |preset: SchedulePreset| {
        let id = format!("schedule-preset-{}", preset.as_str());
        let label_for = id.clone();
        view! { class = styler_class,
            <label class="choice" for=label_for>
                <input
                    type="radio"
                    id=id
                    name="schedule-preset"
                    value=preset.as_str()
                    prop:checked=move || chosen.get() == preset
                    on:change=move |_| form.update(|f| f.preset = preset)
                />
                {preset.label()}
            </label>
        }
    };
    let time_field = move || {
        view! { class = styler_class,
            <div class="param">
                <label class="field-label" for="schedule-time">"Time (HH:MM, 24-hour, UTC)"</label>
                <input
                    class="field short"
                    id="schedule-time"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    prop:value=move || form.with(|f| f.time.clone())
                    on:input=set_form(|f, v| f.time = v)
                    aria-invalid=aria_invalid(ScheduleField::Time)
                    aria-describedby=described(ScheduleField::Time, "")
                />
            </div>
        }
    };
    let parameters = move || {
        match chosen.get() {
            SchedulePreset::EveryMinutes => view! { class = styler_class,
                <div class="param">
                    <label class="field-label" for="schedule-every">"Minutes between runs"</label>
                    <select
                        class="field short"
                        id="schedule-every"
                        on:change=set_form(|f, v| f.every = v)
                        aria-invalid=aria_invalid(ScheduleField::Every)
                        aria-describedby=described(ScheduleField::Every, "")
                    >
                        {EVERY_MINUTES.iter().map(|n| {
                            let value = n.to_string();
                            let selected = form.with_untracked(|f| f.every == value);
                            view! { class = styler_class, <option value=value selected=selected>{n.to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
            .into_any(),
            SchedulePreset::Hourly => view! { class = styler_class,
                <div class="param">
                    <label class="field-label" for="schedule-minute">"Minute past the hour (0–59)"</label>
                    <input
                        class="field short"
                        id="schedule-minute"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=move || form.with(|f| f.minute.clone())
                        on:input=set_form(|f, v| f.minute = v)
                        aria-invalid=aria_invalid(ScheduleField::Minute)
                        aria-describedby=described(ScheduleField::Minute, "")
                    />
                </div>
            }
            .into_any(),
            SchedulePreset::Daily | SchedulePreset::Weekdays => time_field().into_any(),
            SchedulePreset::Weekly => view! { class = styler_class,
                <div class="param">
                    <label class="field-label" for="schedule-weekday">"Day"</label>
                    <select
                        class="field short"
                        id="schedule-weekday"
                        on:change=set_form(|f, v| f.weekday = v)
                        aria-invalid=aria_invalid(ScheduleField::Weekday)
                        aria-describedby=described(ScheduleField::Weekday, "")
                    >
                        {WEEKDAY_CHOICES.iter().map(|(n, name)| {
                            let value = n.to_string();
                            let selected = form.with_untracked(|f| f.weekday == value);
                            view! { class = styler_class, <option value=value selected=selected>{*name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {time_field()}
            }
            .into_any(),
            SchedulePreset::Custom => view! { class = styler_class,
                <div class="param">
                    <label class="field-label" for="schedule-cron">"Cron expression"</label>
                    <p class="hint" id="schedule-cron-hint">
                        "Five fields in UTC: minute, hour, day of month, month, day of week (e.g. 30 6 * * 1-5)."
                    </p>
                    <input
                        class="field cron"
                        id="schedule-cron"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || form.with(|f| f.custom.clone())
                        on:input=set_form(|f, v| f.custom = v)
                        aria-invalid=aria_invalid(ScheduleField::Custom)
                        aria-describedby=described(ScheduleField::Custom, "schedule-cron-hint")
                    />
                </div>
            }
            .into_any(),
        }
    };
    let preview_view = move || {
        let shown_error = result.with(|r| r.as_ref().err().map(|e| e.message.clone()));
        match shown_error {
            Some(message) if checked.get() => view! { class = styler_class,
                <p class="form-error" id=ERROR_ID>{message}</p>
            }
            .into_any(),
            Some(_) => view! { class = styler_class,
                <p class="description">"Complete the schedule to see when it runs."</p>
            }
            .into_any(),
            None => {
                let description = result.with(|r| {
                    r.as_ref()
                        .map(|p| {
                            let local = Cron::parse(&p.cron)
                                .map(|c| describe_at_offset(&c, crate::time_zone::offset_now()))
                                .ok()
                                .filter(|_| !crate::time_zone::utc());
                            match local {
                                Some(words) if words.contains("UTC)") => words,
                                _ => p.description.clone(),
                            }
                        })
                        .unwrap_or_default()
                });
                view! { class = styler_class,
                    <p class="description" id="schedule-description">{description}</p>
                }
                .into_any()
            }
        }
    };
    // In the user's zone with UTC alongside ("Mon 30 Nov 2026, 07:30 (06:30 UTC)"), or UTC.
    let next_runs = move || {
        let utc = crate::time_zone::utc();
        result.with(|r| {
            r.as_ref()
                .map(|p| {
                    p.next_runs
                        .iter()
                        .zip(&p.next_run_times)
                        .map(|(in_utc, at)| {
                            let offset = crate::time_zone::offset_at(at.unix_timestamp());
                            if utc || offset == 0 {
                                in_utc.clone()
                            } else {
                                format!("{} ({in_utc})", format_run_time_at(*at, offset))
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    let editor = move || {
        view! { class = styler_class,
            <form id=FORM_ID aria-labelledby="trigger-heading" on:submit=submit on:keydown=on_keydown>
                <fieldset>
                    <legend>"Type"</legend>
                    <div class="choices">
                        {ServiceType::ALL.into_iter().map(|t| {
                            let id = format!("service-type-{}", t.as_str());
                            let label_for = id.clone();
                            view! { class = styler_class,
                                <label class="choice" for=label_for>
                                    <input
                                        type="radio"
                                        id=id
                                        name="service-type"
                                        value=t.as_str()
                                        prop:checked=move || service_type.get() == t
                                        on:change=move |_| service_type.set(t)
                                    />
                                    {type_label(t)}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="hint">"Standard services run on their trigger; sweepers pick up failed syncs, usually once or twice a day."</p>
                </fieldset>
                <fieldset>
                    <legend>"Trigger"</legend>
                    <div class="choices">
                        <label class="choice" for="trigger-schedule">
                            <input type="radio" id="trigger-schedule" name="trigger-kind" value="schedule"
                                prop:checked=move || scheduled.get() on:change=move |_| scheduled.set(true)/>
                            "Schedule"
                        </label>
                        <label class="choice" for="trigger-webhook">
                            <input type="radio" id="trigger-webhook" name="trigger-kind" value="webhook"
                                prop:checked=move || !scheduled.get() on:change=move |_| scheduled.set(false)/>
                            "Webhook"
                        </label>
                    </div>
                </fieldset>
                <Show
                    when=move || scheduled.get()
                    fallback=move || view! { class = styler_class,
                        <p class="note">"The service runs whenever its webhook is called; it has no schedule."</p>
                    }
                >
                    <fieldset>
                        <legend>"Schedule (UTC)"</legend>
                        {SchedulePreset::ALL.into_iter().map(preset_choice).collect_view()}
                    </fieldset>
                    {parameters}
                    <div class="preview">
                        <div aria-live="polite" aria-atomic="true">{preview_view}</div>
                        <Show when=move || !next_runs().is_empty()>
                            <p class="runs-heading" id="schedule-next-heading">"Next five runs"</p>
                            <ol aria-labelledby="schedule-next-heading">
                                {move || next_runs().into_iter().map(|t| view! { class = styler_class, <li>{t}</li> }).collect_view()}
                            </ol>
                        </Show>
                    </div>
                </Show>
                {move || save_error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
                <div class="buttons">
                    <button type="submit" class="button button-primary" aria-disabled=move || saving.get().then_some("true")>
                        {move || if saving.get() { "Saving…" } else { "Save type and trigger" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        }
    };

    view! { class = styler_class,
        <section aria-labelledby="trigger-heading">
            <h3 id="trigger-heading">"Type and trigger"</h3>
            <dl class="current">
                <dt>"Type"</dt>
                <dd>{move || current().map(|s| type_label(s.service_type)).unwrap_or_default()}</dd>
                <dt>"Trigger"</dt>
                <dd>{move || current().map(|s| trigger_label(&s.trigger)).unwrap_or_default()}</dd>
            </dl>
            <Show when=move || can_manage.get()>
                <button
                    type="button"
                    class="button"
                    node_ref=toggle_ref
                    aria-expanded=move || open.get().to_string()
                    aria-controls=move || open.get().then_some(FORM_ID)
                    on:click=move |_| if open.get_untracked() { close() } else { start_editing() }
                >
                    "Change type and trigger"
                </button>
                <Show when=move || open.get()>{editor()}</Show>
            </Show>
        </section>
    }
}
