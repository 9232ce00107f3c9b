//! Times in the browser's time zone (Chromium started with TZ=Asia/Kolkata, UTC+05:30): the
//! runs table and the list's schedules read in local time with UTC alongside or on hover and
//! focus; the account bar's switch shows UTC instead, and the choice survives a reload.

use serde_json::{json, Value};
use services_e2e::Harness;
use services_model::local_time::wall_clock;
use services_model::parse_rfc3339;

const ZONE: &str = "Asia/Kolkata";
const OFFSET: i32 = 330;

async fn an_active_service(h: &Harness) -> u64 {
    let (_, list) = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?status=active&limit=1",
            None,
        )
        .await;
    list["items"][0]["id"].as_u64().unwrap()
}

/// The text of the runs table's "Started" cell of run `run`, and its UTC reading.
async fn started_cell(h: &Harness, run: u64) -> (String, String) {
    let read = |part: &str| {
        format!(
            "(() => {{ const row = [...document.querySelectorAll('table tr')].find(r => r.cells[0] && r.cells[0].textContent.trim() === '{run}');
                      const e = row && row.cells[3].querySelector('{part}'); return e ? e.textContent : null; }})()"
        )
    };
    h.wait_until("the run's row", &format!("{} !== null", read("time")))
        .await;
    let shown = h.eval(&read("time")).await;
    let other = h.eval(&read(".pw-time-other")).await;
    (
        shown.as_str().unwrap().to_string(),
        other.as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn times_show_in_the_browsers_zone_with_utc_alongside_and_as_a_setting() {
    let h = Harness::start_in_time_zone(ZONE).await;
    h.open_signed_in("/").await;
    let id = an_active_service(&h).await;
    let (status, _) = h
        .api(
            "PATCH",
            &format!("/api/v1/services/{id}"),
            Some(json!({ "trigger": { "kind": "schedule", "cron": "15 6 * * *" } })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, runs) = h
        .api("GET", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 200);
    let run: &Value = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["started_at"].is_string())
        .expect("a started run in the demo data");
    let run_id = run["id"].as_u64().unwrap();
    let started = parse_rfc3339(run["started_at"].as_str().unwrap())
        .unwrap()
        .unix_timestamp();
    let local = wall_clock(started, OFFSET).unwrap();
    let utc = wall_clock(started, 0).unwrap();

    // The list: the schedule in local time with UTC alongside.
    h.open(&format!("/?group=1&q={id}")).await;
    h.sign_in_as("Ada Morgan").await;
    let schedule = format!("#services-panel [data-row-id='{id}'] span.schedule");
    h.wait_for_texts(&schedule, "the local schedule", |t| {
        t.iter()
            .any(|t| t.starts_with("Daily at 11:45 (06:15 UTC)"))
    })
    .await;
    // The zone is named once the page is idle (after the first rows); ICU may name it by its
    // older alias.
    h.wait_for_texts(
        "button[aria-label='Show times in UTC']",
        "the local zone's name on the switch",
        |t| {
            t.iter().any(|t| {
                [
                    "Times: local (Asia/Kolkata)",
                    "Times: local (Asia/Calcutta)",
                ]
                .contains(&t.as_str())
            })
        },
    )
    .await;
    let switch = h.find("button[aria-label='Show times in UTC']").await;
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("false")
    );

    // The service page's runs: local time, UTC in the tooltip (hover, focus, screen readers).
    h.open(&format!("/services/{id}?tab=summary")).await;
    h.sign_in_as("Ada Morgan").await;
    let (shown, other) = started_cell(&h, run_id).await;
    assert_eq!(shown, local);
    assert_eq!(other, format!(" ({utc} UTC)"));
    assert!(
        h.texts("main dl")
            .await
            .concat()
            .contains("Daily at 11:45 (06:15 UTC)"),
        "the header's schedule: {:?}",
        h.texts("main dl").await
    );
    // Focus shows the UTC reading.
    h.eval("document.querySelector('table .pw-time').focus() || true")
        .await;
    let visible = h
        .eval(
            "getComputedStyle(document.querySelector('table .pw-time:focus .pw-time-other')).clip",
        )
        .await;
    assert_eq!(visible, "auto", "the tooltip shows on focus");
    h.screenshot("time-zone-summary-1280x800").await;
    // Esc hides it until focus leaves (WCAG 1.4.13).
    h.press(&fantoccini::key::Key::Escape.to_string()).await;
    let hidden = h
        .eval(
            "getComputedStyle(document.querySelector('table .pw-time:focus .pw-time-other')).clip",
        )
        .await;
    assert_ne!(hidden, "auto", "Esc hides the tooltip");

    // The switch: UTC everywhere, remembered after a reload.
    h.find("button[aria-label='Show times in UTC']")
        .await
        .click()
        .await
        .unwrap();
    let (shown, other) = started_cell(&h, run_id).await;
    assert_eq!(shown, format!("{utc} UTC"));
    assert_eq!(other, format!(" ({local} UTC+05:30, your time)"));
    h.open(&format!("/?group=1&q={id}")).await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(&schedule, "the UTC schedule", |t| {
        t.iter().any(|t| t.starts_with("Daily at 06:15 UTC"))
    })
    .await;
    let switch = h.find("button[aria-label='Show times in UTC']").await;
    assert_eq!(switch.text().await.unwrap(), "Times: UTC");
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("true")
    );
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");
    h.stop().await;
}
