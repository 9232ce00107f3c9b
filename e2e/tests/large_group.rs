//! A group larger than the server's lean limit is not held in the browser: the list asks the
//! server for every view (search, filters, sort, page) and shows what it answers, with the same
//! markup, counts and URL state as a group held whole.

use fantoccini::Locator;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";
const STATUS: &str = "#services-panel p.count";

/// Group 1 (64 services) is over this limit; group 2 (52) too.
async fn start() -> Harness {
    Harness::start_configured(1280, 800, |config| config.lean_limit = 20).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_over_the_lean_limit_is_searched_filtered_and_paged_by_the_server() {
    let h = start().await;
    h.open_signed_in("/").await;
    let (status, lean) = h
        .api("GET", "/api/v1/company-groups/1/services/lean", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(lean["mode"], "per_query", "{lean}");
    let all = h.service_ids(1, "limit=1000").await;
    assert_eq!(all.len(), 64);
    h.wait_for_texts(ROW_IDS, "page 1", |ids| ids == &all[..50])
        .await;
    h.watch_errors().await;
    assert_eq!(h.texts(STATUS).await, vec!["64 services"]);

    // Typing: each view is the server's answer, and the count says how many of the group match.
    h.find("input[type=search]")
        .await
        .send_keys("SWEEP")
        .await
        .unwrap();
    let expected = h.service_ids(1, "q=sweep").await;
    assert!(!expected.is_empty());
    h.wait_for_texts(ROW_IDS, "sweepers", |ids| ids == expected.as_slice())
        .await;
    h.wait_for_texts(STATUS, "the count", |t| {
        t == [format!("{} of 64 services", expected.len())]
    })
    .await;
    assert!(
        !h.texts("tbody mark").await.is_empty(),
        "matches are highlighted"
    );
    h.wait_for_location("the search in the URL", |l| l.contains("q=SWEEP"))
        .await;

    // A filter, with the server's facet counts.
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.browser
        .find(Locator::XPath(
            "//div[@id='filter-panel']//label[starts-with(normalize-space(.), 'Inactive')]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let expected = h.service_ids(1, "q=sweep&status=inactive").await;
    h.wait_for_texts(ROW_IDS, "inactive sweepers", |ids| {
        ids == expected.as_slice()
    })
    .await;
    let (_, answer) = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?q=sweep&status=inactive",
            None,
        )
        .await;
    let inactive = answer["facets"]["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "inactive")
        .map(|f| f["count"].as_u64().unwrap())
        .unwrap_or(0);
    h.wait_for_texts("#filter-panel label", "the facet counts", |labels| {
        labels.iter().any(|l| {
            l.split_whitespace().collect::<Vec<_>>().join(" ") == format!("Inactive ({inactive})")
        })
    })
    .await;

    h.assert_no_page_errors("searching and filtering").await;

    // Pages come from the server too.
    h.open_signed_in("/?group=1&sort=-name").await;
    let by_name = h.service_ids(1, "sort=-name&limit=1000").await;
    h.wait_for_texts(ROW_IDS, "page 1 by name", |ids| ids == &by_name[..50])
        .await;
    h.watch_errors().await;
    h.browser
        .find(Locator::XPath("//button[normalize-space(.)='Next']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "page 2 by name", |ids| ids == &by_name[50..])
        .await;
    assert!(h.location().await.contains("page=2"));
    h.assert_no_page_errors("paging").await;
    h.stop().await;
}

/// The tab of each group, as its text says it: group id → service count.
async fn tab_counts(h: &Harness) -> Vec<(u64, u64)> {
    let shown = h
        .eval(
            "[...document.querySelectorAll('[role=tab]')].map(t => [t.id, t.querySelector('.count').textContent])",
        )
        .await;
    let mut out = Vec::new();
    for pair in shown.as_array().cloned().unwrap_or_default() {
        let id: String = pair[0]
            .as_str()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let count: String = pair[1]
            .as_str()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        out.push((id.parse().unwrap_or(0), count.parse().unwrap_or(u64::MAX)));
    }
    out
}

/// The server's count of each group.
async fn server_counts(h: &Harness) -> Vec<(u64, u64)> {
    let (status, groups) = h.api("GET", "/api/v1/company-groups", None).await;
    assert_eq!(status, 200, "{groups}");
    groups["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["id"].as_u64().unwrap(),
                g["service_count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Polls until the tabs show the server's counts (and returns group 1's).
async fn tabs_show_server_counts(h: &Harness, what: &str) -> u64 {
    let expected = server_counts(h).await;
    let deadline = std::time::Instant::now() + services_e2e::PATIENCE;
    loop {
        let shown = tab_counts(h).await;
        if shown == expected {
            return expected[0].1;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: the tabs show {shown:?}, the server counts {expected:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tab_of_a_group_over_the_lean_limit_counts_the_whole_group_in_every_view() {
    let h = start().await;
    h.open_signed_in("/").await;
    let all = h.service_ids(1, "limit=1000").await;
    h.wait_for_texts(ROW_IDS, "page 1", |ids| ids == &all[..50])
        .await;
    h.watch_errors().await;
    assert_eq!(tabs_show_server_counts(&h, "page 1").await, 64);

    // A search showing a few, then none.
    let search = h.find("input[type=search]").await;
    search.send_keys("SWEEP").await.unwrap();
    let sweepers = h.service_ids(1, "q=sweep").await;
    h.wait_for_texts(ROW_IDS, "sweepers", |ids| ids == sweepers.as_slice())
        .await;
    tabs_show_server_counts(&h, "searching").await;
    search.send_keys("no such service").await.unwrap();
    h.wait_for_texts(STATUS, "no matches", |t| {
        t.iter().any(|s| s.starts_with("0 of 64"))
    })
    .await;
    tabs_show_server_counts(&h, "no matches").await;

    // The second page (14 services).
    h.open_signed_in("/?group=1&page=2").await;
    h.wait_for_texts(ROW_IDS, "page 2", |ids| ids == &all[50..])
        .await;
    h.watch_errors().await;
    tabs_show_server_counts(&h, "page 2").await;

    // A clone made here, one made elsewhere, and a removal elsewhere: the count follows each.
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    h.browser
        .wait()
        .for_element(Locator::XPath(
            "//*[@role='menuitem'][starts-with(normalize-space(.), 'Clone')]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.toast("Cloned").await;
    assert_eq!(tabs_show_server_counts(&h, "a clone here").await, 65);
    let (status, copy) = h
        .api("POST", &format!("/api/v1/services/{}/clone", all[0]), None)
        .await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(tabs_show_server_counts(&h, "a clone elsewhere").await, 66);
    let (status, _) = h
        .api("DELETE", &format!("/api/v1/services/{}", all[1]), None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(tabs_show_server_counts(&h, "a removal elsewhere").await, 65);
    h.assert_no_page_errors("counting a large group").await;
    h.stop().await;
}
