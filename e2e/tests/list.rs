//! The services list against the real server, in headless Chromium.

use fantoccini::Locator;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";
const TABS: &str = "[role=tab]";
const SELECTED_TAB: &str = "[role=tab][aria-selected=true]";

/// The first page of ids the API lists for a group (the list shows 50 a page).
async fn api_ids(h: &Harness, group: u64) -> Vec<String> {
    let mut ids = h.service_ids(group, "").await;
    ids.truncate(50);
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn seeded_services_show_under_the_first_group() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let tabs = h
        .wait_for_texts(TABS, "three group tabs", |t| t.len() == 3)
        .await;
    assert!(tabs[0].starts_with("Northwind Retail UK"), "{tabs:?}");
    assert!(
        tabs[0].contains("64"),
        "the tab shows its service count: {tabs:?}"
    );
    let selected = h.texts(SELECTED_TAB).await;
    assert!(
        selected[0].starts_with("Northwind Retail UK"),
        "{selected:?}"
    );

    let ids = h
        .wait_for_texts(ROW_IDS, "64 rows", |ids| ids.len() == 50)
        .await;
    assert_eq!(ids, api_ids(&h, 1).await);
    assert_eq!(
        h.texts("#services-panel p.count").await,
        vec!["64 services"]
    );
    let first_row = h.find("tbody tr").await.text().await.unwrap();
    assert!(
        first_row.contains("2001") && first_row.contains('→'),
        "{first_row}"
    );
    assert!(
        h.browser.find(Locator::Id("app-boot")).await.is_err(),
        "the loading line from index.html is gone once the app runs"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_tabs_changes_the_list_and_the_url() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    let first = h
        .wait_for_texts(ROW_IDS, "group 1's rows", |ids| ids.len() == 50)
        .await;

    let eu = h.find("#group-tab-2").await;
    eu.click().await.unwrap();
    let second = h
        .wait_for_texts(ROW_IDS, "group 2's rows", |ids| ids.len() == 50)
        .await;
    assert_eq!(second, api_ids(&h, 2).await);
    assert!(
        second.iter().all(|id| !first.contains(id)),
        "the list changed completely"
    );
    assert_eq!(h.location().await, "/?group=2");
    let selected = h.texts(SELECTED_TAB).await;
    assert!(
        selected[0].starts_with("Northwind Retail EU"),
        "{selected:?}"
    );

    h.browser.back().await.unwrap();
    h.wait_for_texts(ROW_IDS, "Back to show group 1 again", |ids| {
        ids == first.as_slice()
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_selects_a_tab_with_arrow_and_enter() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    h.wait_for_texts(ROW_IDS, "group 1's rows", |ids| ids.len() == 50)
        .await;
    let first_tab = h.find("#group-tab-1").await;
    first_tab.send_keys("\u{E014}").await.unwrap(); // ArrowRight
    let focused = h.browser.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("group-tab-2")
    );
    focused.send_keys("\u{E007}").await.unwrap(); // Enter
    h.wait_for_texts(ROW_IDS, "group 2's rows", |ids| ids.len() == 50)
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_opens_its_group_cold() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=3").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "group 3's rows", |ids| ids.len() == 34)
        .await;
    assert_eq!(ids, api_ids(&h, 3).await);
    let selected = h
        .wait_for_texts(SELECTED_TAB, "the selected tab", |t| t.len() == 1)
        .await;
    assert!(
        selected[0].starts_with("Northwind Wholesale"),
        "{selected:?}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_group_shows_the_servers_message_and_a_retry() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=999").await;
    let alert = h
        .wait_for_texts("[role=alert]", "an error message", |t| !t.is_empty())
        .await;
    assert!(alert[0].contains("Could not load services."), "{alert:?}");
    assert!(
        alert[0].contains("Company group 999 does not exist."),
        "{alert:?}"
    );
    let retry = h.find("[role=alert] button").await;
    assert_eq!(retry.text().await.unwrap(), "Retry");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_session_returns_to_sign_in_and_keeps_the_view() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=2").await;
    h.wait_for_texts(ROW_IDS, "group 2's rows", |ids| ids.len() == 50)
        .await;
    // The server refuses the next request's token, as it does when a session expires.
    h.browser
        .execute_async(
            "const done = arguments[0];
             fetch('/api/test/faults', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
               body: JSON.stringify({ rules: [{ path: '/api/v1/company-groups/*/services/lean', status: 401, times: 1 }] }) })
               .then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    h.find("#group-tab-3").await.click().await.unwrap();
    let notice = h
        .wait_for_texts("[role=alert]", "the expiry notice", |t| !t.is_empty())
        .await;
    assert!(notice[0].contains("Your session has expired"), "{notice:?}");
    h.sign_in_as("Ben Carter").await;
    h.wait_for_texts(ROW_IDS, "group 3's rows", |ids| ids.len() == 34)
        .await;
    assert_eq!(h.location().await, "/?group=3");
    let bar = h
        .wait_for_texts("body", "the account bar", |t| {
            t.iter().any(|b| b.contains("Signed in as Ben Carter"))
        })
        .await;
    assert!(bar[0].contains("manager"));
    h.stop().await;
}
