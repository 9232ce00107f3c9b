//! Live updates against the real release server and the release wasm: changes made through the
//! API (as another user or tab would) reach an open list and an open service page without a
//! reload, in place, with focus and open menus undisturbed; a row that leaves is announced; the
//! stream survives navigation and unmounting cleanly; embedded too; and with the stream turned
//! off on the server, the same updates arrive by polling.

use serde_json::{json, Value};
use services_e2e::Harness;
use std::time::{Duration, Instant};

const ROWS: &str = "#services-panel span.id";

async fn wait_for_rows(h: &Harness) -> Vec<String> {
    h.wait_for_texts(ROWS, "the service rows", |ids| !ids.is_empty())
        .await
}

/// The first active service shown on the open list's page.
async fn an_active_row(h: &Harness, shown: &[String]) -> u64 {
    let active = h.service_ids(1, "status=active&limit=250").await;
    shown
        .iter()
        .find(|id| active.contains(id))
        .expect("an active service on the first page")
        .parse()
        .unwrap()
}

async fn start_run(h: &Harness, id: u64) -> u64 {
    let (status, run) = h
        .api("POST", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 201, "{run}");
    run["id"].as_u64().unwrap()
}

async fn rename(h: &Harness, id: u64, name: &str) {
    let (status, body) = h
        .api(
            "PATCH",
            &format!("/api/v1/services/{id}"),
            Some(json!({ "name": name })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn last_run_of_row(h: &Harness, root: &str, id: u64) -> Value {
    h.eval(&format!(
        "(document.querySelector(\"{root} [data-row-id='{id}']\") || {{dataset: {{}}}}).dataset.lastRun || ''"
    ))
    .await
}

/// Polls until the row's latest run is `run` finished; how long that took from `since`.
async fn row_shows_run_finished(
    h: &Harness,
    root: &str,
    id: u64,
    run: u64,
    since: Instant,
) -> Duration {
    let deadline = since + Duration::from_secs(20);
    loop {
        let shown = last_run_of_row(h, root, id).await;
        let text = shown.as_str().unwrap_or_default().to_string();
        if text == format!("{run} ok") || text == format!("{run} failed") {
            return since.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "row {id} never showed run {run} finished (it shows {text:?})"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A metric as the server's /metrics reports it (the tests set the token `live-metrics`).
async fn metric(h: &Harness, name: &str) -> String {
    let text = h
        .browser
        .execute_async(
            "const done = arguments[0];
             fetch('/metrics', { headers: { Authorization: 'Bearer live-metrics' } })
               .then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    text.as_str()
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or("missing")
        .trim()
        .to_string()
}

async fn open_streams(h: &Harness) -> String {
    metric(h, "services_event_streams_open").await
}

async fn wait_for_open_streams(h: &Harness, wanted: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = open_streams(h).await;
        if now == wanted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "open streams: {now}, expected {wanted}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn announced(h: &Harness, part: &str) {
    h.wait_for_texts("#pw-announcer", "the announcement", |t| {
        t.iter().any(|s| s.contains(part))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_started_through_the_api_updates_its_row_within_two_seconds_focus_and_menus_stay() {
    let h = Harness::start_configured(1280, 800, |c| c.metrics_token = Some("live-metrics".into()))
        .await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    wait_for_open_streams(&h, "1").await;
    let id = an_active_row(&h, &shown).await;

    // Focus in the search box while the update lands.
    h.find("#service-search").await.click().await.unwrap();
    h.mark_focused().await;
    let asked = Instant::now();
    let run = start_run(&h, id).await;
    let took = row_shows_run_finished(&h, "", id, run, asked).await;
    assert!(
        took < Duration::from_secs(2),
        "the row took {took:?} to show the run"
    );
    assert!(
        h.focus_kept().await,
        "focus left the search box: {}",
        h.focused().await
    );
    assert_eq!(h.texts(ROWS).await, shown, "the rows stay in place");

    // An open actions menu stays open, with focus in it, while its service is renamed.
    h.find(&format!("[data-actions-for='{id}'] button"))
        .await
        .click()
        .await
        .unwrap();
    h.find("[role=menu] [role=menuitem]").await;
    h.mark_focused().await;
    rename(&h, id, "Renamed live from elsewhere").await;
    h.wait_for_texts(
        &format!("[data-row-id='{id}'] a.name"),
        "the new name in the row",
        |t| t.iter().any(|s| s == "Renamed live from elsewhere"),
    )
    .await;
    assert!(
        h.focus_kept().await,
        "focus left the open menu: {}",
        h.focused().await
    );
    assert_eq!(
        h.eval("document.querySelectorAll('[role=menu]').length")
            .await,
        1,
        "the menu stays open"
    );
    h.assert_no_page_errors("live updates on the list").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn services_created_changed_and_removed_elsewhere_show_and_leave_with_an_announcement() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=1&status=active").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    let id: u64 = shown[0].parse().unwrap();
    let second: u64 = shown[1].parse().unwrap();

    // Removed elsewhere: the row goes, and screen readers hear it.
    let (status, _) = h
        .api("DELETE", &format!("/api/v1/services/{id}"), None)
        .await;
    assert_eq!(status, 204);
    h.wait_for_texts(ROWS, "the removed row to go", |ids| {
        !ids.contains(&id.to_string())
    })
    .await;
    announced(&h, "was removed").await;

    // Deactivated elsewhere: it no longer matches the filter, leaves, and is announced.
    let (status, body) = h
        .api(
            "PATCH",
            &format!("/api/v1/services/{second}"),
            Some(json!({ "status": "inactive" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    h.wait_for_texts(ROWS, "the deactivated row to leave", |ids| {
        !ids.contains(&second.to_string())
    })
    .await;
    announced(&h, "left this view").await;

    // Created elsewhere (a clone, inactive): it joins the group, shown without the filter.
    let third: u64 = h.texts(ROWS).await[0].parse().unwrap();
    let (status, clone) = h
        .api("POST", &format!("/api/v1/services/{third}/clone"), None)
        .await;
    assert_eq!(status, 201, "{clone}");
    let clone_id = clone["id"].as_u64().unwrap();
    h.open("/?group=1&q=Copy%20of").await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(ROWS, "the clone in the list", |ids| {
        ids.contains(&clone_id.to_string())
    })
    .await;
    // And a clone made while the list is open appears without a reload.
    h.watch_errors().await;
    let (status, again) = h
        .api("POST", &format!("/api/v1/services/{third}/clone"), None)
        .await;
    assert_eq!(status, 201, "{again}");
    let again_id = again["id"].as_u64().unwrap().to_string();
    h.wait_for_texts(ROWS, "the second clone in the open list", |ids| {
        ids.contains(&again_id)
    })
    .await;
    h.assert_no_page_errors("created, changed and removed")
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_page_runs_table_and_log_follow_a_run_live() {
    // Slow steps: the run is live long enough to watch its log grow.
    let h =
        Harness::start_configured(1280, 800, |c| c.runs.step = Duration::from_millis(1500)).await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    let id = an_active_row(&h, &shown).await;
    h.open(&format!("/services/{id}?tab=summary")).await;
    h.sign_in_as("Ada Morgan").await;
    h.find("#service-panel").await;
    h.watch_errors().await;
    let run = start_run(&h, id).await;
    let row = "#service-panel tbody tr";
    h.wait_for_texts(row, "the new run in the table", |rows| {
        rows.iter().any(|r| r.contains(&run.to_string()))
    })
    .await;
    h.open(&format!("/services/{id}?tab=summary&run={run}"))
        .await;
    h.sign_in_as("Ada Morgan").await;
    h.watch_errors().await;
    h.wait_for_texts("section p[role=status]", "following it live", |t| {
        t.iter().any(|s| s.contains("following it live"))
    })
    .await;
    let first = h
        .wait_for_texts("section ol li", "the first lines", |l| !l.is_empty())
        .await
        .len();
    // New lines arrive with the run's events, well before a 5-second poll would.
    let asked = Instant::now();
    h.wait_for_texts("section ol li", "more lines", |l| l.len() > first)
        .await;
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "{:?}",
        asked.elapsed()
    );
    h.wait_for_texts("section p[role=status]", "the finished run", |t| {
        t.iter().any(|s| s.contains("The run finished"))
    })
    .await;
    h.wait_for_texts(row, "the finished run in the table", |rows| {
        rows.iter()
            .any(|r| r.contains(&run.to_string()) && (r.contains("ok") || r.contains("failed")))
    })
    .await;
    h.assert_no_page_errors("the service page following a run")
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_and_coming_back_mid_stream_keeps_one_stream_and_no_panic() {
    let h = Harness::start_configured(1280, 800, |c| c.metrics_token = Some("live-metrics".into()))
        .await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    let id = an_active_row(&h, &shown).await;
    for round in 0..3 {
        // Events keep coming while the pages come and go.
        start_run(&h, id).await;
        h.find(&format!("[data-row-id='{id}'] a.name"))
            .await
            .click()
            .await
            .unwrap();
        h.find("#service-panel").await;
        start_run(&h, id).await;
        rename(&h, id, &format!("Round {round}")).await;
        h.back_to_services().await;
        wait_for_rows(&h).await;
    }
    wait_for_open_streams(&h, "1").await;
    let asked = Instant::now();
    let run = start_run(&h, id).await;
    row_shows_run_finished(&h, "", id, run, asked).await;
    h.assert_no_page_errors("navigating mid-stream").await;

    // Signing out ends the stream.
    h.open("/").await;
    wait_for_open_streams(&h, "0").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_in_the_dashboard_updates_arrive_and_unmount_closes_the_stream() {
    let h = Harness::start_configured(1280, 800, |c| c.metrics_token = Some("live-metrics".into()))
        .await;
    h.open("/dashboard/services").await;
    let rows = "#services-root #services-panel span.id";
    let shown = h
        .wait_for_texts(rows, "the embedded rows", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    wait_for_open_streams(&h, "1").await;
    let id = an_active_row(&h, &shown).await;
    let asked = Instant::now();
    let run = start_run(&h, id).await;
    let took = row_shows_run_finished(&h, "#services-root", id, run, asked).await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    h.find("#toggle-mount").await.click().await.unwrap();
    h.wait_until(
        "the unmount",
        "document.getElementById('services-root').childElementCount === 0",
    )
    .await;
    wait_for_open_streams(&h, "0").await;
    assert_eq!(h.eval("hostProbe.timeouts()").await, 0, "no timeout left");
    assert_eq!(h.eval("hostProbe.intervals()").await, 0, "no interval left");
    h.assert_no_page_errors("embedded live updates").await;
    let reports = h.csp_reports().await;
    assert!(reports.is_empty(), "CSP violations: {reports:#?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_stream_turned_off_updates_arrive_by_polling() {
    let h = Harness::start_configured(1280, 800, |c| c.events.enabled = false).await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    let id = an_active_row(&h, &shown).await;
    h.find("#service-search").await.click().await.unwrap();
    h.mark_focused().await;
    rename(&h, id, "Renamed while polling").await;
    h.wait_for_texts(
        &format!("[data-row-id='{id}'] a.name"),
        "the new name by polling",
        |t| t.iter().any(|s| s == "Renamed while polling"),
    )
    .await;
    assert!(
        h.focus_kept().await,
        "focus left the search box: {}",
        h.focused().await
    );

    // The service page's runs table polls too.
    h.find(&format!("[data-row-id='{id}'] a.name"))
        .await
        .click()
        .await
        .unwrap();
    h.find("#service-panel").await;
    let run = start_run(&h, id).await;
    h.wait_for_texts("#service-panel tbody tr", "the run by polling", |rows| {
        rows.iter()
            .any(|r| r.contains(&run.to_string()) && (r.contains("ok") || r.contains("failed")))
    })
    .await;
    h.assert_no_page_errors("polling").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_stream_reconnects_with_its_last_event_id_and_gets_what_it_missed() {
    let h = Harness::start_configured(1280, 800, |c| c.metrics_token = Some("live-metrics".into()))
        .await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    wait_for_open_streams(&h, "1").await;
    let id: u64 = shown[0].parse().unwrap();
    assert_eq!(metric(&h, "services_events_replayed_total").await, "0");
    // The connection drops, and the first attempt to reconnect is refused: the app is away
    // for a few seconds, during which the service changes.
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/events", "status": 503, "times": 1 }]))
        .await;
    let status = h
        .browser
        .execute_async(
            "const done = arguments[0];
             fetch('/api/test/event-streams/disconnect', { method: 'POST' }).then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    wait_for_open_streams(&h, "0").await;
    rename(&h, id, "Changed while away").await;
    // Back on the stream, sent `Last-Event-ID`: the server replays the change it missed.
    wait_for_open_streams(&h, "1").await;
    assert_eq!(metric(&h, "services_events_replayed_total").await, "1");
    h.wait_for_texts(
        &format!("[data-row-id='{id}'] a.name"),
        "the change made while away",
        |t| t.iter().any(|s| s == "Changed while away"),
    )
    .await;
    h.assert_no_page_errors("a dropped stream").await;
    h.stop().await;
}

/// A page load decodes its group once: the stream's reload on connecting sends the ETag of the
/// copy the page holds (`If-None-Match`) and the server answers 304 with no body; a change made
/// after that still reaches the row.
#[tokio::test(flavor = "multi_thread")]
async fn the_streams_reload_of_an_unchanged_group_is_answered_304_and_not_sent_again() {
    let h = Harness::start_configured(1280, 800, |c| c.metrics_token = Some("live-metrics".into()))
        .await;
    h.open_signed_in("/").await;
    let shown = wait_for_rows(&h).await;
    h.watch_errors().await;
    wait_for_open_streams(&h, "1").await;
    let statuses = "performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/services/lean'))
        .map(e => e.responseStatus)";
    let deadline = Instant::now() + Duration::from_secs(10);
    let seen = loop {
        let seen = h.eval(statuses).await;
        if seen.as_array().is_some_and(|s| s.len() >= 2) || Instant::now() > deadline {
            break seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        seen,
        json!([200, 304]),
        "the group's lean view: loaded once, then confirmed unchanged by the stream's reload"
    );

    let id: u64 = shown[0].parse().unwrap();
    rename(&h, id, "Renamed after the 304").await;
    h.wait_for_texts("#services-panel a.name", "the renamed row", |names| {
        names.iter().any(|n| n == "Renamed after the 304")
    })
    .await;
    assert_eq!(h.page_errors().await, Vec::<String>::new());
}
