//! The service page's state against the real server: leaving while a log request is out, saving
//! one setting without losing the others, going from one service to another, long logs, and
//! refreshes that keep focus and don't repeat their alerts.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use services_e2e::Harness;
use services_model::LogLevel;
use std::time::Duration;

const LOG_LINES: &str = "section ol li";

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

/// Starts a manual run of an active service through the API: (service, run).
async fn start_run(h: &Harness) -> (u64, u64) {
    let id = an_active_service(h).await;
    let (status, run) = h
        .api("POST", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 201, "{run}");
    (id, run["id"].as_u64().unwrap())
}

async fn open_signed_in(h: &Harness, path: &str) {
    h.open(path).await;
    h.sign_in_as("Ada Morgan").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_while_a_log_request_is_out_keeps_the_app_alive() {
    let h = Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_secs(4)).await;
    h.open_signed_in("/").await;
    let (id, run) = start_run(&h).await;
    open_signed_in(&h, &format!("/services/{id}?tab=summary&run={run}")).await;
    h.wait_for_texts(LOG_LINES, "the first lines", |l| !l.is_empty())
        .await;
    h.watch_errors().await;
    h.set_faults(
        json!([{ "method": "GET", "path": "/api/v1/runs/*/log", "delay_ms": 1500, "times": 1 }]),
    )
    .await;
    // Pause and resume: resuming fetches at once (slowly, now); then leave.
    let toggle = h.find("section button[aria-pressed]").await;
    toggle.click().await.unwrap();
    toggle.click().await.unwrap();
    h.back_to_services().await;
    h.wait_for_texts("#services-panel span.id", "the list", |ids| !ids.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    h.assert_no_page_errors("the log's answer after leaving")
        .await;
    let search = h.find("#service-search").await;
    search.send_keys("sweep").await.unwrap();
    h.wait_for_texts("#services-panel p.count", "the search", |t| {
        t.iter().any(|t| t.contains(" of "))
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_one_setting_keeps_the_other_unsaved_edits_and_focus() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let id = an_active_service(&h).await;
    open_signed_in(&h, &format!("/services/{id}?tab=settings")).await;
    let name = h.find("#service-panel input[type=text]").await;
    name.clear().await.unwrap();
    name.send_keys("Edited, not saved yet").await.unwrap();
    h.find("#service-panel textarea")
        .await
        .send_keys("Owner: ops team")
        .await
        .unwrap();
    let save = h.button("Save notes").await;
    h.eval("document.evaluate(\"//button[normalize-space(.)='Save notes']\", document, null, 9, null).singleNodeValue.focus() || true")
        .await;
    h.mark_focused().await;
    save.send_keys(&Key::Enter.to_string()).await.unwrap();
    h.wait_for_texts("div[aria-live=polite] div", "saved", |t| {
        t.iter().any(|x| x.contains("Notes saved"))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        h.find("#service-panel input[type=text]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Edited, not saved yet"),
        "the unsaved name stays"
    );
    assert!(
        h.focus_kept().await,
        "focus stays on Save notes, not {}",
        h.focused().await
    );
    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["notes"], "Owner: ops team");
    assert_ne!(service["name"], "Edited, not saved yet");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn going_from_one_service_to_another_never_shows_the_previous_one() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=3").await;
    h.wait_for_texts("#services-panel span.id", "rows", |ids| ids.len() == 34)
        .await;
    let names = h.texts("#services-panel tbody tr a.name").await;
    // Clone the first; its toast links to the copy and stays while we open the second.
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    h.browser
        .find(Locator::XPath(
            "//*[@role='menuitem'][normalize-space(.)='Clone']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let open_copy = h
        .browser
        .wait()
        .for_element(Locator::LinkText("Open it"))
        .await
        .unwrap();
    let copy_href = open_copy.attr("href").await.unwrap().unwrap();
    let copy_id = copy_href.rsplit('/').next().unwrap().to_string();
    h.find("#services-panel tbody tr:nth-child(2) a.name")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the second service", |t| t == [names[1].clone()])
        .await;
    h.set_faults(json!([{ "method": "GET", "path": format!("/api/v1/services/{copy_id}"), "delay_ms": 2000, "times": 1 }]))
        .await;
    open_copy.click().await.unwrap();
    for _ in 0..10 {
        let location = h.location().await;
        if location.starts_with(&copy_href) {
            let shown = h.texts("main h1").await;
            assert_ne!(
                shown,
                vec![names[1].clone()],
                "{location} shows the previous service"
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    h.wait_for_texts("main h1", "the copy", |t| {
        t == [format!("Copy of {}", names[0])]
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_log_is_shown_in_full() {
    let h = Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_millis(50)).await;
    h.open_signed_in("/").await;
    let (id, run) = start_run(&h).await;
    for _ in 0..100 {
        let (_, log) = h.api("GET", &format!("/api/v1/runs/{run}/log"), None).await;
        if log["live"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, log) = h
        .api("GET", &format!("/api/v1/runs/{run}/log?limit=500"), None)
        .await;
    assert_eq!(log["live"], false, "the run finished");
    let written = log["items"].as_array().unwrap().len();
    for n in 1..=1200 {
        services_server::repo::runs::append_log(
            &h.server.db,
            run,
            LogLevel::Info,
            &format!("Record {n} synced."),
            "2026-11-29T10:00:00Z",
        )
        .await
        .unwrap();
    }
    let total = written + 1200;
    open_signed_in(&h, &format!("/services/{id}?tab=summary&run={run}")).await;
    h.wait_for_texts(LOG_LINES, "the first lines", |l| !l.is_empty())
        .await;
    let mut shown = 0;
    for _ in 0..100 {
        shown = h
            .eval("document.querySelectorAll('section ol li').length")
            .await
            .as_u64()
            .unwrap() as usize;
        if shown == total {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(shown, total, "every line of the log");
    assert_eq!(
        h.eval("document.querySelector('section ol li:last-child').textContent")
            .await
            .as_str()
            .map(|t| t.ends_with("Record 1200 synced.")),
        Some(true)
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_runs_table_keeps_focus_through_its_refresh() {
    let h = Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_secs(4)).await;
    h.open_signed_in("/").await;
    let (id, run) = start_run(&h).await;
    open_signed_in(&h, &format!("/services/{id}?tab=summary")).await;
    let view = format!("#service-panel button[aria-label='View the log of run {run}']");
    h.find(&view).await;
    h.eval(&format!(
        "document.querySelector(\"{view}\").focus() || true"
    ))
    .await;
    h.mark_focused().await;
    // Another run starts meanwhile; the table refreshes every 5 seconds while a run is live.
    let (status, other) = h
        .api("POST", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 201, "{other}");
    h.find(&format!(
        "#service-panel button[aria-label='View the log of run {}']",
        other["id"]
    ))
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        h.focus_kept().await,
        "focus stays on the View log button it was on, not {}",
        h.focused().await
    );
    assert_eq!(
        h.focused().await,
        format!("button \"View the log of run {run}\""),
        "and that button is still run {run}'s"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_log_refresh_alerts_once_not_every_five_seconds() {
    let h = Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_secs(6)).await;
    h.open_signed_in("/").await;
    let (id, run) = start_run(&h).await;
    open_signed_in(&h, &format!("/services/{id}?tab=summary&run={run}")).await;
    h.wait_for_texts(LOG_LINES, "the first lines", |l| !l.is_empty())
        .await;
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/runs/*/log", "status": 503 }]))
        .await;
    let alert = h
        .wait_for_texts("section [role=alert]", "the refresh error", |t| {
            !t.is_empty()
        })
        .await;
    assert!(alert[0].contains("could not be refreshed"), "{alert:?}");
    h.eval(
        "(() => { const alert = document.querySelector('section [role=alert]');
           alert.setAttribute('data-test-alert', '');
           window.__pwAlertChanges = 0;
           new MutationObserver(() => window.__pwAlertChanges++)
             .observe(alert, { subtree: true, childList: true, characterData: true });
           return true; })()",
    )
    .await;
    // At least one more failed refresh.
    tokio::time::sleep(Duration::from_millis(6000)).await;
    assert_eq!(
        h.eval("document.querySelector('section [role=alert]')?.hasAttribute('data-test-alert') ?? false")
            .await,
        true,
        "the same alert stays; a new one would be announced again"
    );
    assert_eq!(h.eval("window.__pwAlertChanges").await, 0);
    h.stop().await;
}
