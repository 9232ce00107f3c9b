//! Bulk actions against the real server: a checkbox per row and card, Shift+click ranges, the
//! page's mixed header checkbox, "Select all N matching"; a bulk deactivate where one service
//! fails (removed after it was selected) and exactly that one is reported; read-only roles see
//! no selection; axe-core with a selection active at 1280×800 and 375×812.

use serde_json::Value;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";
const BAR: &str = "div[data-bulk-bar] p";

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

async fn rows(h: &Harness, path: &str) -> Vec<String> {
    h.open_signed_in(path).await;
    let ids = h
        .wait_for_texts(ROW_IDS, "rows", |ids| !ids.is_empty())
        .await;
    h.watch_errors().await;
    ids
}

async fn check(h: &Harness, id: &str) {
    h.find(&format!("input[data-select='{id}']"))
        .await
        .click()
        .await
        .unwrap();
}

/// A Shift+click, as the browser delivers it to the checkbox.
async fn shift_click(h: &Harness, id: &str) {
    h.eval(&format!(
        "document.querySelector(\"input[data-select='{id}']\").dispatchEvent(new MouseEvent('click', {{ bubbles: true, cancelable: true, shiftKey: true }})) || true"
    ))
    .await;
}

async fn checked(h: &Harness) -> Vec<String> {
    let ids = h
        .eval("[...document.querySelectorAll('input[data-select]')].filter(i => i.checked).map(i => i.dataset.select)")
        .await;
    serde_json::from_value(ids).unwrap()
}

