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

/// The real build, as the browser gets it: the hashed files precompressed (brotli) and cached
/// for a year, the page revalidated with an ETag, and the wasm still loads and runs.
#[tokio::test(flavor = "multi_thread")]
async fn the_browser_gets_the_build_compressed_and_cacheable() {
    let h = Harness::start().await;
    h.open_signed_in("/").await;
    h.wait_for_texts("#services-panel span.id", "rows", |ids| !ids.is_empty())
        .await;
    let wasm = h
        .eval(
            "performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm'))
               .map(e => [e.name, e.encodedBodySize, e.decodedBodySize])[0]",
        )
        .await;
    let (url, encoded, decoded) = (
        wasm[0].as_str().expect("the wasm was loaded").to_string(),
        wasm[1].as_u64().unwrap(),
        wasm[2].as_u64().unwrap(),
    );
    assert!(
        encoded * 2 < decoded,
        "the wasm came compressed: {encoded} bytes for {decoded}"
    );
    let answer = h
        .browser
        .execute_async(
            "const [url, done] = arguments;
             fetch(url, { cache: 'no-store' }).then(r => done([r.status,
               r.headers.get('content-encoding'), r.headers.get('cache-control'),
               r.headers.get('content-type')]));",
            vec![serde_json::json!(url)],
        )
        .await
        .unwrap();
    assert_eq!(answer[0], 200);
    assert_eq!(answer[1], "br", "{answer}");
    assert_eq!(answer[2], "public, max-age=31536000, immutable");
    assert_eq!(answer[3], "application/wasm");
    for page in ["/", &format!("{}embed.js", h.public_url())] {
        let answer = h
            .browser
            .execute_async(
                "const [url, done] = arguments;
                 fetch(url, { cache: 'no-store' }).then(r => {
                   const etag = r.headers.get('etag');
                   return fetch(url, { cache: 'no-store', headers: { 'If-None-Match': etag } })
                     .then(again => done([r.status, r.headers.get('cache-control'), etag, again.status]));
                 });",
                vec![serde_json::json!(page)],
            )
            .await
            .unwrap();
        assert_eq!(answer[0], 200, "{page}");
        assert_eq!(answer[1], "no-cache", "{page}");
        assert!(
            answer[2].as_str().unwrap().starts_with("W/\""),
            "{page}: {answer}"
        );
        assert_eq!(answer[3], 304, "{page}: revalidated");
    }
    h.stop().await;
}
