//! Health in every row (issue 14 item 2) against the real server and the release wasm: each
//! row and card shows its last run's outcome and when (the exact time on hover and keyboard
//! focus), its failed runs of the last 24 hours and its next run; a run started through the API
//! updates the row's health within 2 seconds in an open list; the "Last run failed" filter
//! counts and keeps exactly the failed rows; the "Last run" header sorts both ways; no axe-core
//! violations at 1280×800 and 375×812. Runs fail through the real worker (`Outcome::Failed`).

use services_e2e::Harness;
use services_server::Outcome;
use std::time::{Duration, Instant};

const ROWS: &str = "#services-panel span.id";

async fn failing(width: u32, height: u32) -> Harness {
    Harness::start_configured(width, height, |c| {
        c.runs.outcome = Outcome::Failed;
        // Only the runs a test starts: no scheduled ones changing the failed set meanwhile.
        c.scheduler = false;
        c.metrics_token = Some("health-metrics".into());
    })
    .await
}

async fn run_to_end(h: &Harness, id: u64) -> u64 {
    let (status, run) = h
        .api("POST", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 201, "{run}");
    run["id"].as_u64().unwrap()
}

/// The visible text of a row's health cell (table or card).
async fn health_text(h: &Harness, id: u64) -> String {
    h.eval(&format!(
        "(document.querySelector(\"#services-panel [data-row-id='{id}'] .health-cell\") || {{innerText: ''}}).innerText"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .trim()
    .to_string()
}

async fn wait_for_stream(h: &Harness) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = h
            .browser
            .execute_async(
                "const done = arguments[0];
                 fetch('/metrics', { headers: { Authorization: 'Bearer health-metrics' } })
                   .then(r => r.text()).then(done);",
                vec![],
            )
            .await
            .unwrap();
        if text
            .as_str()
            .unwrap_or_default()
            .lines()
            .any(|l| l == "services_event_streams_open 1")
        {
            return;
        }
        assert!(Instant::now() < deadline, "the event stream never opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_started_through_the_api_updates_the_rows_health_within_two_seconds() {
    let h = failing(1280, 800).await;
    h.open_signed_in("/?status=active").await;
    let shown = h
        .wait_for_texts(ROWS, "the service rows", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    wait_for_stream(&h).await;
    let id: u64 = shown[0].parse().unwrap();
    let before = health_text(&h, id).await;
    assert!(!before.is_empty(), "row {id} has a health cell");
    let failed_before: u64 = h
        .api("GET", &format!("/api/v1/services/{id}"), None)
        .await
        .1["health"]["failed_24h"]
        .as_u64()
        .unwrap();

    let asked = Instant::now();
    run_to_end(&h, id).await;
    let want_failed = format!("{} failed in 24 h", failed_before + 1);
    let deadline = asked + Duration::from_secs(20);
    let took = loop {
        let text = health_text(&h, id).await;
        if text.starts_with("Failed just now") && text.contains(&want_failed) {
            break asked.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "row {id}'s health never showed the failed run: {text:?} (before: {before:?})"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert!(
        took < Duration::from_secs(2),
        "the row's health took {took:?}"
    );
    assert_eq!(h.texts(ROWS).await, shown, "the rows stay in place");

    // The exact time on keyboard focus: Tab from the row's name link reaches it.
    h.eval(&format!(
        "document.querySelector(\"#services-panel [data-row-id='{id}'] a.name\").focus() || true"
    ))
    .await;
    let in_health = "document.activeElement.closest('.health-cell') !== null \
                     && document.activeElement.classList.contains('pw-time')";
    for _ in 0..6 {
        if h.eval(in_health).await == true {
            break;
        }
        h.press(&fantoccini::key::Key::Tab.to_string()).await;
    }
    assert_eq!(
        h.eval(in_health).await,
        true,
        "Tab reaches the last run's time: {}",
        h.focused().await
    );
    let clip = h
        .eval("getComputedStyle(document.activeElement.querySelector('.pw-time-other')).clip")
        .await;
    assert_eq!(clip, "auto", "the exact time shows on focus");
    let exact = h
        .eval("document.activeElement.querySelector('.pw-time-other').textContent")
        .await;
    assert!(
        exact.as_str().unwrap_or_default().contains("UTC"),
        "the exact time, with UTC: {exact}"
    );
    no_axe_violations(&h, "health columns at 1280×800").await;
    h.screenshot("row-health-1280x800").await;
    h.assert_no_page_errors("row health").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_run_failed_filter_counts_and_keeps_exactly_the_failed_rows_and_last_run_sorts() {
    let h = failing(1280, 800).await;
    h.open_signed_in("/?per_page=250").await;
    let shown = h
        .wait_for_texts(ROWS, "the service rows", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    // One more failure through the real worker, so there surely are some.
    let id: u64 = shown[0].parse().unwrap();
    let run = run_to_end(&h, id).await;
    h.wait_until(
        "the run to fail",
        &format!(
            "document.querySelector(\"[data-row-id='{id}']\").dataset.lastRun === '{run} failed'"
        ),
    )
    .await;
    let mut failed = h.service_ids(1, "last_run_failed=true&limit=250").await;
    failed.sort();
    assert!(failed.contains(&id.to_string()));

    h.button("Filters").await.click().await.unwrap();
    let label = format!("Last run failed ({})", failed.len());
    h.wait_for_texts(
        "#filter-panel label:has(input[data-filter-last-run-failed])",
        "the Last run failed count",
        |t| t.len() == 1 && t[0].split_whitespace().collect::<Vec<_>>().join(" ") == label,
    )
    .await;
    h.find("input[data-filter-last-run-failed]")
        .await
        .click()
        .await
        .unwrap();
    let mut rows = h
        .wait_for_texts(ROWS, "only the failed rows", |now| {
            now.len() == failed.len()
        })
        .await;
    rows.sort();
    assert_eq!(rows, failed, "exactly the failed rows");
    for id in &rows {
        assert!(
            health_text(&h, id.parse().unwrap())
                .await
                .starts_with("Failed"),
            "row {id} shows its failed run"
        );
    }
    h.wait_for_location("the filter in the URL", |l| {
        l.contains("last_run_failed=true")
    })
    .await;
    assert_eq!(
        h.texts("ul.chips button").await,
        vec!["Health: Last run failed ×"]
    );
    h.find("ul.chips button").await.click().await.unwrap();
    h.wait_for_texts(ROWS, "every row again", |now| now.len() == shown.len())
        .await;

    // The sort by last run: ascending, then descending, as the API orders them.
    let header = "#services-panel th:has(button) button";
    let last_run_header = h
        .eval(&format!(
            "[...document.querySelectorAll('{header}')].findIndex(b => b.textContent.includes('Last run'))"
        ))
        .await;
    let index = last_run_header.as_i64().unwrap();
    assert!(index >= 0, "a Last run sort button");
    for (sign, aria) in [("", "ascending"), ("-", "descending")] {
        h.eval(&format!(
            "document.querySelectorAll('{header}')[{index}].click() || true"
        ))
        .await;
        let want = h
            .service_ids(1, &format!("sort={sign}last_run&limit=250"))
            .await;
        h.wait_for_texts(ROWS, "the rows sorted by last run", |now| now == want)
            .await;
        let sorted = h
            .eval(&format!(
                "document.querySelectorAll('{header}')[{index}].closest('th').getAttribute('aria-sort')"
            ))
            .await;
        assert_eq!(sorted, aria);
        h.wait_for_location("the sort in the URL", |l| {
            l.contains(&format!("sort={sign}last_run"))
        })
        .await;
    }
    h.assert_no_page_errors("filter and sort by health").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cards_show_the_same_health_at_375() {
    let h = failing(375, 812).await;
    h.open_signed_in("/?status=active").await;
    let shown = h
        .wait_for_texts(ROWS, "the cards", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    // An active scheduled service on the page: it has a next run.
    let scheduled = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?status=active&limit=250",
            None,
        )
        .await
        .1;
    let id: u64 = scheduled["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["next_run_at"].is_string())
        .map(|s| s["id"].as_u64().unwrap())
        .find(|id| shown.contains(&id.to_string()))
        .expect("an active scheduled service on the first page");
    let run = run_to_end(&h, id).await;
    h.wait_until(
        "the card's run to fail",
        &format!("document.querySelector(\"li.card[data-row-id='{id}']\").dataset.lastRun === '{run} failed'"),
    )
    .await;
    let detail = h
        .api("GET", &format!("/api/v1/services/{id}"), None)
        .await
        .1;
    let failed = detail["health"]["failed_24h"].as_u64().unwrap();
    let text = health_text(&h, id).await;
    assert!(text.starts_with("Failed"), "{text}");
    assert!(text.contains(&format!("{failed} failed in 24 h")), "{text}");
    let terms = h.texts(&format!("li.card[data-row-id='{id}'] dt")).await;
    assert!(
        terms.contains(&"Last run".to_string()) && terms.contains(&"Next run".to_string()),
        "{terms:?}"
    );
    let next = h
        .texts(&format!("li.card[data-row-id='{id}'] dd.next-run time"))
        .await;
    assert!(
        next.len() == 1 && next[0].starts_with("in "),
        "an active scheduled service's next run: {next:?}"
    );
    no_axe_violations(&h, "health on cards at 375×812").await;
    h.eval(&format!(
        "document.querySelector(\"li.card[data-row-id='{id}'] .health-cell\").scrollIntoView({{block: 'center'}}) || true"
    ))
    .await;
    h.screenshot("row-health-375x812").await;
    h.assert_no_page_errors("cards with health").await;
    h.stop().await;
}
