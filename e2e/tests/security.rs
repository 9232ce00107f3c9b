//! The app runs under the server's strict Content-Security-Policy without a single violation.

use fantoccini::Locator;
use services_e2e::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn the_app_works_under_the_strict_csp_with_no_violations() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    h.wait_for_texts("#services-panel span.id", "rows", |ids| !ids.is_empty())
        .await;
    h.find("button[aria-controls=filter-panel]")
        .await
        .click()
        .await
        .unwrap();
    h.find("#services-panel tbody tr button[aria-haspopup=menu]")
        .await
        .click()
        .await
        .unwrap();
    h.browser
        .find(Locator::XPath(
            "//*[@role='menuitem'][normalize-space(.)='Deactivate']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.find("[role=dialog]").await;
    h.open("/services/2001?tab=summary").await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts("main h1", "the service page", |t| !t.is_empty())
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let found = h.csp_reports().await;
    assert!(found.is_empty(), "CSP violations: {found:#?}");

    // The check can fail: an inline script is blocked and reported.
    h.eval("(() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s); return true; })()").await;
    assert_eq!(
        h.eval("window.injected === undefined").await,
        true,
        "the inline script did not run"
    );
    let mut found = Vec::new();
    for _ in 0..50 {
        found = h.csp_reports().await;
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!found.is_empty(), "the violation was reported");
    h.stop().await;
}
