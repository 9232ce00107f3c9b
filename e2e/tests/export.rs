//! "Export CSV" against the real server: the file the browser saves holds every service of the
//! filtered, sorted list (all pages), as the API lists them for the same query; the strict CSP
//! allows it; a failed export says so and the next try works.

use serde_json::json;
use services_e2e::Harness;

/// Records what `<a download>` saves: its name, its Blob URL and the text of the Blob behind it
/// (read from the Blob itself: the page's CSP rightly allows no `fetch` of `blob:` URLs).
const CAPTURE: &str = "(() => {
    window.__pwDownloads = [];
    const blobs = new Map();
    const create = URL.createObjectURL;
    URL.createObjectURL = function (blob) {
        const url = create.call(URL, blob);
        blobs.set(url, blob);
        return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
        if (this.download) {
            const saved = { name: this.download, href: this.href, text: null };
            window.__pwDownloads.push(saved);
            const blob = blobs.get(this.href);
            if (blob) { blob.text().then(t => { saved.text = t; }); }
        }
        return click.call(this);
    };
    return true;
})()";

/// Waits for the `n`th saved file (1-based) and returns it; fails with the page's error if the
/// export failed instead.
async fn saved_file(h: &Harness, n: usize) -> serde_json::Value {
    let i = n - 1;
    h.wait_until(
        "the file or an error",
        &format!(
            "(window.__pwDownloads.length > {i} && window.__pwDownloads[{i}].text !== null) || !!document.querySelector('#export-error')"
        ),
    )
    .await;
    let error = h.texts("#export-error").await;
    assert!(error.is_empty(), "the export failed: {error:?}");
    h.eval(&format!("window.__pwDownloads[{i}]")).await
}

fn csv_ids(text: &str) -> Vec<String> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exported_file_holds_the_filtered_sorted_list_on_every_page() {
    let h = Harness::start().await;
    // 25 a page: the filtered list spans more than one page.
    h.open_signed_in("/?group=1&status=active&sort=-name&per_page=25")
        .await;
    h.wait_for_texts("#services-panel span.id", "the first rows", |ids| {
        ids.len() == 25
    })
    .await;
    h.watch_errors().await;
    h.eval(CAPTURE).await;
    h.button("Export CSV").await.click().await.unwrap();
    let saved = saved_file(&h, 1).await;
    assert!(
        saved["href"].as_str().unwrap().starts_with("blob:"),
        "{saved}"
    );
    assert!(
        saved["name"].as_str().unwrap().ends_with("-services.csv"),
        "{saved}"
    );
    let text = saved["text"].as_str().unwrap();
    assert!(text.starts_with("ID,Name,Type,Status,"), "{text}");
    let exported = csv_ids(text);
    let listed = h
        .service_ids(1, "status=active&sort=-name&limit=1000")
        .await;
    assert!(
        listed.len() > 25,
        "more than a page matches: {}",
        listed.len()
    );
    assert_eq!(exported, listed);
    assert_eq!(
        h.button("Export CSV").await.text().await.unwrap(),
        "Export CSV"
    );
    assert!(
        h.csp_reports().await.is_empty(),
        "{:?}",
        h.csp_reports().await
    );

    // A search narrows it the same way.
    let search = h.find("#service-search").await;
    search.send_keys("orders").await.unwrap();
    h.wait_for_location("the search in the URL", |l| l.contains("q=orders"))
        .await;
    h.button("Export CSV").await.click().await.unwrap();
    let text = saved_file(&h, 2).await["text"].clone();
    let listed = h
        .service_ids(1, "q=orders&status=active&sort=-name&limit=1000")
        .await;
    assert_eq!(csv_ids(text.as_str().unwrap()), listed);

    // A failure says what happened and how to retry; the retry works.
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/company-groups/*/services/export.csv", "status": 503, "times": 1 }]))
        .await;
    h.button("Export CSV").await.click().await.unwrap();
    let alert = h
        .wait_for_texts("#export-error", "the error", |t| !t.is_empty())
        .await;
    assert!(alert[0].starts_with("Export failed"), "{alert:?}");
    assert!(alert[0].contains("Try again"), "{alert:?}");
    h.button("Export CSV").await.click().await.unwrap();
    saved_file(&h, 3).await;
    h.assert_no_page_errors("the export").await;
    h.stop().await;
}
