//! The list's keyboard shortcuts against the real server: `?` opens a modal overlay that lists
//! them and Esc gives focus back; `j`/`k` move between rows, `Enter` opens the focused row's
//! service, `.` its actions menu, `x` selects and unselects the focused row (roles that may
//! change services; for the others it says selection is not available); nothing fires while
//! typing in the search; axe finds nothing with the overlay open.

use fantoccini::key::Key;
use services_e2e::Harness;

const ROW_IDS: &str = "#services-panel span.id";

async fn ready(h: &Harness) -> Vec<String> {
    h.open_signed_in("/?group=1").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "the first rows", |ids| ids.len() > 3)
        .await;
    h.watch_errors().await;
    ids
}

/// The `data-row-id` of the row holding focus, if any.
async fn focused_row(h: &Harness) -> Option<String> {
    h.eval("(() => { const r = document.activeElement && document.activeElement.closest('[data-row-id]'); return r ? r.getAttribute('data-row-id') : null; })()")
        .await
        .as_str()
        .map(str::to_string)
}

/// Focus on the page itself (the list's heading), where single keys are shortcuts.
async fn focus_heading(h: &Harness) {
    h.eval("document.querySelector('main h1').focus() || true")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn question_mark_opens_the_overlay_listing_the_keys_and_escape_returns_focus() {
    let h = Harness::start().await;
    ready(&h).await;
    focus_heading(&h).await;
    h.mark_focused().await;
    h.press("?").await;
    h.find("[role=dialog][aria-modal=true]").await;
    let keys = h.texts("[role=dialog] kbd").await;
    assert_eq!(keys, ["/", "j", "k", "Enter", ".", "x", "?"]);
    let title = h.texts("[role=dialog] h2").await;
    assert_eq!(title, ["Keyboard shortcuts"]);
    // Focus moved into the dialog.
    assert_eq!(
        h.eval("!!document.activeElement.closest('[role=dialog]')")
            .await,
        serde_json::Value::Bool(true),
        "focus is on {}",
        h.focused().await
    );
    // j does nothing behind the modal.
    h.press("j").await;
    assert_eq!(focused_row(&h).await, None);
    h.press(&Key::Escape.to_string()).await;
    h.wait_until(
        "the overlay to close",
        "!document.querySelector('[role=dialog]')",
    )
    .await;
    assert!(h.focus_kept().await, "focus went to {}", h.focused().await);

    // The visible button opens it too, and Close returns focus to the button.
    h.button("Shortcuts").await.click().await.unwrap();
    h.find("[role=dialog]").await;
    h.button("Close").await.click().await.unwrap();
    h.wait_until("closed", "!document.querySelector('[role=dialog]')")
        .await;
    assert_eq!(h.focused().await, "button \"Shortcuts\"");
    h.assert_no_page_errors("the overlay").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn j_k_enter_and_dot_act_on_rows_and_nothing_fires_while_typing() {
    let h = Harness::start().await;
    let ids = ready(&h).await;
    focus_heading(&h).await;
    h.press("j").await;
    assert_eq!(focused_row(&h).await.as_deref(), Some(ids[0].as_str()));
    assert!(h.focused().await.starts_with("a "), "{}", h.focused().await);
    h.press("j").await;
    h.press("j").await;
    assert_eq!(focused_row(&h).await.as_deref(), Some(ids[2].as_str()));
    h.press("k").await;
    assert_eq!(focused_row(&h).await.as_deref(), Some(ids[1].as_str()));

    // `.` opens the focused row's actions menu; Esc closes it back onto its button.
    h.press(".").await;
    h.find(&format!("#actions-menu-{}", ids[1])).await;
    h.press(&Key::Escape.to_string()).await;
    h.wait_until(
        "the menu to close",
        "!document.querySelector('[role=menu]')",
    )
    .await;

    // `x` selects the focused row (its checkbox, the bulk bar) and `x` again unselects it.
    let checked = format!(
        "document.querySelector('input[data-select=\"{}\"]').checked",
        ids[1]
    );
    h.press("x").await;
    h.wait_until("x to select the focused row", &checked).await;
    h.wait_until(
        "the bulk bar",
        "!!document.querySelector('div[data-bulk-bar]')",
    )
    .await;
    assert_eq!(focused_row(&h).await.as_deref(), Some(ids[1].as_str()));
    h.press("x").await;
    h.wait_until("x again to unselect it", &format!("!{checked}"))
        .await;

    // Typing in the search: j, k, x, . and ? are letters, not shortcuts.
    h.find("#service-search").await.click().await.unwrap();
    h.press("jk.x?").await;
    let typed = h
        .eval("document.querySelector('#service-search').value")
        .await;
    assert_eq!(typed, "jk.x?");
    assert_eq!(h.focused().await.split(' ').next(), Some("input"));
    assert!(h.texts("[role=dialog]").await.is_empty());
    // Esc clears the search.
    h.press(&Key::Escape.to_string()).await;
    h.wait_for_texts(ROW_IDS, "all rows again", |t| t.len() == ids.len())
        .await;

    // Enter on a row opens its service.
    focus_heading(&h).await;
    h.press("j").await;
    h.press("j").await;
    h.press(&Key::Enter.to_string()).await;
    h.wait_for_location("the service page", |l| l == format!("/services/{}", ids[1]))
        .await;
    h.assert_no_page_errors("the shortcuts").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn x_tells_read_only_roles_that_selection_is_not_available() {
    let h = Harness::start().await;
    h.open("/?group=1").await;
    h.sign_in_as("Chloe Patel").await;
    let ids = h
        .wait_for_texts(ROW_IDS, "the first rows", |ids| ids.len() > 3)
        .await;
    h.watch_errors().await;
    focus_heading(&h).await;
    h.press("j").await;
    assert_eq!(focused_row(&h).await.as_deref(), Some(ids[0].as_str()));
    h.press("x").await;
    h.wait_for_texts("#pw-announcer", "the selection note", |t| {
        t.iter().any(|t| t.contains("Selection is not available"))
    })
    .await;
    assert_eq!(
        h.eval("document.querySelectorAll('input[data-select], div[data-bulk-bar]').length")
            .await,
        serde_json::Value::from(0)
    );
    h.assert_no_page_errors("x for a read-only role").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_axe_violations_with_the_shortcuts_overlay_open() {
    for (width, height) in [(1280, 800), (375, 812)] {
        let h = Harness::start_with_window(width, height).await;
        ready(&h).await;
        focus_heading(&h).await;
        h.press("?").await;
        h.find("[role=dialog] kbd").await;
        let violations = h.axe_violations().await;
        assert!(violations.is_empty(), "{width}×{height}: {violations:#?}");
        h.screenshot(&format!("shortcuts-{width}x{height}")).await;
        h.stop().await;
    }
}
