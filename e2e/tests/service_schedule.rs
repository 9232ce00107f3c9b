//! The Settings tab's type and trigger editor against the real server: a type and a schedule
//! changed through the UI reach the API, the list and the scheduler's next tick; invalid
//! expressions are refused with the reason; keyboard use; read-only roles get no editor; and
//! axe-core finds nothing with the editor open at 1280 and 375 px.

use fantoccini::key::Key;
use serde_json::Value;
use services_e2e::Harness;
use services_model::OffsetDateTime;
use services_server::{clock, scheduler};

async fn an_active_service(h: &Harness) -> Value {
    let (_, list) = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?status=active&limit=1",
            None,
        )
        .await;
    list["items"][0].clone()
}

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

async fn attr(h: &Harness, css: &str, name: &str) -> Option<String> {
    h.find(css).await.attr(name).await.unwrap()
}

/// Replaces the text of an input by typing, as a user does.
async fn type_into(h: &Harness, css: &str, text: &str) {
    let input = h.find(css).await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// Opens the service's Settings tab signed in as `user`, with the editor open (when offered).
async fn open_settings(h: &Harness, id: u64, user: &str) {
    h.open(&format!("/services/{id}?tab=settings")).await;
    h.sign_in_as(user).await;
    h.find("#trigger-heading").await;
    h.watch_errors().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn type_and_schedule_change_through_the_ui_and_reach_the_api_list_and_scheduler() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let service = an_active_service(&h).await;
    let id = service["id"].as_u64().unwrap();
    let new_type = if service["service_type"] == "sweeper" {
        "standard"
    } else {
        "sweeper"
    };
    open_settings(&h, id, "Ada Morgan").await;
    let toggle = h.button("Change type and trigger").await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    toggle.click().await.unwrap();
    h.find("#trigger-editor").await;
    assert_eq!(
        attr(&h, "#trigger-heading + dl + button", "aria-expanded")
            .await
            .as_deref(),
        Some("true")
    );
    // The editor opens on the service's current values.
    let current = format!(
        "#service-type-{}",
        service["service_type"].as_str().unwrap()
    );
    assert_eq!(
        h.eval(&format!("document.querySelector('{current}').checked"))
            .await,
        Value::Bool(true)
    );
    assert_eq!(
        h.eval("document.querySelector('#trigger-schedule').checked")
            .await,
        Value::Bool(true)
    );

    h.find(&format!("#service-type-{new_type}"))
        .await
        .click()
        .await
        .unwrap();

    // A custom expression: an invalid one is refused with the reason, linked to its field.
    h.find("#schedule-preset-custom")
        .await
        .click()
        .await
        .unwrap();
    type_into(&h, "#schedule-cron", "61 * * * *").await;
    let error = h
        .wait_for_texts("#schedule-error", "the reason", |t| {
            t.iter().any(|x| x.contains("not a valid schedule"))
        })
        .await;
    assert!(error[0].contains("61 * * * *"), "{error:?}");
    assert_eq!(
        attr(&h, "#schedule-cron", "aria-invalid").await.as_deref(),
        Some("true")
    );
    let described = attr(&h, "#schedule-cron", "aria-describedby")
        .await
        .unwrap_or_default();
    assert!(
        described.contains("schedule-error") && described.contains("schedule-cron-hint"),
        "{described}"
    );
    assert!(h.texts("#trigger-editor ol li").await.is_empty());
    no_axe_violations(&h, "the editor with an invalid expression (1280)").await;
    h.button("Save type and trigger")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until(
        "focus on the invalid field",
        "document.activeElement && document.activeElement.id === 'schedule-cron'",
    )
    .await;
    let (_, unchanged) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(unchanged["trigger"], service["trigger"], "nothing was sent");
    type_into(&h, "#schedule-cron", "* * * *").await;
    h.wait_for_texts("#schedule-error", "the field count", |t| {
        t.iter().any(|x| x.contains("5 fields"))
    })
    .await;

    // A preset: weekly on Wednesdays at 07:15, described with its next five runs as you type.
    assert_ne!(service["trigger"]["cron"], "15 7 * * 3", "a real change");
    h.find("#schedule-preset-weekly")
        .await
        .click()
        .await
        .unwrap();
    h.find("#schedule-weekday")
        .await
        .select_by_value("3")
        .await
        .unwrap();
    type_into(&h, "#schedule-time", "7:1").await;
    h.wait_for_texts("#schedule-error", "a half-typed time", |t| {
        t.iter().any(|x| x.contains("HH:MM"))
    })
    .await;
    assert_eq!(
        attr(&h, "#schedule-time", "aria-invalid").await.as_deref(),
        Some("true")
    );
    h.press("5").await;
    h.wait_for_texts("#schedule-description", "the description", |t| {
        t == ["Wednesdays at 07:15 UTC"]
    })
    .await;
    assert_eq!(
        attr(&h, "#schedule-time", "aria-invalid").await,
        None,
        "valid again"
    );
    let runs = h
        .wait_for_texts("#trigger-editor ol li", "five runs", |t| t.len() == 5)
        .await;
    for run in &runs {
        assert!(
            run.starts_with("Wed ") && run.ends_with(", 07:15 UTC"),
            "{runs:?}"
        );
    }
    h.eval("(document.querySelector('#schedule-preset-minutes').scrollIntoView(), true)")
        .await;
    no_axe_violations(&h, "the editor open with a preview (1280)").await;
    h.screenshot("service-schedule-1280x800").await;

    h.button("Save type and trigger")
        .await
        .click()
        .await
        .unwrap();
    h.toast("Saved").await;
    h.wait_until(
        "the editor closes and focus returns to its button",
        "!document.querySelector('#trigger-editor') && document.activeElement \
         && document.activeElement.textContent.trim() === 'Change type and trigger'",
    )
    .await;
    let (_, saved) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(saved["service_type"], new_type);
    assert_eq!(saved["trigger"]["cron"], "15 7 * * 3");
    let next = services_model::parse_rfc3339(saved["next_run_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        (
            next.weekday().number_days_from_sunday(),
            next.hour(),
            next.minute()
        ),
        (3, 7, 15),
        "{saved}"
    );
    // The page's header says so.
    h.wait_for_texts("main dl dd", "the header", |t| {
        t.iter().any(|x| x == "Wednesdays at 07:15 UTC") && t.iter().any(|x| x == new_type)
    })
    .await;

    // The list shows it, from the store and after a fresh load.
    for fresh in [false, true] {
        if fresh {
            h.open(&format!("/?group=1&q={id}")).await;
            h.sign_in_as("Ada Morgan").await;
        } else {
            h.back_to_services().await;
        }

        h.wait_for_texts("#services-panel tbody tr", "the changed row", |rows| {
            rows.iter().any(|r| {
                r.contains(&id.to_string())
                    && r.contains("Wednesdays at 07:15 UTC")
                    && r.to_lowercase().contains(new_type)
            })
        })
        .await;
    }

    // A schedule for a minute soon: the scheduler's tick for that minute queues a run.
    open_settings(&h, id, "Ada Morgan").await;
    h.button("Change type and trigger")
        .await
        .click()
        .await
        .unwrap();
    h.find("#schedule-preset-custom")
        .await
        .click()
        .await
        .unwrap();
    let minute = (clock::now_unix() / 60 + 2) * 60;
    let at = OffsetDateTime::from_unix_timestamp(minute).unwrap();
    let cron = format!(
        "{} {} {} {} *",
        at.minute(),
        at.hour(),
        at.day(),
        u8::from(at.month())
    );
    type_into(&h, "#schedule-cron", &cron).await;
    h.wait_for_texts("#schedule-description", "the custom schedule", |t| {
        t.iter().any(|x| x.contains(&cron))
    })
    .await;
    h.button("Save type and trigger")
        .await
        .click()
        .await
        .unwrap();
    h.toast("Saved").await;
    let (_, saved) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(saved["trigger"]["cron"], cron.as_str());
    assert_eq!(saved["next_run_at"], clock::format(minute).as_str());
    // Let any run still live from the seed finish, so the tick may queue one.
    let runs_path = format!("/api/v1/services/{id}/runs?since=2000-01-01T00:00:00Z");
    for _ in 0..150 {
        let (_, runs) = h.api("GET", &runs_path, None).await;
        let live = runs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"] == "queued" || r["status"] == "running");
        if !live {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    scheduler::catch_up(&h.server.db, minute + 1).await.unwrap();
    let (_, runs) = h.api("GET", &runs_path, None).await;
    let scheduled: Vec<&Value> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["trigger"] == "schedule" && r["created_at"] == clock::format(minute).as_str())
        .collect();
    assert_eq!(scheduled.len(), 1, "{runs}");
    h.assert_no_page_errors("the schedule editor").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_editor_works_by_keyboard_and_passes_axe_at_375_px() {
    let h = Harness::start_with_window(375, 812).await;
    h.open_signed_in("/").await;
    let service = an_active_service(&h).await;
    let id = service["id"].as_u64().unwrap();
    open_settings(&h, id, "Ben Carter").await; // a manager
    let toggle = h.button("Change type and trigger").await;
    h.eval("(document.evaluate(\"//button[normalize-space(.)='Change type and trigger']\", document, null, 9, null).singleNodeValue.focus(), true)")
        .await;
    h.press(&Key::Enter.to_string()).await;
    h.find("#trigger-editor").await;
    // Radios move with the arrow keys; the choice shows its own fields.
    h.find("#trigger-webhook").await.click().await.unwrap();
    h.wait_for_texts("#trigger-editor p.note", "the webhook note", |t| {
        t.iter().any(|x| x.contains("webhook is called"))
    })
    .await;
    assert!(h.texts("#schedule-preset-daily").await.is_empty());
    h.press(&Key::Left.to_string()).await;
    h.wait_until(
        "the schedule choice back",
        "document.querySelector('#trigger-schedule').checked",
    )
    .await;
    h.eval("(document.querySelector('#schedule-preset-minutes').focus(), true)")
        .await;
    h.press(&Key::Down.to_string()).await;
    h.wait_until(
        "hourly chosen by keyboard",
        "document.querySelector('#schedule-preset-hourly').checked \
         && !!document.querySelector('#schedule-minute')",
    )
    .await;
    h.press(&Key::Tab.to_string()).await;
    assert_eq!(
        h.eval("document.activeElement.id").await,
        "schedule-minute",
        "Tab leaves the radio group for the preset's field"
    );
    h.press(&Key::Backspace.to_string()).await;
    h.press("45").await;
    h.wait_for_texts("#schedule-description", "hourly", |t| {
        t == ["Every hour at :45"]
    })
    .await;
    h.wait_for_texts("#trigger-editor ol li", "five runs", |t| {
        t.len() == 5 && t.iter().all(|x| x.contains(":45 UTC"))
    })
    .await;
    no_axe_violations(&h, "the editor open (375)").await;
    h.eval("(document.querySelector('#trigger-editor').scrollIntoView(), true)")
        .await;
    h.screenshot("service-schedule-375x812").await;
    let overflow = h
        .eval("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        .await;
    assert_eq!(overflow, Value::Bool(false), "nothing scrolls sideways");
    // Escape closes without saving and gives focus back to the button.
    h.press(&Key::Escape.to_string()).await;
    h.wait_until(
        "the editor closes",
        "!document.querySelector('#trigger-editor') \
         && document.activeElement.getAttribute('aria-expanded') === 'false'",
    )
    .await;
    let (_, after) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(after["trigger"], service["trigger"]);
    // Enter in a field saves the form.
    toggle.click().await.unwrap();
    h.find("#schedule-preset-hourly")
        .await
        .click()
        .await
        .unwrap();
    type_into(&h, "#schedule-minute", "5").await;
    h.press(&Key::Enter.to_string()).await;
    h.toast("Saved").await;
    let (_, after) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(after["trigger"]["cron"], "5 * * * *");
    h.assert_no_page_errors("the editor at 375 px").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_and_user_roles_see_the_trigger_but_no_editor() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let service = an_active_service(&h).await;
    let id = service["id"].as_u64().unwrap();
    open_settings(&h, id, "Dan Hughes").await;
    let shown = h
        .wait_for_texts("#trigger-heading + dl dd", "the current values", |t| {
            t.len() == 2 && !t[1].is_empty()
        })
        .await;
    assert!(
        shown[1].contains(service["trigger"]["cron"].as_str().unwrap_or("Webhook")),
        "{shown:?}"
    );
    assert!(h.texts("#trigger-heading ~ button").await.is_empty());
    assert!(h.texts("#trigger-editor").await.is_empty());
    let (status, body) = h
        .api_as(
            "dan.hughes",
            "PATCH",
            &format!("/api/v1/services/{id}"),
            Some(serde_json::json!({"service_type": "sweeper"})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    no_axe_violations(&h, "the read-only settings").await;
    h.stop().await;
}
