//! The list page against the real server: search, filters, sort, pages, URL state, layouts,
//! the row click, and axe-core audits with screenshots.

use fantoccini::key::Key;
use fantoccini::Locator;
use services_e2e::Harness;
use std::time::Duration;

const ROW_IDS: &str = "#services-panel span.id";
const STATUS: &str = "#services-panel p.count";

/// Ids the API lists for group 1 with these list parameters.
async fn api_ids(h: &Harness, params: &str) -> Vec<String> {
    h.service_ids(1, params).await
}

async fn ready(h: &Harness, path: &str) -> Vec<String> {
    h.open_signed_in(path).await;
    h.wait_for_texts(ROW_IDS, "the first rows", |ids| !ids.is_empty())
        .await
}

async fn click_label(h: &Harness, text: &str) {
    let label = h
        .browser
        .find(Locator::XPath(&format!(
            "//div[@id='filter-panel']//label[starts-with(normalize-space(.), '{text}')]"
        )))
        .await
        .unwrap_or_else(|e| panic!("no filter {text}: {e}"));
    label.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn search_narrows_as_you_type_and_escape_clears() {
    let h = Harness::start().await;
    let all = ready(&h, "/").await;
    assert_eq!(all.len(), 50, "page 1 of 64");
    let search = h.find("input[type=search]").await;
    search.send_keys("SWEEP").await.unwrap();
    let expected = api_ids(&h, "q=sweep").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "sweepers", |ids| ids == expected.as_slice())
        .await;
    assert!(!ids.is_empty());
    let status = h.texts(STATUS).await;
    assert_eq!(status, vec![format!("{} of 64 services", expected.len())]);
    h.wait_for_location("the search in the URL", |l| l.contains("q=SWEEP"))
        .await;
    assert!(
        !h.texts("tbody mark").await.is_empty(),
        "matches are highlighted"
    );

    search.send_keys(&Key::Escape.to_string()).await.unwrap();
    h.wait_for_texts(ROW_IDS, "all rows again", |ids| ids.len() == 50)
        .await;
    h.wait_for_location("no search in the URL", |l| l == "/?group=1")
        .await;

    // `/` focuses the search from anywhere; the id matches as text.
    h.find("h1").await.click().await.unwrap();
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys("201")
        .await
        .unwrap();
    let expected = api_ids(&h, "q=201").await;
    h.wait_for_texts(ROW_IDS, "ids containing 201", |ids| {
        ids == expected.as_slice()
    })
    .await;
    h.stop().await;
}

