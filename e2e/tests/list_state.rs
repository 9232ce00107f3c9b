//! The list's state against the real server: actions keep the group and view they started from,
//! answers that arrive after the user moved on neither stop the app nor land in the wrong place,
//! reloads don't undo changes, and the group tabs' counts follow clones and removals.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use services_e2e::Harness;
use std::time::Duration;

const ROW_IDS: &str = "#services-panel span.id";
const COUNT: &str = "#services-panel p.count";
/// Long enough to act before the server answers.
const DELAY_MS: u64 = 1500;

async fn ready(h: &Harness, path: &str) -> Vec<String> {
    h.open_signed_in(path).await;
    let ids = h
        .wait_for_texts(ROW_IDS, "the first rows", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    ids
}

/// Opens the actions menu of the row with this id and chooses an item by its text.
async fn choose(h: &Harness, id: &str, item: &str) {
    h.find(&format!(
        "#services-panel [data-actions-for='{id}'] button[aria-haspopup=menu]"
    ))
    .await
    .click()
    .await
    .unwrap();
    let xpath = format!("//*[@role='menuitem'][starts-with(normalize-space(.), '{item}')]");
    h.browser
        .wait()
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of the row with this id, or "" if it is not on the page.
async fn row_text(h: &Harness, id: &str) -> String {
    h.eval(&format!(
        "[...document.querySelectorAll('#services-panel tbody tr')]
           .find(tr => tr.querySelector('span.id')?.textContent === '{id}')?.textContent ?? ''"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn is_active(row: &str) -> bool {
    row.contains("Active") && !row.contains("Inactive")
}

/// The app still answers the user: the search narrows the rows.
async fn still_responds(h: &Harness) {
    let search = h.find("#service-search").await;
    search.clear().await.unwrap();
    search.send_keys("sweep").await.unwrap();
    h.wait_for_texts(COUNT, "the search to narrow the list", |t| {
        t.iter().any(|t| t.contains(" of "))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clone_answered_after_leaving_the_list_keeps_the_app_alive() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=3").await;
    h.set_faults(json!([{ "method": "POST", "path": "/api/v1/services/*/clone", "delay_ms": DELAY_MS, "times": 1 }]))
        .await;
    choose(&h, &ids[0], "Clone").await;
    // Leave the list before the server answers.
    h.find("#services-panel tbody tr a.name")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the service page", |t| {
        t.len() == 1 && t[0] != "Services"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(DELAY_MS + 1000)).await;
    h.assert_no_page_errors("the clone's answer after leaving")
        .await;
    h.toast("Cloned").await;
    h.back_to_services().await;
    h.wait_for_texts(COUNT, "the group with its copy", |t| t == ["35 services"])
        .await;
    still_responds(&h).await;
    h.assert_no_page_errors("after going back").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_change_answered_after_leaving_the_list_keeps_the_app_alive() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1").await;
    let id = ids[0].clone();
    let was_active = is_active(&row_text(&h, &id).await);
    let (item, now) = if was_active {
        ("Deactivate", "Inactive")
    } else {
        ("Activate", "Active")
    };
    h.set_faults(json!([{ "method": "PATCH", "path": "/api/v1/services/*", "delay_ms": DELAY_MS, "times": 1 }]))
        .await;
    choose(&h, &id, item).await;
    h.button(item).await.click().await.unwrap();
    h.find("#services-panel tbody tr a.name")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the service page", |t| {
        t.len() == 1 && t[0] != "Services"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(DELAY_MS + 1000)).await;
    h.assert_no_page_errors("the status change's answer after leaving")
        .await;
    h.back_to_services().await;
    h.wait_for_texts(ROW_IDS, "the list again", |t| t.first() == Some(&id))
        .await;
    let row = row_text(&h, &id).await;
    assert_eq!(is_active(&row), now == "Active", "{row}");
    still_responds(&h).await;
    h.assert_no_page_errors("after going back").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_run_dialog_while_the_run_starts_keeps_the_app_alive() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1&status=active").await;
    h.set_faults(json!([{ "method": "POST", "path": "/api/v1/services/*/runs", "delay_ms": DELAY_MS, "times": 1 }]))
        .await;
    choose(&h, &ids[0], "Run manually").await;
    h.button("Start run").await.click().await.unwrap();
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape.to_string())
        .await
        .unwrap();
    assert!(
        h.browser.find(Locator::Css("[role=dialog]")).await.is_err(),
        "Esc closed the dialog"
    );
    tokio::time::sleep(Duration::from_millis(DELAY_MS + 1000)).await;
    h.assert_no_page_errors("the run's answer after the dialog closed")
        .await;
    // The run did start, and the user is told so.
    h.toast("started").await;
    still_responds(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_remove_dialog_while_removing_keeps_the_app_alive() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1").await;
    let id = ids[0].clone();
    h.set_faults(json!([{ "method": "DELETE", "path": "/api/v1/services/*", "delay_ms": DELAY_MS, "times": 1 }]))
        .await;
    choose(&h, &id, "Remove").await;
    h.find("[role=dialog] input")
        .await
        .send_keys(&id)
        .await
        .unwrap();
    h.button("Remove service").await.click().await.unwrap();
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape.to_string())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(DELAY_MS + 1000)).await;
    h.assert_no_page_errors("the removal's answer after the dialog closed")
        .await;
    // The server removed it; the list follows.
    h.wait_for_texts(ROW_IDS, "the row gone", |t| !t.contains(&id))
        .await;
    h.toast("Removed").await;
    still_responds(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clone_answered_after_a_tab_switch_lands_in_its_own_group() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1").await;
    h.set_faults(json!([{ "method": "POST", "path": "/api/v1/services/*/clone", "delay_ms": DELAY_MS, "times": 1 }]))
        .await;
    choose(&h, &ids[0], "Clone").await;
    h.find("#group-tab-2").await.click().await.unwrap();
    h.wait_for_texts(COUNT, "group 2", |t| t == ["52 services"])
        .await;
    h.toast("Cloned").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        h.texts(COUNT).await,
        vec!["52 services"],
        "group 2 did not get group 1's copy"
    );
    let names = h.texts("#services-panel tbody tr a.name").await;
    assert!(names.iter().all(|n| !n.starts_with("Copy of")), "{names:?}");
    h.find("#group-tab-1").await.click().await.unwrap();
    h.wait_for_texts(COUNT, "group 1 with its copy", |t| t == ["65 services"])
        .await;
    h.assert_no_page_errors("the tab switch").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_status_change_rolls_back_in_its_own_group_after_a_tab_switch() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1").await;
    let id = ids[0].clone();
    let was_active = is_active(&row_text(&h, &id).await);
    let item = if was_active { "Deactivate" } else { "Activate" };
    h.set_faults(json!([{ "method": "PATCH", "path": "/api/v1/services/*", "delay_ms": DELAY_MS, "status": 503, "times": 1 }]))
        .await;
    choose(&h, &id, item).await;
    h.button(item).await.click().await.unwrap();
    h.find("#group-tab-2").await.click().await.unwrap();
    h.wait_for_texts(COUNT, "group 2", |t| t == ["52 services"])
        .await;
    h.toast("Could not").await;
    // Group 1 comes back from what the app holds while its reload is slow: rolled back.
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/company-groups/1/services/lean", "delay_ms": 3000, "times": 1 }]))
        .await;
    h.find("#group-tab-1").await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "group 1 again", |t| t.first() == Some(&id))
        .await;
    let row = row_text(&h, &id).await;
    assert_eq!(
        is_active(&row),
        was_active,
        "the failed change is rolled back: {row}"
    );
    h.assert_no_page_errors("the rollback").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_while_a_change_is_pending_keeps_the_change() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=1").await;
    let id = ids[0].clone();
    let was_active = is_active(&row_text(&h, &id).await);
    let item = if was_active { "Deactivate" } else { "Activate" };
    h.set_faults(
        json!([{ "method": "PATCH", "path": "/api/v1/services/*", "delay_ms": 4000, "times": 1 }]),
    )
    .await;
    choose(&h, &id, item).await;
    h.button(item).await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "the row", |t| t.first() == Some(&id))
        .await;
    assert_ne!(
        is_active(&row_text(&h, &id).await),
        was_active,
        "optimistic"
    );
    // Leave the group and come back: the group reloads while the change is pending.
    h.find("#group-tab-2").await.click().await.unwrap();
    h.wait_for_texts(COUNT, "group 2", |t| t == ["52 services"])
        .await;
    h.find("#group-tab-1").await.click().await.unwrap();
    for _ in 0..20 {
        let row = row_text(&h, &id).await;
        assert!(
            row.is_empty() || is_active(&row) != was_active,
            "the reload undid the pending change: {row}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.toast("is now").await;
    let row = row_text(&h, &id).await;
    assert_ne!(is_active(&row), was_active, "{row}");
    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["status"] == "active", !was_active);
    h.assert_no_page_errors("the reload").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn group_tab_counts_follow_clones_and_removals() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=3").await;
    let tab = "#group-tab-3";
    assert!(h.find(tab).await.text().await.unwrap().contains("34"));
    choose(&h, &ids[0], "Clone").await;
    h.toast("Cloned").await;
    h.wait_for_texts(tab, "35 in the tab", |t| t.iter().any(|t| t.contains("35")))
        .await;
    choose(&h, &ids[1], "Remove").await;
    h.find("[role=dialog] input")
        .await
        .send_keys(&ids[1])
        .await
        .unwrap();
    h.button("Remove service").await.click().await.unwrap();
    h.toast("Removed").await;
    h.wait_for_texts(tab, "34 in the tab again", |t| {
        t.iter().any(|t| t.contains("34"))
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cloned_row_takes_focus_once_and_never_again() {
    let h = Harness::start().await;
    let ids = ready(&h, "/?group=3").await;
    let name = h.texts("#services-panel tbody tr a.name").await[0].clone();
    choose(&h, &ids[0], "Clone").await;
    h.toast("Cloned").await;
    h.wait_for_texts(ROW_IDS, "one more row", |ids| ids.len() == 35)
        .await;
    assert_eq!(
        h.focused().await,
        format!("a \"Copy of {name}\""),
        "the new row has focus"
    );
    let search = h.find("#service-search").await;
    search.click().await.unwrap();
    search.send_keys("ne").await.unwrap();
    h.wait_for_texts(COUNT, "the search", |t| {
        t.iter().any(|t| t.contains(" of "))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        h.eval("document.activeElement.id").await,
        "service-search",
        "typing stays in the search box"
    );
    assert_eq!(
        search.prop("value").await.unwrap().as_deref(),
        Some("ne"),
        "every key reached the search"
    );
    h.stop().await;
}

/// Records each change of a live region's text from now on.
const WATCH_ANNOUNCEMENTS: &str = "
  window.__pwAnnounced = [];
  const last = new Map();
  new MutationObserver(() => {
    for (const region of document.querySelectorAll('[role=status], [aria-live]')) {
      const text = region.textContent.trim();
      if (last.has(region) && last.get(region) !== text && text !== '') window.__pwAnnounced.push(text);
      last.set(region, text);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
  for (const region of document.querySelectorAll('[role=status], [aria-live]')) last.set(region, region.textContent.trim());
  return true;";

#[tokio::test(flavor = "multi_thread")]
async fn the_result_count_is_announced_once_typing_pauses() {
    let h = Harness::start().await;
    ready(&h, "/?group=1").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    h.browser
        .execute(WATCH_ANNOUNCEMENTS, vec![])
        .await
        .unwrap();
    // Typed a key at a time, each key changing the count: 64 → 9 → 1.
    let search = h.find("#service-search").await;
    for key in ["2", "0", "0", "1"] {
        search.send_keys(key).await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    h.wait_for_texts(COUNT, "the count", |t| t == ["1 of 64 services"])
        .await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let announced: Vec<String> =
        serde_json::from_value(h.eval("window.__pwAnnounced").await).unwrap();
    let counts: Vec<&String> = announced
        .iter()
        .filter(|a| a.contains("services"))
        .collect();
    assert_eq!(
        counts.len(),
        1,
        "one announcement after typing pauses, not one per key: {announced:?}"
    );
    assert_eq!(counts[0], "1 of 64 services");
    h.stop().await;
}
