//! Serving the built SPA under its public URL, the example host page, and the embed config.

#[macro_use]
mod common;

use common::{Store, TestDb, TestServer};
use reqwest::StatusCode;
use services_server::security::inline_script_hashes;
use std::path::Path;

const INDEX: &str = "<!doctype html><title>SPA</title>\
    <script type=\"module\">import init from '/static/services-list/services-list-abc.js'; init();</script>";

/// A built SPA in `dir/dist`: index.html, a script, a stylesheet, and `build.json` naming
/// `public_url` when given.
fn write_dist(dir: &Path, public_url: Option<&str>) {
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("public")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("services-list-abc.js"), "export default () => 1;").unwrap();
    std::fs::write(dist.join("public/tokens.css"), ":root { --a: 1px; }").unwrap();
    if let Some(url) = public_url {
        std::fs::write(
            dist.join("build.json"),
            format!(r#"{{"public_url": "{url}"}}"#),
        )
        .unwrap();
    }
}

/// A server on a fresh database whose dist folder `prepare` filled in first.
async fn start(
    store: Store,
    prepare: impl FnOnce(&Path),
    change: impl FnOnce(&mut services_server::Config),
) -> TestServer {
    let db = TestDb::new(store).await;
    prepare(db.dir.path());
    TestServer::start_in(db, change).await
}

struct Page {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Page {
    fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }
}

async fn fetch(t: &TestServer, path: &str) -> Page {
    let response = t.client.get(t.url(path)).send().await.unwrap();
    Page {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

fn assert_security_headers(page: &Page, path: &str) {
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
    assert!(csp.contains("style-src 'self';"), "{path}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
    assert_eq!(page.headers["referrer-policy"], "same-origin", "{path}");
}

async fn the_spa_files_are_served_under_the_public_url_of_build_json(store: Store) {
    let t = start(
        store,
        |dir| write_dist(dir, Some("/static/services-list/")),
        |_| {},
    )
    .await;
    assert_eq!(t.server.public_url, "/static/services-list/");
    assert_eq!(
        services_server::spa::public_url(&t.db.dir.path().join("dist")),
        "/static/services-list/"
    );

    let script = fetch(&t, "/static/services-list/services-list-abc.js").await;
    assert_eq!(script.status, 200);
    assert!(
        script.content_type().contains("javascript"),
        "{}",
        script.content_type()
    );
    assert_eq!(script.body, "export default () => 1;");
    assert_security_headers(&script, "the script");

    let css = fetch(&t, "/static/services-list/public/tokens.css").await;
    assert_eq!(css.status, 200);
    assert!(
        css.content_type().starts_with("text/css"),
        "{}",
        css.content_type()
    );

    // The page's inline loader is still allowed by its hash.
    let index = fetch(&t, "/").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.body, INDEX);
    let csp = index.headers["content-security-policy"].to_str().unwrap();
    let hash = &inline_script_hashes(INDEX)[0];
    assert!(csp.contains(&format!("'{hash}'")), "{csp}");
    assert_security_headers(&index, "/");
    t.stop().await;
}

async fn a_missing_file_under_the_public_url_is_a_404_not_the_page(store: Store) {
    let t = start(
        store,
        |dir| write_dist(dir, Some("/static/services-list/")),
        |_| {},
    )
    .await;
    for path in [
        "/static/services-list/services-list-old.js",
        "/static/services-list/public/nothing.css",
        "/static/services-list/public/",
        "/static/services-list/..%2fdist%2findex.html",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            !page.body.contains("<title>SPA</title>"),
            "{path}: {}",
            page.body
        );
        assert_security_headers(&page, path);
    }
    t.stop().await;
}

async fn client_routes_answer_the_page_with_a_public_url(store: Store) {
    let t = start(
        store,
        |dir| write_dist(dir, Some("/static/services-list/")),
        |_| {},
    )
    .await;
    for path in [
        "/",
        "/services/2001",
        "/services/2001?tab=runs",
        "/?group=2",
        "/static",
        "/static/other-app/x.js",
        // The files are only under the public URL now.
        "/services-list-abc.js",
        // Without an example host, /dashboard is just another client route.
        "/dashboard/services",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.body, INDEX, "{path}");
        assert!(page.content_type().starts_with("text/html"), "{path}");
        assert_security_headers(&page, path);
    }
    // The API keeps its own JSON 404.
    let api = fetch(&t, "/api/v1/nothing-here").await;
    assert_eq!(api.status, 404);
    assert!(api.body.contains("not_found"), "{}", api.body);
    t.stop().await;
}

