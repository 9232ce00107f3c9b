//! The ActionsMenu's actions against the real server: their effect in the UI and in the API,
//! their failure paths (through fault injection), and what a read-only user may do.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";

/// The list of group 1, filtered to active services; returns the first row's id and name.
async fn first_active(h: &Harness) -> (String, String) {
    h.open_signed_in("/?group=1&status=active").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "active services", |ids| !ids.is_empty())
        .await;
    let name = h.texts("#services-panel tbody tr a.name").await[0].clone();
    (ids[0].clone(), name)
}

/// Opens the first row's actions menu and chooses an item by its text.
async fn choose(h: &Harness, item: &str) {
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
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

/// Dismisses every toast, as a user clears them out of the way.
async fn dismiss_toasts(h: &Harness) {
    for button in h
        .browser
        .find_all(Locator::Css(
            "div[aria-live=polite] button[aria-label=Dismiss]",
        ))
        .await
        .unwrap()
    {
        let _ = button.click().await;
    }
}

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn run_manually_starts_one_run_that_finishes() {
    let h = Harness::start().await;
    let (id, name) = first_active(&h).await;
    choose(&h, "Run manually").await;
    let dialog = h.find("[role=dialog]").await;
    assert!(dialog.text().await.unwrap().contains(&name));
    assert_eq!(
        h.browser
            .active_element()
            .await
            .unwrap()
            .tag_name()
            .await
            .unwrap(),
        "textarea",
        "focus moves into the dialog"
    );
    no_axe_violations(&h, "the run dialog").await;
    h.find("[role=dialog] textarea")
        .await
        .send_keys("SO-1001, SO-1002")
        .await
        .unwrap();
    h.find("[role=dialog] input")
        .await
        .send_keys("25")
        .await
        .unwrap();
    h.screenshot("run-dialog-1280x800").await;
    let start = h.button("Start run").await;
    // A double click starts one run.
    start.click().await.unwrap();
    let _ = start.click().await;
    let message = h.toast("started").await;
    assert!(message.contains(&name), "{message}");
    let (status, runs) = h
        .api("GET", &format!("/api/v1/services/{id}/runs"), None)
        .await;
    assert_eq!(status, 200);
    let manual: Vec<&serde_json::Value> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["trigger"] == "manual")
        .collect();
    assert_eq!(manual.len(), 1, "one run, not two: {manual:?}");
    assert_eq!(manual[0]["record_ids"], json!(["SO-1001", "SO-1002"]));
    assert_eq!(manual[0]["page_size"], 25);
    assert!(
        h.browser.find(Locator::Css("[role=dialog]")).await.is_err(),
        "the dialog closed"
    );
    let run = manual[0]["id"].as_u64().unwrap();
    for _ in 0..100 {
        let (_, log) = h.api("GET", &format!("/api/v1/runs/{run}/log"), None).await;
        if log["live"] == false {
            assert!(["ok", "failed"].contains(&log["status"].as_str().unwrap()));
            h.stop().await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {run} did not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn clone_adds_a_highlighted_focused_row() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=3").await;
    h.wait_for_texts(ROW_IDS, "group 3", |ids| ids.len() == 34)
        .await;
    let name = h.texts("#services-panel tbody tr a.name").await[0].clone();
    choose(&h, "Clone").await;
    let message = h.toast("Cloned").await;
    assert!(message.contains(&format!("Copy of {name}")), "{message}");
    let ids = h
        .wait_for_texts(ROW_IDS, "one more row", |ids| ids.len() == 35)
        .await;
    let highlighted = h.find("tbody tr.highlighted a.name").await;
    assert_eq!(highlighted.text().await.unwrap(), format!("Copy of {name}"));
    let focused = h.browser.active_element().await.unwrap();
    assert_eq!(
        focused.text().await.unwrap(),
        format!("Copy of {name}"),
        "the new row has focus"
    );
    let (_, list) = h
        .api("GET", "/api/v1/company-groups/3/services", None)
        .await;
    assert_eq!(list["total"], 35);
    assert!(ids.contains(&list["items"][34]["id"].to_string()));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deactivate_asks_first_then_updates_the_row_and_the_api() {
    let h = Harness::start().await;
    let (id, _) = first_active(&h).await;
    choose(&h, "Deactivate").await;
    let dialog = h.find("[role=dialog]").await;
    assert!(dialog
        .text()
        .await
        .unwrap()
        .contains("will stop running on its schedule"));
    no_axe_violations(&h, "the status dialog").await;
    // Esc cancels and returns focus to the menu button.
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape.to_string())
        .await
        .unwrap();
    assert!(h.browser.find(Locator::Css("[role=dialog]")).await.is_err());
    let focused = h.browser.active_element().await.unwrap();
    assert_eq!(
        focused.attr("aria-haspopup").await.unwrap().as_deref(),
        Some("menu"),
        "focus returns to the menu button"
    );

    choose(&h, "Deactivate").await;
    h.button("Deactivate").await.click().await.unwrap();
    h.toast("is now inactive").await;
    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["status"], "inactive");
    // The list filters on active services: the row leaves it.
    h.wait_for_texts(ROW_IDS, "the row gone from the active list", |ids| {
        !ids.contains(&id)
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn remove_needs_the_typed_id_then_the_row_goes_and_focus_moves_on() {
    let h = Harness::start().await;
    let (id, name) = first_active(&h).await;
    let before = h.texts(ROW_IDS).await;
    choose(&h, "Remove").await;
    let dialog = h.find("[role=dialog]").await;
    assert!(dialog.text().await.unwrap().contains(&name));
    no_axe_violations(&h, "the remove dialog").await;
    let remove = h.button("Remove service").await;
    remove.click().await.unwrap();
    assert!(
        h.browser.find(Locator::Css("[role=dialog]")).await.is_ok(),
        "nothing happens without the id"
    );
    h.find("[role=dialog] input")
        .await
        .send_keys(&id)
        .await
        .unwrap();
    h.screenshot("remove-dialog-1280x800").await;
    remove.click().await.unwrap();
    h.toast("Removed").await;
    let after = h
        .wait_for_texts(ROW_IDS, "the row gone", |ids| !ids.contains(&id))
        .await;
    assert_eq!(after[0], before[1], "the rest of the page stays");
    let focused = h.browser.active_element().await.unwrap();
    assert_eq!(
        focused.attr("href").await.unwrap(),
        Some(format!("/services/{}", before[1])),
        "focus moves to the next row"
    );
    assert!(
        h.location().await.contains("status=active"),
        "the filters stay"
    );
    let (status, _) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(status, 404);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_leave_the_list_unchanged_and_a_retry_succeeds() {
    let h = Harness::start().await;
    let (id, name) = first_active(&h).await;
    let rows = h.texts(ROW_IDS).await;

    // Clone fails, then succeeds.
    h.set_faults(json!([{ "method": "POST", "path": "/api/v1/services/*/clone", "status": 500, "times": 1 }])).await;
    choose(&h, "Clone").await;
    let message = h.toast("Could not clone").await;
    assert!(message.contains("Nothing was created"), "{message}");
    dismiss_toasts(&h).await;
    assert_eq!(h.texts(ROW_IDS).await, rows);
    let (_, list) = h
        .api("GET", "/api/v1/company-groups/1/services", None)
        .await;
    assert_eq!(list["total"], 64);
    choose(&h, "Clone").await;
    h.toast("Cloned").await;
    dismiss_toasts(&h).await;

    // Deactivate fails: the row rolls back; then succeeds.
    h.set_faults(
        json!([{ "method": "PATCH", "path": "/api/v1/services/*", "status": 503, "times": 1 }]),
    )
    .await;
    choose(&h, "Deactivate").await;
    h.button("Deactivate").await.click().await.unwrap();
    let message = h.toast("Could not deactivate").await;
    assert!(message.contains("still active"), "{message}");
    dismiss_toasts(&h).await;
    h.wait_for_texts(ROW_IDS, "the row back", |ids| ids.first() == Some(&id))
        .await;
    assert!(h.texts("#services-panel tbody tr").await[0].contains("Active"));
    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["status"], "active");

    // Run fails inside its dialog; submitting again starts it.
    h.set_faults(
        json!([{ "method": "POST", "path": "/api/v1/services/*/runs", "status": 503, "times": 1 }]),
    )
    .await;
    choose(&h, "Run manually").await;
    h.button("Start run").await.click().await.unwrap();
    let error = h
        .wait_for_texts("[role=dialog] [role=alert]", "the error", |t| !t.is_empty())
        .await;
    assert!(error[0].contains("did not start"), "{error:?}");
    h.button("Start run").await.click().await.unwrap();
    h.toast("started").await;
    dismiss_toasts(&h).await;

    // Remove fails inside its dialog and removes nothing; then succeeds.
    h.set_faults(
        json!([{ "method": "DELETE", "path": "/api/v1/services/*", "status": 500, "times": 1 }]),
    )
    .await;
    choose(&h, "Remove").await;
    h.find("[role=dialog] input")
        .await
        .send_keys(&id)
        .await
        .unwrap();
    h.button("Remove service").await.click().await.unwrap();
    let error = h
        .wait_for_texts("[role=dialog] [role=alert]", "the error", |t| !t.is_empty())
        .await;
    assert!(error[0].contains("was not removed"), "{error:?}");
    assert!(
        h.texts(ROW_IDS).await.contains(&id),
        "the row stays until the server confirms"
    );
    h.button("Remove service").await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "the row gone", |ids| !ids.contains(&id))
        .await;
    let (status, _) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(status, 404);
    let _ = name;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_users_see_why_they_cannot_and_the_server_refuses_anyway() {
    let h = Harness::start().await;
    h.open("/?group=1&status=active").await;
    h.sign_in_as("Dan Hughes").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "rows", |ids| !ids.is_empty())
        .await;
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    let disabled = h
        .wait_for_texts(
            "[role=menuitem][aria-disabled=true]",
            "disabled items",
            |t| t.len() == 4,
        )
        .await;
    for item in &disabled {
        assert!(
            item.contains("Your role (read-only) can only view services"),
            "{item}"
        );
    }
    no_axe_violations(&h, "the read-only menu").await;
    let id = &ids[0];
    for (method, path, body) in [
        (
            "PATCH",
            format!("/api/v1/services/{id}"),
            Some(json!({"status": "inactive"})),
        ),
        ("POST", format!("/api/v1/services/{id}/clone"), None),
        ("POST", format!("/api/v1/services/{id}/runs"), None),
        ("DELETE", format!("/api/v1/services/{id}"), None),
    ] {
        let (status, body) = h.api_as("dan.hughes", method, &path, body).await;
        assert_eq!(status, 403, "{method} {path}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("services:manage"));
    }
    let (_, service) = h.api("GET", &format!("/api/v1/services/{id}"), None).await;
    assert_eq!(service["status"], "active");
    h.stop().await;
}