async fn selected_text(h: &Harness, expected: &str) {
    h.wait_for_texts(BAR, expected, |t| t == [expected.to_string()])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_deactivate_reports_exactly_the_service_that_failed() {
    let h = Harness::start().await;
    let ids = rows(&h, "/?group=1&status=active").await;
    let chosen: Vec<String> = ids[..3].to_vec();
    for id in &chosen {
        check(&h, id).await;
    }
    selected_text(&h, "3 services selected").await;
    no_axe_violations(&h, "a selection active (1280)").await;
    h.screenshot("bulk-selection-1280x800").await;

    h.find("button[data-bulk-action=Deactivate]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the confirmation", |t| {
        t == ["Deactivate 3 services?"]
    })
    .await;
    no_axe_violations(&h, "the bulk confirmation").await;
    // Meanwhile someone else removes the second one.
    let gone = &chosen[1];
    let (_, gone_service) = h
        .api("GET", &format!("/api/v1/services/{gone}"), None)
        .await;
    let gone_name = gone_service["name"].as_str().unwrap().to_string();
    let (status, _) = h
        .api("DELETE", &format!("/api/v1/services/{gone}"), None)
        .await;
    assert_eq!(status, 204);
    h.button("Deactivate 3 services")
        .await
        .click()
        .await
        .unwrap();

    h.wait_for_texts("[role=dialog] h2", "the outcome", |t| {
        t == ["Deactivated 2 of 3 services; 1 failed."]
    })
    .await;
    let failures = h.texts("ul[data-bulk-failures] li").await;
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains(&format!("{gone_name} (ID {gone})"))
            && failures[0].contains(&format!("Service {gone} does not exist.")),
        "{failures:?}"
    );
    assert_eq!(
        h.eval("document.querySelector('ul[data-bulk-failures] li').dataset.failedId")
            .await,
        Value::String(gone.clone())
    );
    h.wait_for_texts("#pw-announcer", "the outcome announced", |t| {
        t.iter()
            .any(|x| x.contains("Deactivated 2 of 3 services; 1 failed."))
    })
    .await;
    no_axe_violations(&h, "the bulk outcome").await;
    h.screenshot("bulk-outcome-1280x800").await;
    for id in [&chosen[0], &chosen[2]] {
        let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
        assert_eq!(service["status"], "inactive", "{id}");
    }
    // The deactivated rows leave the active-only list; the removed one leaves the selection.
    h.button("Close").await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "the rows gone", |now| {
        chosen.iter().all(|id| !now.contains(id))
    })
    .await;
    selected_text(&h, "2 services selected").await;
    let focused = h.focused().await;
    assert!(focused.starts_with("button"), "focus on {focused}");
    h.assert_no_page_errors("bulk deactivate").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shift_click_selects_ranges_and_select_all_matching_reaches_every_page() {
    let h = Harness::start().await;
    let ids = rows(&h, "/?group=1").await;
    check(&h, &ids[1]).await;
    shift_click(&h, &ids[5]).await;
    h.wait_until(
        "five checked",
        "document.querySelectorAll('input[data-select]:checked').length === 5",
    )
    .await;
    assert_eq!(checked(&h).await, ids[1..=5].to_vec());
    selected_text(&h, "5 services selected").await;
    assert_eq!(
        h.eval("document.querySelector('input[data-select-page]').indeterminate")
            .await,
        Value::Bool(true),
        "the header checkbox is mixed"
    );
    // A Shift+click on a selected row unselects from the last one clicked down to it.
    shift_click(&h, &ids[3]).await;
    h.wait_until(
        "two checked",
        "document.querySelectorAll('input[data-select]:checked').length === 2",
    )
    .await;
    assert_eq!(
        checked(&h).await,
        ids[1..=2].to_vec(),
        "rows 3 to 5 unselected"
    );

    // The whole page, then every matching service.
    h.find("input[data-select-page]")
        .await
        .click()
        .await
        .unwrap();
    selected_text(&h, &format!("{} services selected", ids.len())).await;
    assert_eq!(
        h.eval("document.querySelector('input[data-select-page]').checked && !document.querySelector('input[data-select-page]').indeterminate")
            .await,
        Value::Bool(true)
    );
    let (_, all) = h
        .api("GET", "/api/v1/company-groups/1/services?limit=1", None)
        .await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > ids.len() as u64);
    h.button(&format!("Select all {total} matching"))
        .await
        .click()
        .await
        .unwrap();
    selected_text(&h, &format!("{total} services selected")).await;
    // Paging and sorting keep it.
    h.find("nav[aria-label=Pages] li:last-child button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "the next page", |now| now != ids.as_slice())
        .await;
    assert_eq!(
        h.eval("[...document.querySelectorAll('input[data-select]')].every(i => i.checked)")
            .await,
        Value::Bool(true)
    );
    selected_text(&h, &format!("{total} services selected")).await;
    // A search narrows the matches; "select all" then offers only those, and the selection stays.
    // Another group clears it, and says so.
    h.find("[role=tab]:nth-child(2)")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until(
        "the bar gone",
        "!document.querySelector('div[data-bulk-bar]')",
    )
    .await;
    h.wait_for_texts("#pw-announcer", "the clearing announced", |t| {
        t.iter().any(|x| x.contains("Selection cleared"))
    })
    .await;
    h.assert_no_page_errors("selection").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_roles_see_no_selection() {
    let h = Harness::start().await;
    for user in ["Dan Hughes", "Chloe Patel"] {
        h.open("/?group=1").await;
        h.sign_in_as(user).await;
        h.wait_for_texts(ROW_IDS, "rows", |ids| !ids.is_empty())
            .await;
        assert_eq!(
            h.eval("document.querySelectorAll('input[data-select], input[data-select-page], div[data-bulk-bar]').length")
                .await,
            Value::from(0),
            "{user}"
        );
    }
    let (status, _) = h
        .api_as(
            "dan.hughes",
            "POST",
            "/api/v1/services/bulk",
            Some(serde_json::json!({"action": "deactivate", "ids": [1]})),
        )
        .await;
    assert_eq!(status, 403);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cards_have_checkboxes_and_axe_finds_nothing_with_a_selection_at_375() {
    let h = Harness::start_with_window(375, 812).await;
    let ids = rows(&h, "/?group=1").await;
    assert!(
        h.eval("!!document.querySelector('li.card input[data-select]')")
            .await
            == Value::Bool(true)
    );
    check(&h, &ids[0]).await;
    check(&h, &ids[2]).await;
    selected_text(&h, "2 services selected").await;
    no_axe_violations(&h, "a selection active (375)").await;
    h.eval("document.querySelector('div[data-bulk-bar]').scrollIntoView() || true")
        .await;
    h.screenshot("bulk-selection-375x812").await;
    h.find("button[data-bulk-action=AlertsOff]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the confirmation", |t| {
        t == ["Turn alerts off for 2 services?"]
    })
    .await;
    no_axe_violations(&h, "the bulk confirmation (375)").await;
    h.button("Alerts off 2 services")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the outcome", |t| {
        t == ["Turned alerts off for 2 services."]
    })
    .await;
    for id in [&ids[0], &ids[2]] {
        let (_, alerts) = h
            .api("GET", &format!("/api/v1/services/{id}/alerts"), None)
            .await;
        assert_eq!(alerts["enabled"], false);
    }
    h.button("Close").await.click().await.unwrap();
    h.wait_until(
        "focus back on the bar",
        "document.activeElement && document.activeElement !== document.body",
    )
    .await;
    h.assert_no_page_errors("cards").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn select_all_matching_works_for_a_group_asked_per_query() {
    // Group 1 (64 services) is over this lean limit: only the page shown is held.
    let h = Harness::start_configured(1280, 800, |config| config.lean_limit = 20).await;
    let ids = rows(&h, "/?group=1&sort=-name&per_page=25").await;
    let matching = h.service_ids(1, "limit=1000").await;
    assert!(matching.len() > ids.len(), "more than a page matches");
    h.find("input[data-select-page]")
        .await
        .click()
        .await
        .unwrap();
    selected_text(&h, &format!("{} services selected", ids.len())).await;
    h.button(&format!("Select all {} matching", matching.len()))
        .await
        .click()
        .await
        .unwrap();
    selected_text(&h, &format!("{} services selected", matching.len())).await;
    h.find("button[data-bulk-action=AlertsOff]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the confirmation", |t| {
        t == [format!("Turn alerts off for {} services?", matching.len())]
    })
    .await;
    h.button(&format!("Alerts off {} services", matching.len()))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the outcome", |t| {
        t == [format!(
            "Turned alerts off for {} services.",
            matching.len()
        )]
    })
    .await;
    let (_, all) = h
        .api("GET", "/api/v1/company-groups/1/services?limit=1000", None)
        .await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), matching.len());
    assert!(items.iter().all(|s| s["alerts_enabled"] == false));
    h.assert_no_page_errors("per-query selection").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_remove_takes_the_rows_and_focus_goes_to_the_search() {
    let h = Harness::start().await;
    let ids = rows(&h, "/?group=2").await;
    let gone = vec![ids[0].clone(), ids[1].clone()];
    for id in &gone {
        check(&h, id).await;
    }
    selected_text(&h, "2 services selected").await;
    h.find("button[data-bulk-action=Remove]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("[role=dialog] h2", "the confirmation", |t| {
        t == ["Remove 2 services?"]
    })
    .await;
    // Cancel first: nothing goes, focus returns to the button.
    h.button("Cancel").await.click().await.unwrap();
    let focused = h.focused().await;
    assert!(focused.contains("Remove"), "{focused}");
    h.find("button[data-bulk-action=Remove]")
        .await
        .click()
        .await
        .unwrap();
    h.button("Remove 2 services").await.click().await.unwrap();
    h.wait_for_texts("[role=dialog] h2", "the outcome", |t| {
        t == ["Removed 2 services."]
    })
    .await;
    h.button("Close").await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "the rows gone", |now| {
        gone.iter().all(|id| !now.contains(id))
    })
    .await;
    h.wait_until(
        "the bar gone",
        "!document.querySelector('div[data-bulk-bar]')",
    )
    .await;
    h.wait_until(
        "focus on the search",
        "document.activeElement && document.activeElement.id === 'service-search'",
    )
    .await;
    for id in &gone {
        let (status, _) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
        assert_eq!(status, 404, "{id}");
    }
    h.assert_no_page_errors("bulk remove").await;
    h.stop().await;
}
