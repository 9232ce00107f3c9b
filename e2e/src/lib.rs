//! The end-to-end harness: the real server (on a free port, with a temporary seeded database, the
//! built `dist/` and the example host page of `examples/dashboard` at `/dashboard`) and headless
//! Chromium driven through chromedriver. It builds nothing: `make test` builds `dist/` with trunk
//! first.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use services_server::{start, Config, Running};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// How long to wait for the page to reach an expected state.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct Harness {
    pub server: Running,
    pub browser: Client,
    driver: Child,
    _data: tempfile::TempDir,
}

/// The built SPA: `SERVICES_DIST`, or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("SERVICES_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// The example host page: `SERVICES_EXAMPLE_HOST`, or `examples/dashboard` at the workspace root.
pub fn example_host_dir() -> PathBuf {
    std::env::var_os("SERVICES_EXAMPLE_HOST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/dashboard"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

impl Harness {
    /// Starts the server and a browser with a 1280×800 window.
    pub async fn start() -> Harness {
        Self::start_with_window(1280, 800).await
    }

    pub async fn start_with_window(width: u32, height: u32) -> Harness {
        Self::start_configured(width, height, |_| {}).await
    }

    /// Starts with a server configuration changed by `change` (e.g. slower runs). The server's
    /// address is already chosen when `change` runs, so it can name the server's own origins,
    /// e.g. `config.frame_ancestors = format!("'self' http://localhost:{}", config.addr.port())`.
    pub async fn start_configured(
        width: u32,
        height: u32,
        change: impl FnOnce(&mut Config),
    ) -> Harness {
        Self::start_full(width, height, &[], None, change).await
    }

    /// Starts a browser whose time zone is `zone` (an IANA name, e.g. `Asia/Kolkata`).
    pub async fn start_in_time_zone(zone: &str) -> Harness {
        Self::start_full(1280, 800, &[], Some(zone), |_| {}).await
    }

    /// Starts a browser that prefers a dark colour scheme.
    pub async fn start_dark(width: u32, height: u32) -> Harness {
        Self::start_full(width, height, &["--force-dark-mode"], None, |_| {}).await
    }

    async fn start_full(
        width: u32,
        height: u32,
        chrome_args: &[&str],
        time_zone: Option<&str>,
        change: impl FnOnce(&mut Config),
    ) -> Harness {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the SPA first (`make dist`; `make test` does it)",
            dist.display()
        );
        let data = tempfile::tempdir().expect("a temporary folder");
        let mut config = Config::for_tests(data.path().join("e2e.sqlite3"), dist);
        config.addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        config.demo = true;
        config.fault_injection = true;
        config.example_host = Some(example_host_dir());
        change(&mut config);
        let server = start(config).await.expect("the server starts");

        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port();
        // Chromium leaves its profile and scoped folders in TMPDIR when it is killed: keep them
        // in the harness's folder, which goes when the harness does.
        let mut driver = Command::new(&chromedriver);
        // Chromium takes its time zone from TZ (inherited through chromedriver).
        if let Some(zone) = time_zone {
            driver.env("TZ", zone);
        }
        let driver = driver
            .arg(format!("--port={port}"))
            .env("TMPDIR", data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {chromedriver}: {e} (install chromium-driver)")
            });

        let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-extensions",
                    format!("--window-size={width},{height}"),
                ],
            }
        });
        // Chrome's windows are at least 500 px wide; narrower viewports need device emulation.
        let mut capabilities = capabilities;
        if let Some(args) = capabilities["goog:chromeOptions"]["args"].as_array_mut() {
            args.extend(chrome_args.iter().map(|a| json!(a)));
        }
        if width < 500 {
            capabilities["goog:chromeOptions"]["mobileEmulation"] =
                json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0 } });
        }
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let deadline = Instant::now() + PATIENCE;
        let browser = loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot start a browser session through chromedriver: {e}"),
            }
        };
        Harness {
            server,
            browser,
            driver,
            _data: data,
        }
    }

    /// A URL of the server at `http://127.0.0.1:{port}`: the origin pages normally come from.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// The same server as a second origin, `http://localhost:{port}` (localhost resolves to the
    /// loopback address the server listens on), for pages that frame the app cross-origin.
    pub fn origin_as_localhost(&self) -> String {
        format!("http://localhost:{}", self.server.addr.port())
    }

    /// A URL of the server at its second origin, `http://localhost:{port}{path}`.
    pub fn url_as_localhost(&self, path: &str) -> String {
        format!("{}{path}", self.origin_as_localhost())
    }

    /// The SPA's public URL (where its files are served), e.g. `/static/services-list/`.
    pub fn public_url(&self) -> &str {
        &self.server.public_url
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&self.url(path))
            .await
            .expect("the page loads");
    }

    /// Signs in on the standalone sign-in page as the demo user with this name.
    pub async fn sign_in_as(&self, name: &str) {
        let button = self
            .browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&format!(
                "//button[contains(., 'Sign in as {name}')]"
            )))
            .await
            .unwrap_or_else(|e| panic!("no sign-in button for {name}: {e}"));
        button.click().await.expect("the sign-in button clicks");
    }

    /// Opens a page and signs in as Northwind's admin.
    pub async fn open_signed_in(&self, path: &str) {
        self.open(path).await;
        self.sign_in_as("Ada Morgan").await;
    }

    /// The current path and query, e.g. `/?group=2`.
    pub async fn location(&self) -> String {
        let url = self.browser.current_url().await.expect("a current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Polls the location (path and query) until `check` accepts it, and returns it. The list
    /// writes a typed search into the URL once typing pauses.
    pub async fn wait_for_location(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let location = self.location().await;
            if check(&location) {
                return location;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the location is {location}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a button with exactly this (whitespace-normalised) text.
    pub async fn button(&self, text: &str) -> Element {
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&format!(
                "//button[normalize-space(.)='{text}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no button {text}: {e}"))
    }

    /// Waits for a toast containing `part`, and returns its text.
    pub async fn toast(&self, part: &str) -> String {
        let texts = self
            .wait_for_texts("div[aria-live=polite] div", part, |t| {
                t.iter().any(|x| x.contains(part))
            })
            .await;
        texts.into_iter().find(|t| t.contains(part)).unwrap()
    }

    /// Polls a JavaScript expression until it is `true`.
    pub async fn wait_until(&self, what: &str, expression: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(expression).await != serde_json::Value::Bool(true) {
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}: {expression}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends keys (text, or a `fantoccini::key::Key` as a string) to the focused element.
    pub async fn press(&self, keys: &str) {
        self.browser
            .active_element()
            .await
            .expect("an active element")
            .send_keys(keys)
            .await
            .expect("the keys are sent");
    }

    /// Follows the service page's "← Back to services" link.
    pub async fn back_to_services(&self) {
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::LinkText("← Back to services"))
            .await
            .expect("the link back to the list")
            .click()
            .await
            .expect("the link clicks");
    }

    /// Waits for an element to exist.
    pub async fn find(&self, css: &str) -> Element {
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element matches {css:?}: {e}"))
    }

    /// The text of every element matching `css`, right now.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self
            .browser
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            out.push(element.text().await.unwrap_or_default());
        }
        out
    }

    /// Polls `texts(css)` until `check` accepts them, and returns them; panics with the last
    /// texts seen if the page never gets there.
    pub async fn wait_for_texts(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let texts = self.texts(css).await;
            if check(&texts) {
                return texts;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; {css:?} shows {texts:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns the violations,
    /// one line each (rule, impact, help, and the first offending elements).
    pub async fn axe_violations(&self) -> Vec<String> {
        let path = std::env::var_os("AXE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../.tools/node_modules/axe-core/axe.min.js")
            });
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read axe-core at {} ({e}): run `make setup`",
                path.display()
            )
        });
        self.browser
            .execute(&source, vec![])
            .await
            .expect("axe-core loads");
        let result = self
            .browser
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                       + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(result).expect("a list of violations")
    }

    /// Saves a PNG of the viewport to `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.browser.screenshot().await.expect("a screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }

    /// Calls the API from the page as the demo user with this email prefix (e.g. "ada.morgan"),
    /// returning the status and the JSON body (null when empty).
    pub async fn api_as(
        &self,
        user: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let result = self
            .browser
            .execute_async(
                "const [user, method, path, body, done] = arguments;
                 fetch('/api/demo/users').then(r => r.json()).then(u => {
                   const token = u.items.find(x => x.email.startsWith(user)).token;
                   const init = { method, headers: { Authorization: 'Bearer ' + token } };
                   if (body !== null) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
                   return fetch(path, init);
                 }).then(async r => { const t = await r.text(); done([r.status, t ? JSON.parse(t) : null]); })
                   .catch(e => done([0, String(e)]));",
                vec![user.into(), method.into(), path.into(), body.unwrap_or(serde_json::Value::Null)],
            )
            .await
            .expect("the API call runs");
        (result[0].as_u64().unwrap_or(0) as u16, result[1].clone())
    }

    /// The demo token of the user with this email prefix (e.g. "ada.morgan").
    pub async fn demo_token(&self, user: &str) -> String {
        let token = self
            .browser
            .execute_async(
                "const [user, done] = arguments;
                 fetch('/api/demo/users').then(r => r.json())
                   .then(u => done(u.items.find(x => x.email.startsWith(user)).token));",
                vec![user.into()],
            )
            .await
            .expect("the demo users");
        token.as_str().expect("a token").to_string()
    }

    /// The CSP violation reports the server has received (fault-injection servers only).
    pub async fn csp_reports(&self) -> Vec<serde_json::Value> {
        let list = self
            .browser
            .execute_async(
                "const done = arguments[0]; fetch('/api/test/csp-reports').then(r => r.json()).then(done);",
                vec![],
            )
            .await
            .expect("the reports");
        serde_json::from_value(list).expect("a list")
    }

    /// Calls the API as Northwind's admin.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        self.api_as("ada.morgan", method, path, body).await
    }

    /// The ids of a group's services as the API lists them with these list parameters
    /// (e.g. `q=orders&sort=-name`), as strings the way the page shows them.
    pub async fn service_ids(&self, group: u64, params: &str) -> Vec<String> {
        let (status, body) = self
            .api(
                "GET",
                &format!("/api/v1/company-groups/{group}/services?{params}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|s| s["id"].to_string())
            .collect()
    }

    /// Replaces the server's fault-injection rules.
    pub async fn set_faults(&self, rules: serde_json::Value) {
        let status = self
            .browser
            .execute_async(
                "const [rules, done] = arguments;
                 fetch('/api/test/faults', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
                   body: JSON.stringify({ rules }) }).then(r => done(r.status));",
                vec![rules],
            )
            .await
            .expect("the fault rules are set");
        assert_eq!(status, 200, "setting fault rules");
    }

    /// Evaluates a JavaScript expression in the page.
    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.browser
            .execute(&format!("return ({expression});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// Starts recording what goes wrong in the page from now on: `console.error` (where a Rust
    /// panic is reported), uncaught errors and unhandled promise rejections. Read them with
    /// [`Harness::page_errors`]. A page load forgets them, so call it after navigating.
    pub async fn watch_errors(&self) {
        self.browser
            .execute(
                "if (!window.__pwErrors) {
                   window.__pwErrors = [];
                   const original = console.error;
                   console.error = (...args) => { window.__pwErrors.push(args.map(String).join(' ')); original.apply(console, args); };
                   addEventListener('error', (e) => window.__pwErrors.push('error: ' + e.message));
                   addEventListener('unhandledrejection', (e) => window.__pwErrors.push('rejection: ' + e.reason));
                 }",
                vec![],
            )
            .await
            .expect("the error watch is installed");
    }

    /// Fails if [`Harness::watch_errors`] recorded anything.
    pub async fn assert_no_page_errors(&self, what: &str) {
        let errors = self.page_errors().await;
        assert!(errors.is_empty(), "{what}: {errors:#?}");
    }

    /// What [`Harness::watch_errors`] has recorded.
    pub async fn page_errors(&self) -> Vec<String> {
        let errors = self
            .eval("window.__pwErrors || ['watch_errors was not called']")
            .await;
        serde_json::from_value(errors).expect("a list of errors")
    }

    /// The element that has focus, described as `tag "name"` (its aria-label or text, at most 60
    /// characters), or `body` when focus fell to the page.
    pub async fn focused(&self) -> String {
        let described = self
            .eval(
                "(() => { const e = document.activeElement;
                   if (!e || e === document.body) return 'body';
                   const name = (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 60);
                   return e.tagName.toLowerCase() + ' \"' + name + '\"'; })()",
            )
            .await;
        described.as_str().unwrap_or_default().to_string()
    }

    /// Marks the element that has focus, so [`Harness::focus_kept`] can tell whether that very
    /// element (not a new one that looks the same) still has focus.
    pub async fn mark_focused(&self) {
        self.eval("document.querySelectorAll('[data-test-focus]').forEach(e => e.removeAttribute('data-test-focus')) || (document.activeElement && document.activeElement.setAttribute('data-test-focus', ''), true)")
            .await;
    }

    /// Whether the element marked by [`Harness::mark_focused`] still has focus.
    pub async fn focus_kept(&self) -> bool {
        self.eval("!!document.activeElement && document.activeElement.hasAttribute('data-test-focus') && document.activeElement.isConnected")
            .await
            == serde_json::Value::Bool(true)
    }

    /// Ends the browser session, chromedriver and the server.
    pub async fn stop(mut self) {
        let _ = self.browser.close().await;
        let _ = self.driver.kill().await;
        self.server.stop().await.expect("the server stops cleanly");
    }
}
