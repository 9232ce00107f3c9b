//! Favourites and saved views against the real server: a star persists across a reload and the
//! Favourites filter shows exactly the starred; a view saved from the Views menu, picked again
//! from it (the URL and the list restored), refused under a taken name, and removed.

use fantoccini::key::Key;
use serde_json::Value;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";

async fn no_axe_violations(h: &Harness, what: &str) {
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

async fn pressed(h: &Harness) -> Vec<String> {
    let ids = h
        .eval("[...document.querySelectorAll('button[data-star][aria-pressed=true]')].map(b => b.dataset.star)")
        .await;
    serde_json::from_value(ids).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_star_persists_across_a_reload_and_the_favourites_filter_shows_exactly_the_starred() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=1").await;
    let ids = h.wait_for_texts(ROW_IDS, "rows", |ids| ids.len() > 5).await;
    h.watch_errors().await;
    let starred = vec![ids[0].clone(), ids[3].clone()];
    for id in &starred {
        h.find(&format!("button[data-star='{id}']"))
            .await
            .click()
            .await
            .unwrap();
    }
    h.wait_until(
        "two stars pressed",
        "document.querySelectorAll('button[data-star][aria-pressed=true]').length === 2",
    )
    .await;
    let (_, mine) = h.api("GET", "/api/v1/favourites", None).await;
    let mut expected: Vec<u64> = starred.iter().map(|s| s.parse().unwrap()).collect();
    expected.sort_unstable();
    assert_eq!(mine["ids"], serde_json::json!(expected));
    // Another user's stars are their own.
    let (_, theirs) = h
        .api_as("ben.carter", "GET", "/api/v1/favourites", None)
        .await;
    assert_eq!(theirs["ids"], serde_json::json!([]));

    h.browser.refresh().await.unwrap();
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(ROW_IDS, "rows again", |now| now == ids.as_slice())
        .await;
    h.watch_errors().await;
    h.wait_until(
        "the stars after a reload",
        "document.querySelectorAll('button[data-star][aria-pressed=true]').length === 2",
    )
    .await;
    let mut after = pressed(&h).await;
    after.sort();
    let mut want = starred.clone();
    want.sort();
    assert_eq!(after, want);

    // The Favourites filter, with its count, in the URL.
    h.button("Filters").await.click().await.unwrap();
    h.wait_for_texts(
        "#filter-panel fieldset:last-of-type label",
        "the favourites count",
        |t| {
            t.len() == 1
                && t[0].split_whitespace().collect::<Vec<_>>() == ["Only", "starred", "(2)"]
        },
    )
    .await;
    h.find("input[data-filter-favourites]")
        .await
        .click()
        .await
        .unwrap();
    let mut shown = h
        .wait_for_texts(ROW_IDS, "only the starred", |now| now.len() == 2)
        .await;
    shown.sort();
    assert_eq!(shown, want);
    h.wait_for_location("the filter in the URL", |l| l.contains("favourites=true"))
        .await;
    assert_eq!(
        h.texts("ul.chips button").await,
        vec!["Favourites: Only starred ×"]
    );
    no_axe_violations(&h, "the favourites filter").await;
    h.screenshot("favourites-1280x800").await;
    // Unstarring one there takes it out of the filtered list.
    h.find(&format!("button[data-star='{}']", starred[0]))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "one left", |now| now == [starred[1].clone()])
        .await;
    h.wait_until(
        "focus moved on from the row that left",
        "document.activeElement && document.activeElement !== document.body",
    )
    .await;
    h.assert_no_page_errors("favourites").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_view_is_saved_picked_from_the_menu_and_removed() {
    let h = Harness::start().await;
    let view = "/?group=1&q=orders&status=active&sort=-name";
    h.open_signed_in(view).await;
    let expected: Vec<String> = h
        .service_ids(1, "q=orders&status=active&sort=-name&limit=50")
        .await;
    h.wait_for_texts(ROW_IDS, "the view", |now| now == expected.as_slice())
        .await;
    h.watch_errors().await;

    let menu_button = h.button("Views ▾").await;
    menu_button.click().await.unwrap();
    h.find("#views-menu").await;
    h.wait_for_texts("#views-menu [role=menuitem]", "the empty menu", |t| {
        t.first().is_some_and(|x| x == "No saved views yet")
    })
    .await;
    no_axe_violations(&h, "the views menu").await;
    let save = h
        .browser
        .find(fantoccini::Locator::XPath(
            "//li[@role='menuitem'][normalize-space(.)='Save this view…']",
        ))
        .await
        .unwrap();
    save.click().await.unwrap();
    let name = h.find("#view-name").await;
    name.send_keys("Active orders, Z to A").await.unwrap();
    no_axe_violations(&h, "the save dialog").await;
    h.button("Save view").await.click().await.unwrap();
    h.toast("Saved the view").await;
    let (_, views) = h.api("GET", "/api/v1/views", None).await;
    assert_eq!(views["items"][0]["name"], "Active orders, Z to A");
    assert_eq!(
        views["items"][0]["query"],
        "group=1&q=orders&status=active&sort=-name"
    );

    // Elsewhere, the menu brings the view back: keyboard only.
    h.open("/?group=2").await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(ROW_IDS, "group 2", |now| !now.is_empty())
        .await;
    h.watch_errors().await;
    h.eval("document.querySelector('[data-views-menu] button').focus() || true")
        .await;
    h.press(&Key::Down.to_string()).await;
    h.wait_for_texts("#views-menu [role=menuitem]", "the saved view", |t| {
        t.first().is_some_and(|x| x == "Active orders, Z to A")
    })
    .await;
    h.wait_until(
        "focus on the first item",
        "document.activeElement && document.activeElement.getAttribute('role') === 'menuitem'",
    )
    .await;
    h.screenshot("views-menu-1280x800").await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_location("the view's URL", |l| l == view).await;
    h.wait_for_texts(ROW_IDS, "the view's rows", |now| now == expected.as_slice())
        .await;
    assert_eq!(
        h.eval("document.querySelector('#service-search').value")
            .await,
        Value::String("orders".into())
    );
    let focused = h.focused().await;
    assert!(
        focused.contains("Views"),
        "focus back on the menu button: {focused}"
    );

    // The same name again is refused, next to the field.
    h.button("Views ▾").await.click().await.unwrap();
    h.browser
        .find(fantoccini::Locator::XPath(
            "//li[@role='menuitem'][normalize-space(.)='Save this view…']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.find("#view-name")
        .await
        .send_keys("Active orders, Z to A")
        .await
        .unwrap();
    h.button("Save view").await.click().await.unwrap();
    h.wait_for_texts("#view-name-error", "the refusal", |t| {
        t.iter().any(|x| x.contains("already have a view"))
    })
    .await;
    h.button("Cancel").await.click().await.unwrap();

    // Removed through the menu.
    h.button("Views ▾").await.click().await.unwrap();
    h.browser
        .find(fantoccini::Locator::XPath(
            "//li[@role='menuitem'][normalize-space(.)='Remove a saved view…']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.find("button[data-remove-view]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until(
        "the view gone",
        "!document.querySelector('button[data-remove-view]')",
    )
    .await;
    h.wait_until(
        "focus on the dialog's Close button",
        "document.activeElement && document.activeElement.hasAttribute('data-close-views')",
    )
    .await;
    let (_, views) = h.api("GET", "/api/v1/views", None).await;
    assert_eq!(views["items"], serde_json::json!([]));
    h.button("Close").await.click().await.unwrap();
    h.assert_no_page_errors("saved views").await;
    h.stop().await;
}
