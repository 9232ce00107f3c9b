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