async fn without_build_json_the_spa_files_are_served_at_the_root(store: Store) {
    let t = start(store, |dir| write_dist(dir, None), |_| {}).await;
    assert_eq!(t.server.public_url, "/");
    let script = fetch(&t, "/services-list-abc.js").await;
    assert_eq!(script.status, 200);
    assert!(script.content_type().contains("javascript"));
    let css = fetch(&t, "/public/tokens.css").await;
    assert_eq!(css.status, 200);
    for path in [
        "/",
        "/services/2001",
        "/?group=2",
        "/static/services-list/services-list-abc.js",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.body, INDEX, "{path}");
    }
    t.stop().await;
}

async fn an_unusable_build_json_serves_the_files_at_the_root(store: Store) {
    let t = start(
        store,
        |dir| {
            write_dist(dir, None);
            std::fs::write(dir.join("dist/build.json"), "{\"public_url\": \"/api/\"").unwrap();
        },
        |_| {},
    )
    .await;
    assert_eq!(t.server.public_url, "/");
    assert_eq!(fetch(&t, "/services-list-abc.js").await.status, 200);
    t.stop().await;
}

async fn without_an_index_every_page_says_how_to_build_it_even_with_a_public_url(store: Store) {
    let t = start(
        store,
        |dir| {
            write_dist(dir, Some("/static/services-list/"));
            std::fs::remove_file(dir.join("dist/index.html")).unwrap();
        },
        |_| {},
    )
    .await;
    for path in [
        "/",
        "/services/2001",
        "/static/services-list/services-list-abc.js",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 503, "{path}");
        assert!(page.body.contains("make run"), "{path}");
    }
    t.stop().await;
}

const HOST_INDEX: &str = "<!doctype html><title>Dashboard</title>\
    <link rel=\"stylesheet\" href=\"/dashboard/assets/x.css\">\
    <script type=\"module\">import { mount } from '__PUBLIC_URL__mount.js'; mount('__PUBLIC_URL__');</script>";
const HOST_IFRAME: &str = "<!doctype html><title>Dashboard (iframe)</title>\
    <iframe src=\"__PUBLIC_URL__\"></iframe>";

/// The SPA under /static/services-list/ and an example host folder at `dir/host`.
fn write_dist_and_host(dir: &Path) {
    write_dist(dir, Some("/static/services-list/"));
    let host = dir.join("host");
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(host.join("index.html"), HOST_INDEX).unwrap();
    std::fs::write(host.join("iframe.html"), HOST_IFRAME).unwrap();
    std::fs::write(host.join("x.css"), "body { margin: 0; }").unwrap();
    std::fs::write(host.join("host.js"), "console.log('host');").unwrap();
}

async fn start_with_host(store: Store) -> TestServer {
    let db = TestDb::new(store).await;
    write_dist_and_host(db.dir.path());
    let host = db.dir.path().join("host");
    TestServer::start_in(db, move |c| c.example_host = Some(host)).await
}

async fn the_example_host_page_answers_its_deep_links_with_the_public_url_filled_in(store: Store) {
    let t = start_with_host(store).await;
    let expected = HOST_INDEX.replace("__PUBLIC_URL__", "/static/services-list/");
    for path in [
        "/dashboard",
        "/dashboard/",
        "/dashboard/services",
        "/dashboard/services/services/5",
        "/dashboard/services/services/5?tab=alerts",
        "/dashboard/settings/profile",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.body, expected, "{path}");
        assert!(!page.body.contains("__PUBLIC_URL__"));
        assert_eq!(page.content_type(), "text/html; charset=utf-8", "{path}");
        assert_security_headers(&page, path);
        // Its own inline script (as served) is allowed, and it may frame the app.
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        let hash = &inline_script_hashes(&expected)[0];
        assert!(csp.contains(&format!("'{hash}'")), "{csp}");
        assert!(csp.contains("frame-src 'self' http: https:;"), "{csp}");
        assert!(csp.contains("frame-ancestors 'self';"), "{csp}");
    }
    // The SPA's own pages keep the SPA's policy.
    let spa = fetch(&t, "/services/5").await;
    assert_eq!(spa.body, INDEX);
    let csp = spa.headers["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("frame-src"), "{csp}");
    t.stop().await;
}

async fn the_example_host_iframe_page_is_iframe_html(store: Store) {
    let t = start_with_host(store).await;
    let page = fetch(&t, "/dashboard/iframe").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body,
        "<!doctype html><title>Dashboard (iframe)</title>\
         <iframe src=\"/static/services-list/\"></iframe>"
    );
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    assert_security_headers(&page, "/dashboard/iframe");
    t.stop().await;
}

