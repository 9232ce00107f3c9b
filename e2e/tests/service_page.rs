//! The service page: its tabs, a run's log with auto-refresh, settings and alerts, against the
//! real server; and axe-core audits of each tab and dialog.

use fantoccini::Locator;
use serde_json::json;
use services_e2e::Harness;
use std::time::Duration;

async fn an_active_service(h: &Harness) -> (u64, String) {
    let (_, list) = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?status=active&limit=1",
            None,
        )
        .await;
    (
        list["items"][0]["id"].as_u64().unwrap(),
        list["items"][0]["name"].as_str().unwrap().to_string(),
    )
}

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_from_the_list_reaches_ok_or_failed_in_the_summary() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=1&status=active").await;
    h.wait_for_texts("#services-panel span.id", "rows", |ids| !ids.is_empty())
        .await;
    let id = h.texts("#services-panel span.id").await[0].clone();
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    h.browser
        .find(Locator::XPath(
            "//*[@role='menuitem'][normalize-space(.)='Run manually']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.button("Start run").await.click().await.unwrap();
    h.browser
        .wait()
        .for_element(Locator::LinkText("View its log"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let state = h
        .wait_for_texts("section p[role=status]", "the finished run", |t| {
            t.iter().any(|s| s.contains("The run finished"))
        })
        .await;
    assert!(
        state
            .iter()
            .any(|s| s.contains("ok") || s.contains("failed")),
        "{state:?}"
    );
    let lines = h.texts("section ol li").await;
    assert!(
        lines.len() >= 4 && lines[0].contains("Manual run started"),
        "{lines:?}"
    );
    assert!(h
        .location()
        .await
        .starts_with(&format!("/services/{id}?tab=summary&run=")));
    h.wait_for_texts(
        "#service-panel tbody tr",
        "the finished run in the table",
        |rows| {
            rows.iter()
                .any(|r| r.contains("manual") && (r.contains("ok") || r.contains("failed")))
        },
    )
    .await;
    no_axe_violations(&h, "the summary with a log").await;
    h.screenshot("service-summary-1280x800").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_log_refreshes_every_five_seconds_and_can_pause() {
    let h = Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_secs(4)).await;
    h.open_signed_in("/").await;
    let (id, _) = an_active_service(&h).await;
    let (status, run) = h
        .api("POST", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 201);
    let run = run["id"].as_u64().unwrap();
    h.open(&format!("/services/{id}?tab=summary&run={run}"))
        .await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts("section p[role=status]", "auto-refresh on", |t| {
        t.iter().any(|s| s.contains("auto-refresh is on"))
    })
    .await;
    let first = h
        .wait_for_texts("section ol li", "the first lines", |l| !l.is_empty())
        .await
        .len();
    h.wait_for_texts("section ol li", "more lines after a refresh", |l| {
        l.len() > first
    })
    .await;

    let toggle = h.find("section button[aria-pressed]").await;
    assert_eq!(
        toggle.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    toggle.click().await.unwrap();
    h.wait_for_texts("section p[role=status]", "paused", |t| {
        t.iter().any(|s| s.contains("auto-refresh is paused"))
    })
    .await;
    let paused_at = h.texts("section ol li").await.len();
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        h.texts("section ol li").await.len(),
        paused_at,
        "no refresh while paused"
    );
    let (_, log) = h.api("GET", &format!("/api/v1/runs/{run}/log"), None).await;
    assert!(
        log["items"].as_array().unwrap().len() > paused_at,
        "the server has more lines meanwhile"
    );

    h.find("section button[aria-pressed]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("section ol li", "the lines it missed", |l| {
        l.len() > paused_at
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_rename_notes_and_status_validate_and_save() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let (id, _) = an_active_service(&h).await;
    h.open(&format!("/services/{id}?tab=settings")).await;
    h.sign_in_as("Ada Morgan").await;
    let name = h.find("#service-panel input[type=text]").await;
    name.clear().await.unwrap();
    name.send_keys("   ").await.unwrap();
    h.button("Save name").await.click().await.unwrap();
    let error = h
        .wait_for_texts("#service-panel [role=alert]", "the name error", |t| {
            !t.is_empty()
        })
        .await;
    assert!(error[0].contains("can't be empty"), "{error:?}");
    name.clear().await.unwrap();
    name.send_keys("Orders to NetSuite (renamed)")
        .await
        .unwrap();
    h.button("Save name").await.click().await.unwrap();
    h.wait_for_texts("main h1", "the new name", |t| {
        t == ["Orders to NetSuite (renamed)"]
    })
    .await;

    h.find("#service-panel textarea")
        .await
        .send_keys("Owner: ops team")
        .await
        .unwrap();
    h.button("Save notes").await.click().await.unwrap();
    h.wait_for_texts("div[aria-live=polite] div", "saved", |t| {
        t.iter().any(|x| x.contains("Notes saved"))
    })
    .await;
    no_axe_violations(&h, "the settings tab").await;

    h.find("#service-panel button[role=switch]")
        .await
        .click()
        .await
        .unwrap();
    h.find("[role=dialog]").await;
    no_axe_violations(&h, "the status dialog").await;
    h.button("Deactivate").await.click().await.unwrap();
    h.wait_for_texts("#service-panel button[role=switch]", "inactive", |t| {
        t == ["Inactive"]
    })
    .await;

    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["name"], "Orders to NetSuite (renamed)");
    assert_eq!(service["notes"], "Owner: ops team");
    assert_eq!(service["status"], "inactive");

    // The API's own errors show too.
    h.set_faults(
        json!([{ "method": "PATCH", "path": "/api/v1/services/*", "status": 422, "times": 1 }]),
    )
    .await;
    h.button("Save notes").await.click().await.unwrap();
    let error = h
        .wait_for_texts("#service-panel [role=alert]", "the API error", |t| {
            !t.is_empty()
        })
        .await;
    assert!(error[0].contains("Not saved"), "{error:?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_switch_and_group_save() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let (id, _) = an_active_service(&h).await;
    h.api(
        "PUT",
        &format!("/api/v1/services/{id}/alerts"),
        Some(json!({"enabled": false, "notification_group_id": null})),
    )
    .await;
    h.open(&format!("/services/{id}?tab=alerts")).await;
    h.sign_in_as("Ben Carter").await;
    let switch = h.find("#service-panel button[role=switch]").await;
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("false")
    );
    switch.click().await.unwrap();
    h.button("Save alert settings").await.click().await.unwrap();
    let error = h
        .wait_for_texts("#service-panel [role=alert]", "the missing group", |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        error[0].contains("Choose a notification group"),
        "{error:?}"
    );
    let (_, groups) = h.api("GET", "/api/v1/notification-groups", None).await;
    let group = groups["items"][1]["id"].as_u64().unwrap();
    h.find("#service-panel select")
        .await
        .select_by_value(&group.to_string())
        .await
        .unwrap();
    no_axe_violations(&h, "the alerts tab").await;
    h.button("Save alert settings").await.click().await.unwrap();
    h.wait_for_texts("div[aria-live=polite] div", "saved", |t| {
        t.iter().any(|x| x.contains("Alerts are on"))
    })
    .await;
    let (_, alerts) = h
        .api("GET", &format!("/api/v1/services/{id}/alerts"), None)
        .await;
    assert_eq!(
        alerts,
        json!({"enabled": true, "notification_group_id": group})
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tabs_follow_the_keyboard_and_read_only_users_see_locked_settings() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let (id, _) = an_active_service(&h).await;
    h.open(&format!("/services/{id}")).await;
    h.sign_in_as("Dan Hughes").await;
    let summary = h.find("#service-tab-summary").await;
    // Opened cold on a deep path, the page still gets its component styles (not index.html).
    let tablist = h
        .eval("getComputedStyle(document.querySelector('[role=tablist]')).display")
        .await;
    assert_eq!(
        tablist, "flex",
        "the scoped stylesheet loads on a deep link"
    );

    assert_eq!(
        summary.attr("aria-selected").await.unwrap().as_deref(),
        Some("true")
    );
    summary.send_keys("\u{E014}").await.unwrap(); // ArrowRight
    let focused = h.browser.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("service-tab-settings")
    );
    focused.send_keys("\u{E007}").await.unwrap(); // Enter
    h.wait_for_texts("#service-panel p", "the read-only note", |t| {
        t.iter().any(|x| x.contains("read-only"))
    })
    .await;
    assert_eq!(
        h.find("#service-panel input[type=text]")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert_eq!(h.location().await, format!("/services/{id}?tab=settings"));
    no_axe_violations(&h, "the read-only settings").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_from_settings_returns_to_the_list() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=1&status=active").await;
    h.wait_for_texts("#services-panel span.id", "rows", |ids| !ids.is_empty())
        .await;
    let id = h.texts("#services-panel span.id").await[0].clone();
    h.open(&format!("/services/{id}?tab=settings")).await;
    h.sign_in_as("Ada Morgan").await;
    h.button("Remove service…").await.click().await.unwrap();
    h.find("[role=dialog] input")
        .await
        .send_keys(&id)
        .await
        .unwrap();
    no_axe_violations(&h, "the remove dialog").await;
    h.button("Remove service").await.click().await.unwrap();
    h.wait_for_texts("#services-panel span.id", "the list without it", |ids| {
        !ids.is_empty() && !ids.contains(&id)
    })
    .await;
    let (status, _) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(status, 404);
    h.stop().await;
}
