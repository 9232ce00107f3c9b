//! The app embedded in a host page: the example dashboard (examples/dashboard) mounts it with
//! `mountServicesList` under /dashboard/services, next to its own content and under a hostile
//! global stylesheet; and in an iframe from another origin that hands it the token by postMessage.

use fantoccini::Locator;
use serde_json::{json, Value};
use services_e2e::Harness;
use std::time::Duration;

const HOST: &str = "/dashboard/services";
const ROWS: &str = "#services-root #services-panel span.id";

/// Computed styles of elements the hostile stylesheet aims at, keyed by selector and property.
const STYLE_PROBE: &str = r##"(() => {
  const probe = {
    "#service-search": ["font-family", "font-size", "border-top-width", "border-top-color", "padding-top", "letter-spacing", "box-sizing"],
    "button[aria-controls=filter-panel]": ["background-color", "text-transform", "border-top-style", "padding-top", "font-size", "font-family", "border-radius"],
    "#services-panel table": ["border-top-width", "border-top-style", "border-collapse"],
    "#services-panel tbody td": ["padding-top", "background-color", "text-align", "letter-spacing"],
    "#services-panel tbody tr button[aria-haspopup=menu]": ["background-color", "padding-top", "text-transform", "border-top-style", "margin-top"],
    "#services-panel a.name": ["text-decoration-line", "color", "font-family"],
    "h1": ["font-size", "text-transform", "font-family", "margin-top"],
  };
  const out = {};
  for (const [selector, properties] of Object.entries(probe)) {
    const el = document.querySelector(selector);
    if (!el) { out[selector] = null; continue; }
    const style = getComputedStyle(el);
    out[selector] = Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
  }
  return out;
})()"##;

async fn wait_for_rows(h: &Harness, css: &str) -> Vec<String> {
    h.wait_for_texts(css, "the service rows", |ids| !ids.is_empty())
        .await
}

async fn click(h: &Harness, css: &str) {
    h.find(css).await.click().await.expect("the element clicks");
}

async fn wait_for_service_page(h: &Harness) {
    h.wait_for_texts("#services-root main h1", "the service page", |t| {
        t.iter().any(|t| !t.is_empty())
    })
    .await;
}

async fn wait_until_unmounted(h: &Harness) {
    h.wait_until(
        "the unmount",
        "document.getElementById('services-root').childElementCount === 0",
    )
    .await;
}

