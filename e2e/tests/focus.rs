//! Where keyboard focus goes, against the real server: it stays on the control the user used
//! while the list sorts, pages, filters and changes a row; route changes move it to the new
//! page's heading, set the title and announce it; the `/` shortcut can be turned off.

use fantoccini::key::Key;
use services_e2e::Harness;
use std::time::Duration;

const ROW_IDS: &str = "#services-panel span.id";

async fn ready(h: &Harness, path: &str) -> Vec<String> {
    h.open_signed_in(path).await;
    h.wait_for_texts(ROW_IDS, "the first rows", |ids| !ids.is_empty())
        .await
}

/// Focuses the element matching `css` and marks it (see `Harness::mark_focused`).
async fn focus(h: &Harness, css: &str) {
    h.find(css).await;
    h.eval(&format!(
        "document.querySelector(\"{css}\").focus() || true"
    ))
    .await;
    h.mark_focused().await;
}

/// Notes (in `lost`) a step after which focus is not on the control used.
async fn check_focus_kept(h: &Harness, after: &str, lost: &mut Vec<String>) {
    if !h.focus_kept().await {
        lost.push(format!("after {after}, focus is on {}", h.focused().await));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn focus_stays_on_the_control_used_to_sort_page_filter_and_change_a_row() {
    let h = Harness::start().await;
    let first = ready(&h, "/?group=1").await;
    let mut lost = Vec::new();

    // Sort by name from the keyboard.
    focus(&h, "#services-panel th:nth-child(6) button").await;
    h.press(&Key::Enter.to_string()).await;
    let by_name = h.service_ids(1, "sort=name&limit=50").await;
    h.wait_for_texts(ROW_IDS, "sorted by name", |ids| ids == by_name.as_slice())
        .await;
    check_focus_kept(&h, "sorting", &mut lost).await;

    // Next page, then back through the page number.
    focus(&h, "nav[aria-label=Pages] li:last-child button").await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_texts("button[aria-current=page]", "page 2", |p| p == ["2"])
        .await;
    check_focus_kept(&h, "Next", &mut lost).await;
    focus(&h, "nav[aria-label=Pages] button[aria-label='Page 1']").await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_texts("button[aria-current=page]", "page 1", |p| p == ["1"])
        .await;
    check_focus_kept(&h, "a page number", &mut lost).await;

    // Another page size, with the arrow keys on the select.
    focus(&h, "nav[aria-label=Pages] select").await;
    h.press(&Key::Down.to_string()).await;
    h.wait_for_texts(ROW_IDS, "64 rows on one page", |ids| ids.len() == 64)
        .await;
    assert!(h.location().await.contains("per_page=100"));
    check_focus_kept(&h, "changing the page size", &mut lost).await;

    // Back to the first view, then activate or deactivate the first row and confirm.
    ready(&h, "/?group=1").await;
    let id = &first[0];
    let menu = format!("#services-panel [data-actions-for='{id}'] button[aria-haspopup=menu]");
    focus(&h, &menu).await;
    h.press(&Key::Enter.to_string()).await;
    h.find("[role=menu]").await;
    for _ in 0..3 {
        h.press(&Key::Down.to_string()).await;
    }
    let item = h.focused().await;
    assert!(
        item.to_lowercase().contains("activate"),
        "the status item: {item}"
    );
    h.press(&Key::Enter.to_string()).await;
    h.find("[role=dialog]").await;
    h.press(&Key::Tab.to_string()).await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_texts("div[aria-live=polite] div", "the change", |t| {
        t.iter().any(|x| x.contains("is now"))
    })
    .await;
    check_focus_kept(&h, "confirming the status change", &mut lost).await;

    // A filter from its checkbox, with Space.
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    focus(&h, "#filter-panel fieldset input[type=checkbox]").await;
    h.press(&Key::Space.to_string()).await;
    h.wait_for_texts("ul.chips button", "the filter chip", |c| c.len() == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    check_focus_kept(&h, "toggling a filter", &mut lost).await;
    assert!(lost.is_empty(), "{lost:#?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_toggling_a_filter_keeps_focus_in_the_sheet() {
    let h = Harness::start_with_window(375, 812).await;
    ready(&h, "/?group=1").await;
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.find("#filter-panel[role=dialog]").await;
    focus(
        &h,
        "#filter-panel fieldset:nth-of-type(2) input[type=checkbox]",
    )
    .await;
    h.press(&Key::Space.to_string()).await;
    h.wait_for_texts("ul.chips button", "the filter chip", |c| c.len() == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut lost = Vec::new();
    check_focus_kept(&h, "toggling a filter in the sheet", &mut lost).await;
    assert!(lost.is_empty(), "{lost:#?}");
    assert_eq!(
        h.eval("document.getElementById('filter-panel').contains(document.activeElement)")
            .await,
        true
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_route_change_sets_the_title_moves_focus_to_the_heading_and_is_announced() {
    let h = Harness::start().await;
    ready(&h, "/?group=1").await;
    assert_eq!(h.eval("document.title").await, "Services · Patchworks");
    let name = h.texts("#services-panel tbody tr a.name").await[0].clone();
    h.find("#services-panel tbody tr a.name")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the service page", |t| t == [name.clone()])
        .await;
    let title = serde_json::to_string(&format!("{name} · Services · Patchworks")).unwrap();
    h.wait_until("the title", &format!("document.title === {title}"))
        .await;
    assert_eq!(h.focused().await, format!("h1 \"{name}\""));
    let quoted = serde_json::to_string(&name).unwrap();
    h.wait_until(
        "the announcement",
        &format!(
            "document.getElementById('pw-announcer')?.textContent.includes({quoted}) ?? false"
        ),
    )
    .await;

    h.back_to_services().await;
    h.wait_for_texts(ROW_IDS, "the list", |ids| !ids.is_empty())
        .await;
    h.wait_until("the title", "document.title === 'Services · Patchworks'")
        .await;
    assert_eq!(h.focused().await, "h1 \"Services\"");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_slash_shortcut_can_be_turned_off() {
    let h = Harness::start().await;
    ready(&h, "/?group=1").await;
    h.find("h1").await.click().await.unwrap();
    h.press("/").await;
    assert_eq!(h.eval("document.activeElement.id").await, "service-search");

    let switch = h
        .find("button[role=switch][aria-label='Keyboard shortcuts']")
        .await;
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("true")
    );
    switch.click().await.unwrap();
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("false")
    );
    h.find("h1").await.click().await.unwrap();
    h.press("/").await;
    assert_ne!(
        h.eval("document.activeElement.id").await,
        "service-search",
        "the shortcut is off"
    );
    // The choice is remembered on this device.
    h.browser.refresh().await.unwrap();
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(ROW_IDS, "the list", |ids| !ids.is_empty())
        .await;
    assert_eq!(
        h.find("button[role=switch][aria-label='Keyboard shortcuts']")
            .await
            .attr("aria-checked")
            .await
            .unwrap()
            .as_deref(),
        Some("false")
    );
    h.stop().await;
}