async fn the_example_host_assets_are_served_and_missing_ones_are_404s(store: Store) {
    let t = start_with_host(store).await;
    let css = fetch(&t, "/dashboard/assets/x.css").await;
    assert_eq!(css.status, 200);
    assert!(
        css.content_type().starts_with("text/css"),
        "{}",
        css.content_type()
    );
    assert_eq!(css.body, "body { margin: 0; }");
    assert_security_headers(&css, "x.css");
    let js = fetch(&t, "/dashboard/assets/host.js").await;
    assert_eq!(js.status, 200);
    assert!(js.content_type().contains("javascript"));
    for path in [
        "/dashboard/assets/missing.css",
        "/dashboard/assets/",
        "/dashboard/assets",
        "/dashboard/assets/..%2fdist%2findex.html",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("Not found"), "{path}: {}", page.body);
        assert_security_headers(&page, path);
    }
    t.stop().await;
}

async fn a_missing_example_host_folder_is_a_clear_404(store: Store) {
    let db = TestDb::new(store).await;
    write_dist(db.dir.path(), Some("/static/services-list/"));
    let missing = db.dir.path().join("no-such-host");
    let t = TestServer::start_in(db, move |c| c.example_host = Some(missing)).await;
    for path in [
        "/dashboard",
        "/dashboard/services/services/5",
        "/dashboard/iframe",
    ] {
        let page = fetch(&t, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.body.contains("no-such-host") && page.body.contains("cannot be read"),
            "{path}: {}",
            page.body
        );
    }
    let asset = fetch(&t, "/dashboard/assets/x.css").await;
    assert_eq!(asset.status, 404);
    assert!(asset.body.contains("example host folder"), "{}", asset.body);
    // The SPA itself is unaffected.
    assert_eq!(fetch(&t, "/services/5").await.body, INDEX);
    t.stop().await;
}

async fn the_embed_config_lists_the_parent_origins_without_a_token(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.frame_ancestors = "'self' https://dash.patchworks.co.uk http://localhost:1234 \
            https://*.patchworks.co.uk https://dash.example/path"
            .into()
    })
    .await;
    let admin = t.admin();
    for token in [None, Some("not-a-token"), Some(admin.as_str())] {
        let mut request = t.client.get(t.url("/api/v1/embed-config"));
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "token {token:?}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert!(response.headers().contains_key("content-security-policy"));
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "parent_origins": ["https://dash.patchworks.co.uk", "http://localhost:1234"]
            })
        );
    }
    t.stop().await;
}

async fn by_default_no_parent_may_hand_the_app_a_token(store: Store) {
    let t = TestServer::start(store).await;
    let reply = t
        .call(reqwest::Method::GET, "/api/v1/embed-config", None, None)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, serde_json::json!({"parent_origins": []}));
    // Only GET.
    t.call(reqwest::Method::POST, "/api/v1/embed-config", None, None)
        .await
        .assert_error(405, "method_not_allowed", "POST");
    t.stop().await;
}

const WASM: &[u8] =
    b"\0asm fake module bytes, repeated to be worth compressing; \0asm fake module bytes";

/// A build like trunk's with the post-build hook: hashed files listed as immutable in
/// build.json, each with its `.br` and `.gz` next to it; embed.js and index.html unhashed.
fn write_hashed_dist(dir: &Path) {
    use std::io::Write;
    write_dist(dir, None);
    let dist = dir.join("dist");
    std::fs::write(dist.join("app-1a2b3c_bg.wasm"), WASM).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(WASM).unwrap();
    std::fs::write(dist.join("app-1a2b3c_bg.wasm.gz"), gz.finish().unwrap()).unwrap();
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut &WASM[..], &mut br, &Default::default()).unwrap();
    std::fs::write(dist.join("app-1a2b3c_bg.wasm.br"), br).unwrap();
    std::fs::write(dist.join("embed.js"), "export const mountServicesList = 1;").unwrap();
    std::fs::write(
        dist.join("build.json"),
        r#"{"public_url": "/static/services-list/", "immutable": ["app-1a2b3c_bg.wasm", "services-list-abc.js"]}"#,
    )
    .unwrap();
}