async fn click_try_again(h: &Harness) {
    h.browser
        .find(Locator::XPath("//button[normalize-space(.)='Try again']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_mounts_uses_and_unmounts_the_list_and_is_left_clean() {
    let h = Harness::start().await;
    // What the app looks like on its own page: the reference for the embedded one.
    h.open_signed_in("/").await;
    wait_for_rows(&h, "#services-panel span.id").await;
    let standalone = h.eval(STYLE_PROBE).await;

    h.open(HOST).await;
    let ids = wait_for_rows(&h, ROWS).await;
    assert_eq!(ids[0], "2001");
    assert_eq!(h.location().await, HOST);
    // The host's own content is there, and the hostile stylesheet really applies to it…
    assert_eq!(
        h.eval("getComputedStyle(document.getElementById('toggle-mount')).backgroundColor")
            .await,
        "rgb(255, 105, 180)",
        "the host's own buttons are hot pink"
    );
    // …but not to the app, which looks exactly as it does standalone.
    let embedded = h.eval(STYLE_PROBE).await;
    for (selector, styles) in standalone.as_object().unwrap() {
        assert!(!styles.is_null(), "{selector} is on the standalone page");
        assert_eq!(
            &embedded[selector], styles,
            "{selector} looks different in the host page"
        );
    }
    h.screenshot("embedded-dashboard").await;

    // The host themes the app through the design tokens, on its element or on :root.
    let tab =
        "getComputedStyle(document.querySelector('#services-root [role=tab][aria-selected=true]'))";
    h.eval("document.getElementById('services-root').style.setProperty('--pw-color-accent', 'rgb(15, 118, 110)')").await;
    h.eval(
        "document.documentElement.style.setProperty('--pw-color-accent-text', 'rgb(17, 94, 89)')",
    )
    .await;
    assert_eq!(
        h.eval(&format!("{tab}.borderBottomColor")).await,
        "rgb(15, 118, 110)"
    );
    assert_eq!(h.eval(&format!("{tab}.color")).await, "rgb(17, 94, 89)");
    h.eval("document.getElementById('services-root').style.removeProperty('--pw-color-accent')")
        .await;
    h.eval("document.documentElement.style.removeProperty('--pw-color-accent-text')")
        .await;

    // Search, through the app's own URL under the base path.
    let search = h.find("#services-root #service-search").await;
    search.send_keys("2003").await.unwrap();
    let ids = h
        .wait_for_texts(ROWS, "the search", |ids| ids == ["2003"])
        .await;
    assert_eq!(ids, ["2003"]);
    let expected = format!("{HOST}?group=1&q=2003");
    h.wait_for_location("the search in the URL", |l| l == expected)
        .await;

    // The actions menu opens and closes with the keyboard.
    click(
        &h,
        "#services-root #services-panel tbody tr button[aria-haspopup=menu]",
    )
    .await;
    let items = h
        .wait_for_texts(
            "#services-root [role=menu] [role=menuitem]",
            "the menu",
            |t| !t.is_empty(),
        )
        .await;
    assert!(
        items.iter().any(|t| t.starts_with("Run manually")),
        "{items:?}"
    );
    h.browser
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{e00c}")
        .await
        .unwrap();
    h.wait_until(
        "the menu to close",
        "!document.querySelector('[role=menu]')",
    )
    .await;

    // To the service and back, the list as it was.
    click(&h, "#services-root #services-panel a.name").await;
    wait_for_service_page(&h).await;
    assert_eq!(h.location().await, format!("{HOST}/services/2003"));
    assert_eq!(
        h.find("#services-root a.back")
            .await
            .attr("href")
            .await
            .unwrap()
            .as_deref(),
        Some("/dashboard/services?group=1&q=2003")
    );
    click(&h, "#services-root a.back").await;
    h.wait_for_texts(ROWS, "the list again", |ids| ids == ["2003"])
        .await;
    assert_eq!(h.location().await, format!("{HOST}?group=1&q=2003"));
    assert!(
        h.axe_violations().await.is_empty(),
        "{:?}",
        h.axe_violations().await
    );

    // The token is only ever in memory: not in storage, the URL or the console.
    let token = h.demo_token("ada.morgan").await;
    assert_eq!(
        h.eval("localStorage.length + sessionStorage.length").await,
        0
    );
    assert!(!h.location().await.contains(&token));
    let logged = h.eval("hostProbe.logged().join('\\n')").await;
    assert!(
        !logged.as_str().unwrap_or_default().contains(&token),
        "the console shows the token"
    );

    // Unmount: the container is empty and everything the app added is gone.
    click(&h, "#toggle-mount").await;
    wait_until_unmounted(&h).await;
    assert_eq!(
        h.eval("document.getElementById('services-root').className")
            .await,
        "",
        "the container keeps no class of ours"
    );
    assert_eq!(
        h.eval("document.querySelectorAll('link[data-services-list]').length")
            .await,
        0,
        "our stylesheets are removed"
    );
    assert_eq!(
        h.eval("hostProbe.listeners()").await,
        h.eval("hostDemo.listenersBeforeMount").await,
        "window and document listeners are as before the mount: {}",
        h.eval("hostProbe.origins().join('\\n')").await
    );
    assert_eq!(h.eval("hostProbe.intervals()").await, 0, "no interval left");
    assert_eq!(h.eval("hostProbe.timeouts()").await, 0, "no timeout left");
    assert_eq!(
        h.eval("document.getElementById('host-note').textContent.includes('mountServicesList')")
            .await,
        true,
        "the host's content is untouched"
    );
    // Clicks on host links are the browser's again: nothing intercepts them.
    assert_eq!(h.eval("document.body.className").await, "");

    // And it mounts again; unmounted on a service page, whose run table polls, it leaves no
    // timer either.
    click(&h, "#toggle-mount").await;
    wait_for_rows(&h, ROWS).await;
    click(&h, "#services-root #services-panel a.name").await;
    h.find("#services-root [role=tabpanel]").await;
    assert!(
        h.eval("hostProbe.intervals()").await.as_u64().unwrap_or(0) > 0,
        "the service page polls"
    );
    click(&h, "#toggle-mount").await;
    wait_until_unmounted(&h).await;
    assert_eq!(h.eval("hostProbe.intervals()").await, 0, "no interval left");
    assert_eq!(h.eval("hostProbe.timeouts()").await, 0, "no timeout left");
    assert_eq!(
        h.eval("hostProbe.listeners()").await,
        h.eval("hostDemo.listenersBeforeMount").await
    );

    // The host page ran under the strict CSP without a violation.
    let reports = h.csp_reports().await;
    assert!(reports.is_empty(), "CSP violations: {reports:#?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_under_the_base_path_opens_the_service_in_the_dashboard() {
    let h = Harness::start().await;
    h.open(&format!("{HOST}/services/2002?tab=settings")).await;
    wait_for_service_page(&h).await;
    h.find("#services-root [role=tab][aria-selected=true]")
        .await;
    assert_eq!(
        h.texts("#services-root [role=tab][aria-selected=true]")
            .await,
        ["Settings"]
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_the_slash_shortcut_works_only_inside_the_app_and_the_title_stays_the_hosts() {
    let h = Harness::start().await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    let title = h.eval("document.title").await;
    // Focus on the host's own content: `/` is the host's key.
    h.eval("document.getElementById('toggle-mount').focus() || true")
        .await;
    h.press("/").await;
    assert_eq!(h.eval("document.activeElement.id").await, "toggle-mount");
    // Focus inside the app: `/` goes to its search.
    h.eval("document.querySelector('#services-root button[aria-controls=filter-panel]').focus() || true")
        .await;
    h.press("/").await;
    assert_eq!(h.eval("document.activeElement.id").await, "service-search");
    // Moving around inside the app leaves the host's title alone.
    click(&h, "#services-root #services-panel a.name").await;
    wait_for_service_page(&h).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.eval("document.title").await, title);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_renewed_by_the_host_and_the_user_notices_nothing() {
    let h = Harness::start().await;
    h.open("/dashboard/assets/dashboard.css").await;
    // The first token "expires": the server refuses the first list request once.
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/company-groups/*/services/lean", "status": 401, "times": 1 }]))
        .await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    assert_eq!(
        h.eval("hostDemo.tokenRequests").await,
        2,
        "asked at mount and once more"
    );
    assert!(h.texts("#services-root [role=alert]").await.is_empty());

    // Later, mid-session, while opening a service: renewed once, then the page shows.
    h.set_faults(
        json!([{ "method": "GET", "path": "/api/v1/services/*", "status": 401, "times": 1 }]),
    )
    .await;
    click(&h, "#services-root #services-panel a.name").await;
    wait_for_service_page(&h).await;
    assert_eq!(h.eval("hostDemo.tokenRequests").await, 3);
    assert!(h.texts("#services-root [role=alert]").await.is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_refused_together_ask_the_host_for_one_token() {
    let h = Harness::start().await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    click(&h, "#toggle-mount").await;
    // A slow host, and the first two requests of the next mount (who am I, and the groups,
    // sent together) refused: both wait for the same new token.
    h.eval("(hostDemo.delayMs = 400)").await;
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/*", "status": 401, "times": 2 }]))
        .await;
    let before = h.eval("hostDemo.tokenRequests").await.as_u64().unwrap();
    click(&h, "#toggle-mount").await;
    wait_for_rows(&h, ROWS).await;
    h.wait_for_texts("#services-root", "the signed-in user", |t| {
        t.iter().any(|t| t.contains("Signed in as Ada Morgan"))
    })
    .await;
    let asked = h.eval("hostDemo.tokenRequests").await.as_u64().unwrap() - before;
    assert_eq!(
        asked, 2,
        "one token at mount and one renewal for both refusals"
    );
    assert!(h.texts("#services-root [role=alert]").await.is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_host_has_no_token_the_session_has_expired_and_try_again_recovers() {
    let h = Harness::start().await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    // The dashboard is signed out: it refuses to give a token, and the server refuses the old one.
    h.eval("(hostDemo.refuse = true)").await;
    h.set_faults(
        json!([{ "method": "GET", "path": "/api/v1/company-groups/*/services/lean", "status": 401 }]),
    )
    .await;
    let tabs = h.texts("#services-root [role=tab]").await;
    assert!(tabs.len() > 1, "{tabs:?}");
    click(&h, "#services-root [role=tab]:not([aria-selected=true])").await;
    let alert = h
        .wait_for_texts("#services-root [role=alert]", "the expired message", |t| {
            t.iter().any(|t| t.contains("Your session has expired."))
        })
        .await;
    assert!(alert.iter().any(|t| t.contains("Try again")), "{alert:?}");
    let violations = h.axe_violations().await;
    assert!(violations.is_empty(), "{violations:?}");
    h.screenshot("embedded-session-expired").await;
    // What was on screen stays.
    assert!(
        !h.texts(ROWS).await.is_empty() || !h.texts("#services-root [role=tab]").await.is_empty()
    );

    // Signed in again: Try again gets a token and the page loads.
    h.eval("(hostDemo.refuse = false)").await;
    h.set_faults(json!([])).await;
    click_try_again(&h).await;
    h.wait_until(
        "the message to go",
        "![...document.querySelectorAll('#services-root [role=alert]')].some(e => e.textContent.includes('expired'))",
    )
    .await;
    wait_for_rows(&h, ROWS).await;
    // At mount, too: no token, no list, and Try again once the host has one.
    h.eval("(hostDemo.refuse = true)").await;
    click(&h, "#toggle-mount").await;
    wait_until_unmounted(&h).await;
    click(&h, "#toggle-mount").await;
    h.wait_for_texts("#services-root [role=alert]", "the expired message", |t| {
        t.iter().any(|t| t.contains("Your session has expired."))
    })
    .await;
    assert!(h.texts(ROWS).await.is_empty());
    h.eval("(hostDemo.refuse = false)").await;
    click_try_again(&h).await;
    wait_for_rows(&h, ROWS).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_an_iframe_the_app_takes_its_token_from_an_allowed_parent_by_post_message() {
    let h = Harness::start_configured(1280, 900, |config| {
        config.frame_ancestors = format!("'self' http://localhost:{}", config.addr.port());
    })
    .await;
    h.browser
        .goto(&h.url_as_localhost("/dashboard/iframe"))
        .await
        .unwrap();
    let frame = h.find("#services-frame").await;
    frame.enter_frame().await.unwrap();
    let ids = wait_for_rows(&h, "#services-panel span.id").await;
    assert_eq!(ids[0], "2001");
    assert!(h
        .texts("button")
        .await
        .iter()
        .all(|t| !t.contains("Sign in as")));
    h.browser.enter_parent_frame().await.unwrap();
    assert_eq!(h.eval("iframeDemo.tokenRequests").await, 1);

    // The token "expires": the framed app asks its parent again and carries on.
    h.set_faults(json!([{ "method": "GET", "path": "/api/v1/company-groups/*/services/lean", "status": 401, "times": 1 }]))
        .await;
    h.find("#services-frame").await.enter_frame().await.unwrap();
    h.find("[role=tab]:not([aria-selected=true])")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_texts("#services-panel span.id", "the other group's rows", |ids| {
        ids.first().is_some_and(|id| id != "2001")
    })
    .await;
    assert!(h.texts("[role=alert]").await.is_empty());
    h.browser.enter_parent_frame().await.unwrap();
    assert_eq!(h.eval("iframeDemo.tokenRequests").await, 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_base_is_where_the_app_sends_its_requests() {
    let h = Harness::start().await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    let token = h.demo_token("ada.morgan").await;
    let remount = |api_base: String| {
        format!(
            "const done = arguments[0];
             const assets = document.querySelector('meta[name=services-list-assets]').content;
             import(assets + 'embed.js').then(async ({{ mountServicesList }}) => {{
               hostDemo.handle.unmount();
               hostDemo.handle = await mountServicesList(document.getElementById('services-root'), {{
                 basePath: '/dashboard/services', apiBase: {api_base:?}, getToken: () => {token:?},
               }});
               done(true);
             }});"
        )
    };
    // A base where there is no API: the app says so.
    h.browser
        .execute_async(&remount("/api/v9".into()), vec![])
        .await
        .unwrap();
    h.wait_for_texts("#services-root [role=alert]", "the load error", |t| {
        t.iter().any(|t| t.contains("Could not load"))
    })
    .await;
    // An absolute URL of the real API (with a trailing slash): the list loads.
    h.browser
        .execute_async(&remount(h.url("/api/v1/")), vec![])
        .await
        .unwrap();
    wait_for_rows(&h, ROWS).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mounting_twice_or_without_get_token_is_a_clear_error() {
    let h = Harness::start().await;
    h.open(HOST).await;
    wait_for_rows(&h, ROWS).await;
    let errors: Value = h
        .browser
        .execute_async(
            "const done = arguments[0];
             const assets = document.querySelector('meta[name=services-list-assets]').content;
             import(assets + 'embed.js').then(async ({ mountServicesList }) => {
               const out = [];
               const el = document.createElement('div');
               document.body.append(el);
               for (const options of [{ getToken: () => 't' }, {}]) {
                 try { await mountServicesList(el, options); out.push('mounted'); }
                 catch (e) { out.push(e.message); }
               }
               hostDemo.handle.unmount();
               try { await mountServicesList(el, { basePath: 'relative', getToken: () => 't' }); out.push('mounted'); }
               catch (e) { out.push(e.message); }
               el.remove();
               done(out);
             });",
            vec![],
        )
        .await
        .unwrap();
    let errors: Vec<String> = serde_json::from_value(errors).unwrap();
    assert!(errors[0].contains("already mounted"), "{errors:?}");
    assert!(errors[1].contains("getToken"), "{errors:?}");
    assert!(errors[2].contains("basePath"), "{errors:?}");
    h.stop().await;
}