/// The result count is announced once typing pauses (`announce::SETTLE`, 600 ms): a key that
/// leaves the count as it was starts the wait again too, so the announcement never comes while
/// keys still arrive.
#[tokio::test(flavor = "multi_thread")]
async fn the_count_is_announced_once_typing_pauses_even_after_keys_that_keep_it() {
    let h = Harness::start().await;
    ready(&h, "/").await;
    // Keys and announcements are timed in the page, so a slow machine cannot blur which key
    // came last before the count was said.
    h.eval(
        r#"(() => {
            window.__keys = [];
            window.__said = [];
            document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
            const announcer = document.getElementById("pw-announcer");
            new MutationObserver(() => window.__said.push([performance.now(), announcer.textContent]))
                .observe(announcer, { childList: true, subtree: true, characterData: true });
            return true;
        })()"#,
    )
    .await;
    let search = h.find("input[type=search]").await;
    // "sweep", then spaces that leave the count as it is, each within the wait.
    search.send_keys("sweep").await.unwrap();
    for _ in 0..8 {
        search.send_keys(" ").await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let count = h
        .wait_for_texts(STATUS, "the narrowed count", |t| {
            t.len() == 1 && t[0].contains(" of 64 ")
        })
        .await[0]
        .clone();
    h.wait_for_texts("#pw-announcer", "the count, once typing pauses", |t| {
        t.concat().contains(&count)
    })
    .await;
    let keys: Vec<f64> = serde_json::from_value(h.eval("window.__keys").await).unwrap();
    let said: Vec<(f64, String)> = serde_json::from_value(h.eval("window.__said").await).unwrap();
    assert!(keys.len() >= 13, "the page saw {} keys", keys.len());
    let mut announced = 0;
    for (at, _) in said.iter().filter(|(_, text)| text.contains(&count)) {
        let last_key = keys
            .iter()
            .copied()
            .filter(|k| k <= at)
            .fold(f64::MIN, f64::max);
        assert!(
            at - last_key >= 590.0,
            "the count was said {:.0} ms after a key (keys at {keys:?}, said {said:?})",
            at - last_key
        );
        announced += 1;
    }
    assert!(announced >= 1, "the count was never said: {said:?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_narrow_with_chips_and_counts() {
    let h = Harness::start().await;
    ready(&h, "/").await;
    let toggle = h.find("button[aria-controls=filter-panel]").await;
    toggle.click().await.unwrap();
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    click_label(&h, "Inactive").await;
    let expected = api_ids(&h, "status=inactive").await;
    h.wait_for_texts(ROW_IDS, "inactive services", |ids| {
        ids == expected.as_slice()
    })
    .await;
    assert!(h.location().await.contains("status=inactive"));
    assert_eq!(h.texts("ul.chips button").await, vec!["Status: Inactive ×"]);
    assert_eq!(toggle.text().await.unwrap(), "Filters (1 active)");

    click_label(&h, "Shopify").await;
    let expected = api_ids(&h, "status=inactive&system=Shopify").await;
    h.wait_for_texts(ROW_IDS, "inactive Shopify services", |ids| {
        ids == expected.as_slice()
    })
    .await;
    let labels: Vec<String> = h
        .texts("#filter-panel label")
        .await
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let inactive = labels.iter().find(|l| l.starts_with("Inactive")).unwrap();
    assert_eq!(
        inactive,
        &format!("Inactive ({})", expected.len()),
        "counts follow the other filters"
    );

    h.find("ul.chips button").await.click().await.unwrap();
    let expected = api_ids(&h, "system=Shopify").await;
    h.wait_for_texts(ROW_IDS, "Shopify services", |ids| {
        ids == expected.as_slice()
    })
    .await;
    h.browser
        .find(Locator::XPath("//button[normalize-space(.)='Clear all']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "everything", |ids| ids.len() == 50)
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sortable_headers_sort_both_ways() {
    let h = Harness::start().await;
    ready(&h, "/").await;
    let name = h.find("th:nth-child(6) button").await;
    name.click().await.unwrap();
    let expected = api_ids(&h, "sort=name&limit=50").await;
    h.wait_for_texts(ROW_IDS, "by name", |ids| ids == expected.as_slice())
        .await;
    assert_eq!(
        h.find("th:nth-child(6)")
            .await
            .attr("aria-sort")
            .await
            .unwrap()
            .as_deref(),
        Some("ascending")
    );
    assert_eq!(
        h.find("th:nth-child(3)")
            .await
            .attr("aria-sort")
            .await
            .unwrap(),
        None
    );
    name.click().await.unwrap();
    let expected = api_ids(&h, "sort=-name&limit=50").await;
    h.wait_for_texts(ROW_IDS, "by name, descending", |ids| {
        ids == expected.as_slice()
    })
    .await;
    assert_eq!(
        h.find("th:nth-child(6)")
            .await
            .attr("aria-sort")
            .await
            .unwrap()
            .as_deref(),
        Some("descending")
    );
    assert!(h.location().await.contains("sort=-name"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_and_page_sizes() {
    let h = Harness::start().await;
    ready(&h, "/").await;
    let all = api_ids(&h, "").await;
    h.browser
        .find(Locator::XPath("//button[normalize-space(.)='Next']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "page 2", |ids| ids == &all[50..])
        .await;
    assert!(h.location().await.contains("page=2"));
    assert_eq!(
        h.find("button[aria-current=page]")
            .await
            .text()
            .await
            .unwrap(),
        "2"
    );

    let select = h.find("nav[aria-label=Pages] select").await;
    select.select_by_value("25").await.unwrap();
    h.wait_for_texts(ROW_IDS, "25 rows of page 1", |ids| ids == &all[..25])
        .await;
    let location = h.location().await;
    assert_eq!(
        location, "/?group=1&per_page=25",
        "a new page size starts at page 1"
    );
    h.browser
        .find(Locator::XPath("//button[@aria-label='Page 3']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "page 3", |ids| ids == &all[50..])
        .await;

    // A new search goes back to page 1.
    h.find("input[type=search]")
        .await
        .send_keys("a")
        .await
        .unwrap();
    h.wait_for_texts("button[aria-current=page]", "page 1", |p| p == ["1"])
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_reproduces_the_view_and_back_forward_step_through_it() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=1&q=orders&status=active&sort=-name")
        .await;
    let expected = api_ids(&h, "q=orders&status=active&sort=-name").await;
    h.wait_for_texts(ROW_IDS, "the linked view", |ids| ids == expected.as_slice())
        .await;
    assert_eq!(
        h.find("input[type=search]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("orders")
    );
    assert_eq!(h.texts("ul.chips button").await, vec!["Status: Active ×"]);
    assert_eq!(
        h.find("th:nth-child(6)")
            .await
            .attr("aria-sort")
            .await
            .unwrap()
            .as_deref(),
        Some("descending")
    );

    // Change the sort, then step back and forward through history.
    h.find("th:nth-child(3) button")
        .await
        .click()
        .await
        .unwrap();
    let by_id = api_ids(&h, "q=orders&status=active").await;
    h.wait_for_texts(ROW_IDS, "sorted by id", |ids| ids == by_id.as_slice())
        .await;
    h.browser.back().await.unwrap();
    h.wait_for_texts(ROW_IDS, "Back: by name again", |ids| {
        ids == expected.as_slice()
    })
    .await;
    assert!(h.location().await.contains("sort=-name"));
    h.browser.forward().await.unwrap();
    h.wait_for_texts(ROW_IDS, "Forward: by id again", |ids| {
        ids == by_id.as_slice()
    })
    .await;

    // A reload keeps the view (after signing in again: the token lives only in memory).
    h.browser.refresh().await.unwrap();
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts(ROW_IDS, "the same view after a reload", |ids| {
        ids == by_id.as_slice()
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_row_click_opens_the_service_and_back_restores_the_list_view() {
    let h = Harness::start().await;
    h.open_signed_in("/?group=2&q=to&page=1&sort=name").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "rows", |ids| !ids.is_empty())
        .await;
    let name = h.texts("tbody tr a.name").await[0].clone();
    h.find("tbody tr td:nth-child(7)")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the service page", |t| t == [name.clone()])
        .await;
    assert_eq!(h.location().await, format!("/services/{}", ids[0]));
    h.browser
        .find(Locator::LinkText("← Back to services"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for_texts(ROW_IDS, "the same list", |now| now == ids.as_slice())
        .await;
    assert_eq!(h.location().await, "/?group=2&q=to&sort=name");

    // View logs from the actions menu opens the service's summary.
    let menu_button = h.find("tbody tr button[aria-haspopup=menu]").await;
    menu_button
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    h.find("[role=menu]").await;
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    h.wait_for_texts("main h1", "the service page", |t| t == [name.clone()])
        .await;
    assert_eq!(
        h.location().await,
        format!("/services/{}?tab=summary", ids[0])
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_smallest_phones_do_not_scroll_sideways() {
    let h = Harness::start_with_window(320, 640).await;
    ready(&h, "/").await;
    assert_eq!(
        h.texts("#services-panel li.card h3").await.len(),
        50,
        "the cards are on the page"
    );
    // Measured against the device width: an overflowing page widens `innerWidth` itself.
    let width = h.eval("document.documentElement.scrollWidth").await;
    assert_eq!(width, 320, "no horizontal scrolling at 320 px");
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.find("#filter-panel[role=dialog]").await;
    let width = h.eval("document.documentElement.scrollWidth").await;
    assert_eq!(width, 320, "nor with the filter sheet open");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn phones_get_cards_without_horizontal_scrolling() {
    let h = Harness::start_with_window(375, 812).await;
    ready(&h, "/").await;
    assert!(
        h.browser
            .find(Locator::Css("#services-panel table"))
            .await
            .is_err(),
        "no table below 900 px"
    );
    let cards = h.texts("#services-panel li.card h3").await;
    assert_eq!(cards.len(), 50);
    let fits = h
        .eval("document.documentElement.scrollWidth <= window.innerWidth")
        .await;
    assert_eq!(fits, true, "the page does not scroll sideways at 375 px");
    // The same controls as the table: the menu, the copy button, the alerts link, a sort choice.
    assert_eq!(
        h.texts("li.card button[aria-haspopup=menu]").await.len(),
        50
    );
    h.find("select").await.select_by_value("3").await.unwrap();
    let expected = api_ids(&h, "sort=-name&limit=50").await;
    h.wait_for_texts(ROW_IDS, "cards by name, descending", |ids| {
        ids == expected.as_slice()
    })
    .await;
    h.stop().await;
}

/// A card's controls by keyboard at 375 px (they are HTML in the card, handled by the card
/// list): the menu button opens with ↓ at the first item and ↑ at the last, Esc gives focus
/// back, Enter chooses; Space presses the star and ticks the checkbox, focus staying on each;
/// Esc hides a schedule's cron tooltip. Nothing goes wrong in the page.
#[tokio::test(flavor = "multi_thread")]
async fn a_cards_controls_work_by_keyboard_at_375() {
    let h = Harness::start_with_window(375, 812).await;
    ready(&h, "/?group=1").await;
    h.watch_errors().await;
    let card = "#services-panel li.card[data-row-id]";
    let id = h
        .eval(&format!(
            "document.querySelector('{card}').getAttribute('data-row-id')"
        ))
        .await;
    let id = id.as_str().unwrap().to_string();
    let part = |css: &str| format!("{card} {css}");
    let button = h.find(&part("[data-actions-for] > button")).await;
    let name = button.attr("aria-label").await.unwrap().unwrap();
    assert!(name.starts_with("Actions for ") && name.ends_with(&format!("(ID {id})")));
    h.eval(&format!(
        "document.querySelector('{}').focus() || true",
        part("[data-actions-for] > button")
    ))
    .await;
    h.press(&Key::Down.to_string()).await;
    h.wait_until(
        "the menu open at its first item",
        "document.activeElement.textContent === 'View logs'",
    )
    .await;
    assert_eq!(
        button.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    h.press(&Key::Escape.to_string()).await;
    h.wait_until(
        "focus back on the menu button",
        "document.activeElement.matches('[data-actions-for] > button') && !document.querySelector('[role=menu]')",
    )
    .await;
    h.press(&Key::Up.to_string()).await;
    h.wait_until(
        "the menu open at its last item",
        "document.activeElement.textContent === 'Remove…'",
    )
    .await;
    h.press(&Key::Home.to_string()).await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_location("View logs opens the service's runs", |l| {
        l.starts_with(&format!("/services/{id}"))
    })
    .await;
    h.browser.back().await.unwrap();
    h.wait_for_texts(ROW_IDS, "the cards again", |ids| !ids.is_empty())
        .await;

    // The star and the checkbox: Space presses them, focus stays on the same element.
    for (css, attribute, after) in [
        ("button.star", "aria-pressed", "true"),
        ("input[data-select]", "checked", "true"),
    ] {
        h.eval(&format!(
            "document.querySelector('{}').focus() || true",
            part(css)
        ))
        .await;
        h.mark_focused().await;
        h.press(" ").await;
        h.wait_until(
            &format!("{css} pressed"),
            &format!(
                "(() => {{ const e = document.querySelector('{}'); return e.getAttribute('{attribute}') === '{after}' || e.{attribute} === true; }})()",
                part(css)
            ),
        )
        .await;
        assert!(h.focus_kept().await, "focus stays on {css}");
    }

    // Esc hides the focused schedule's cron tooltip.
    h.eval(&format!(
        "document.querySelector('{}').focus() || true",
        part("span.schedule")
    ))
    .await;
    h.press(&Key::Escape.to_string()).await;
    h.wait_until(
        "the tooltip hidden",
        &format!(
            "document.querySelector('{}').classList.contains('dismissed')",
            part("span.schedule")
        ),
    )
    .await;
    h.assert_no_page_errors("a card's controls by keyboard")
        .await;
    h.stop().await;
}

/// axe-core finds no WCAG 2.1 A/AA violations in the list, with the filters open and with a
/// menu open; the screenshots of each state go to target/screenshots/.
async fn audit(width: u32, height: u32, size: &str) {
    let h = Harness::start_with_window(width, height).await;
    ready(&h, "/").await;
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{size} list: {violations:#?}");
    h.screenshot(&format!("list-{size}")).await;

    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.find("#filter-panel input[type=checkbox]").await;
    let violations = h.axe_violations().await;
    assert!(
        violations.is_empty(),
        "{size} filters open: {violations:#?}"
    );
    h.screenshot(&format!("filters-{size}")).await;
    h.browser
        .find(Locator::XPath(
            "//div[@id='filter-panel']//button[normalize-space(.)='Done']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    h.find("#services-panel button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    h.find("[role=menu]").await;
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{size} menu open: {violations:#?}");
    h.screenshot(&format!("menu-{size}")).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accessibility_audit_at_1280x800() {
    audit(1280, 800, "1280x800").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accessibility_audit_at_375x812() {
    audit(375, 812, "375x812").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_load_shows_the_error_and_retry_and_keeps_the_rows() {
    let h = Harness::start().await;
    let first = ready(&h, "/").await;
    h.find("#group-tab-2").await.click().await.unwrap();
    h.wait_for_texts(ROW_IDS, "group 2", |ids| {
        ids.first().is_some_and(|id| !first.contains(id))
    })
    .await;
    // The next load of group 1 fails.
    h.browser
        .execute_async(
            "const done = arguments[0];
             fetch('/api/test/faults', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
               body: JSON.stringify({ rules: [{ path: '/api/v1/company-groups/1/services/lean', status: 503, times: 1 }] }) })
               .then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    h.find("#group-tab-1").await.click().await.unwrap();
    let alert = h
        .wait_for_texts("#services-panel [role=alert]", "the error", |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        alert[0].contains("Could not load services.") && alert[0].contains("503"),
        "{alert:?}"
    );
    assert_eq!(
        h.texts(ROW_IDS).await,
        first,
        "the rows already loaded stay"
    );
    h.find("#services-panel [role=alert] button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("#services-panel [role=alert]", "the error to go", |t| {
        t.is_empty()
    })
    .await;
    assert_eq!(h.texts(ROW_IDS).await, first);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accessibility_audit_in_the_dark_theme() {
    let h = Harness::start_dark(1280, 800).await;
    ready(&h, "/").await;
    assert_eq!(
        h.eval("matchMedia('(prefers-color-scheme: dark)').matches")
            .await,
        true,
        "the browser prefers dark"
    );
    let background = h
        .eval("getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(background, "rgb(17, 20, 24)", "the dark tokens apply");
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "dark list: {violations:#?}");
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.find("#filter-panel input[type=checkbox]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("ul.chips button", "a chip", |c| !c.is_empty())
        .await;
    let violations = h.axe_violations().await;
    assert!(
        violations.is_empty(),
        "dark filters and chips: {violations:#?}"
    );
    h.screenshot("list-dark-1280x800").await;
    h.stop().await;
}

/// A row's star, checkbox and menu button (table row or card) are written as HTML with their
/// controls' scoped classes: the stylesheet must carry those classes' rules (stylers only collects
/// `let`-bound `style!` blocks; a lost block left the controls unstyled and nothing else failed).
#[tokio::test(flavor = "multi_thread")]
async fn a_table_rows_star_checkbox_and_menu_button_are_styled() {
    let h = Harness::start().await;
    ready(&h, "/?group=1").await;
    controls_are_styled(&h, "#services-panel tbody tr[data-row-id]").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cards_star_checkbox_and_menu_button_are_styled_at_375() {
    let h = Harness::start_with_window(375, 812).await;
    ready(&h, "/?group=1").await;
    controls_are_styled(&h, "#services-panel li.card[data-row-id]").await;
    h.stop().await;
}

/// The first row's star, checkbox and menu button (HTML in the row) carry their own scoped
/// styles: stylers' build puts only `let x = style! {…}` blocks into the stylesheet.
async fn controls_are_styled(h: &Harness, row: &str) {
    let styles = h
        .browser
        .execute(
            "const row = document.querySelector(arguments[0]);
             const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
             const css = (sel) => { const el = row.querySelector(sel); return el && getComputedStyle(el); };
             const star = css('button.star'), menu = css('div[data-actions-for] > button'),
                   check = css('input[data-select]');
             return JSON.stringify({
               star: star && [parseFloat(star.height) / rem, star.backgroundColor],
               menu: menu && [parseFloat(menu.height) / rem, menu.backgroundColor],
               check: check && check.cursor,
             });",
            vec![serde_json::json!(row)],
        )
        .await
        .unwrap();
    let styles: serde_json::Value = serde_json::from_str(styles.as_str().unwrap()).unwrap();
    assert_eq!(
        styles["star"],
        serde_json::json!([1.75, "rgba(0, 0, 0, 0)"]),
        "the star's own style: {styles}"
    );
    assert_eq!(
        styles["menu"],
        serde_json::json!([2.25, "rgba(0, 0, 0, 0)"]),
        "the menu button's own style: {styles}"
    );
    assert_eq!(
        styles["check"], "pointer",
        "the checkbox's own style: {styles}"
    );
}