async fn fetch_with(
    t: &TestServer,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = t.client.get(t.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

async fn hashed_files_are_immutable_and_sent_precompressed_to_clients_that_accept_it(store: Store) {
    use std::io::Read;
    let t = start(store, write_hashed_dist, |_| {}).await;
    let path = "/static/services-list/app-1a2b3c_bg.wasm";
    let (status, headers, body) = fetch_with(&t, path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["content-type"], "application/wasm");
    assert!(headers["vary"]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let mut decoded = Vec::new();
    brotli_decompressor::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, WASM);

    let (_, headers, body) = fetch_with(&t, path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, WASM);

    let (_, headers, body) = fetch_with(&t, path, &[("accept-encoding", "identity")]).await;
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(body, WASM);
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    t.stop().await;
}

async fn the_page_embed_js_and_build_json_are_revalidated_with_an_etag(store: Store) {
    let t = start(store, write_hashed_dist, |_| {}).await;
    for path in [
        "/",
        "/services/2001?tab=alerts",
        "/static/services-list/embed.js",
        "/static/services-list/build.json",
        "/static/services-list/public/tokens.css",
    ] {
        let (status, headers, body) = fetch_with(&t, path, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(headers["cache-control"], "no-cache", "{path}");
        let etag = headers["etag"].to_str().unwrap().to_string();
        assert!(etag.starts_with("W/\""), "{path}: {etag}");
        let (status, headers, empty) = fetch_with(&t, path, &[("if-none-match", &etag)]).await;
        assert_eq!(status, 304, "{path}");
        assert!(empty.is_empty());
        assert_eq!(headers["etag"], etag.as_str());
        let (status, _, again) =
            fetch_with(&t, path, &[("if-none-match", "W/\"something-else\"")]).await;
        assert_eq!((status, again), (StatusCode::OK, body), "{path}");
    }
    let (_, first, _) = fetch_with(&t, "/static/services-list/embed.js", &[]).await;
    std::fs::write(
        t.db.dir.path().join("dist/embed.js"),
        "export const mountServicesList = 2;",
    )
    .unwrap();
    let (status, second, body) = fetch_with(
        &t,
        "/static/services-list/embed.js",
        &[("if-none-match", first["etag"].to_str().unwrap())],
    )
    .await;
    assert_eq!(status, 200, "a new build is fetched again");
    assert_ne!(first["etag"], second["etag"]);
    assert_eq!(body, b"export const mountServicesList = 2;");
    let (_, headers, _) = fetch_with(&t, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(headers["cache-control"], "no-cache");
    t.stop().await;
}

async fn raw_get(t: &TestServer, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(t.server.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

async fn percent_encoded_and_dotted_paths_never_leave_the_build_folder(store: Store) {
    let t = start(store, write_hashed_dist, |_| {}).await;
    std::fs::write(t.db.dir.path().join("secret.txt"), "not for clients").unwrap();
    for path in [
        "/static/services-list/..%2fsecret.txt",
        "/static/services-list/%2e%2e/secret.txt",
        "/static/services-list/public/..%2f..%2fsecret.txt",
        "/static/services-list/%2e%2e%5csecret.txt",
        "/static/services-list/%00",
        "/static/services-list/%ff",
    ] {
        // Raw, so that no client library resolves the dots before the server sees them.
        let answer = raw_get(&t, path).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer}");
        assert!(!answer.contains("not for clients"), "{path}");
    }
    let (status, _, body) = fetch_with(&t, "/static/services-list/public%2Ftokens.css", &[]).await;
    assert_eq!(
        (status, String::from_utf8_lossy(&body).into_owned()),
        (StatusCode::OK, ":root { --a: 1px; }".to_string())
    );
    t.stop().await;
}

on_both_stores!(
    the_spa_files_are_served_under_the_public_url_of_build_json,
    a_missing_file_under_the_public_url_is_a_404_not_the_page,
    client_routes_answer_the_page_with_a_public_url,
    without_build_json_the_spa_files_are_served_at_the_root,
    an_unusable_build_json_serves_the_files_at_the_root,
    without_an_index_every_page_says_how_to_build_it_even_with_a_public_url,
    the_example_host_page_answers_its_deep_links_with_the_public_url_filled_in,
    the_example_host_iframe_page_is_iframe_html,
    the_example_host_assets_are_served_and_missing_ones_are_404s,
    a_missing_example_host_folder_is_a_clear_404,
    the_embed_config_lists_the_parent_origins_without_a_token,
    by_default_no_parent_may_hand_the_app_a_token,
    hashed_files_are_immutable_and_sent_precompressed_to_clients_that_accept_it,
    the_page_embed_js_and_build_json_are_revalidated_with_an_etag,
    percent_encoded_and_dotted_paths_never_leave_the_build_folder,
);
