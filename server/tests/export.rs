//! `GET /company-groups/{id}/services/export.csv`: every service matching the list's query, in
//! its order, over several batches; the columns; cells that would be formulas kept as text;
//! errors as the list's; tenants kept apart.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::json;
use services_model::Role;
use services_server::generate::{generate, Plan};

/// The raw answer to an export request as `token`.
async fn export(
    t: &TestServer,
    token: &str,
    query: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let response = t
        .client
        .get(t.url(&format!(
            "/api/v1/company-groups/1/services/export.csv?{query}"
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn records(body: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The ids of every service the list endpoint answers for `query`, a window at a time.
async fn listed_ids(t: &TestServer, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    loop {
        let reply = t
            .get(&format!(
                "/api/v1/company-groups/1/services?{query}&limit=1000&offset={}",
                ids.len()
            ))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let items = reply.body["items"].as_array().unwrap();
        ids.extend(items.iter().map(|s| s["id"].to_string()));
        if items.is_empty() || ids.len() as u64 >= reply.body["total"].as_u64().unwrap() {
            return ids;
        }
    }
}

async fn the_export_holds_every_matching_service_in_the_list_order(store: Store) {
    let t = TestServer::start(store).await;
    // Over one batch (1,000), so the answer streams in several.
    generate(
        &t.server.db,
        &Plan {
            group_id: 1,
            services: 1_500,
            seed: 7,
            with_runs: 50,
            now: services_server::clock::now_unix(),
        },
    )
    .await
    .unwrap();
    let (status, headers, body) = export(&t, &t.admin(), "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.ends_with("-services.csv\""), "{disposition}");
    let header_row = body.lines().next().unwrap();
    assert_eq!(
        header_row,
        "ID,Name,Type,Status,Source system,Source entity,Destination system,Destination entity,\
         Schedule,Cron (UTC),Alerts,Last run,Last run started (UTC),Last run finished (UTC),Failed runs (24 h),Next run (UTC)"
    );
    let all = records(&body);
    assert_eq!(all.len(), 1_564);
    // Compressed as browsers ask for it, the same file (the stream ends cleanly).
    let gzipped = t
        .client
        .get(t.url("/api/v1/company-groups/1/services/export.csv"))
        .bearer_auth(t.admin())
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let bytes = gzipped.bytes().await.unwrap();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, body);

    for query in [
        "",
        "sort=-name",
        "status=active&sort=system",
        "q=orders&sort=-status",
        "system=Shopify&system=NetSuite&sort=-id",
        "entity=orders&q=standard",
        // Paging parameters are ignored: the export is every match.
        "sort=name&page=3&per_page=25",
    ] {
        let (status, _, body) = export(&t, &t.admin(), query).await;
        assert_eq!(status, 200, "{query}: {body}");
        let exported: Vec<String> = records(&body).into_iter().map(|r| r[0].clone()).collect();
        let listed = listed_ids(&t, &query.replace("page=3&per_page=25", "")).await;
        assert_eq!(exported, listed, "{query}");
        assert!(!exported.is_empty(), "{query} matches something");
    }

    // A row's cells are the list's fields.
    let list = t
        .get("/api/v1/company-groups/1/services?sort=-id&limit=1")
        .await
        .body;
    let item = &list["items"][0];
    let (_, _, body) = export(&t, &t.admin(), "sort=-id").await;
    let first = &records(&body)[0];
    assert_eq!(first[0], item["id"].to_string());
    assert_eq!(first[1], item["name"].as_str().unwrap());
    assert_eq!(first[2], item["service_type"].as_str().unwrap());
    assert_eq!(first[3], item["status"].as_str().unwrap());
    assert_eq!(first[4], item["source"]["system"].as_str().unwrap());
    assert_eq!(first[7], item["destination"]["entity"].as_str().unwrap());
    assert_eq!(
        first[11],
        item["last_run"]["status"].as_str().unwrap_or_default()
    );
    t.stop().await;
}

async fn formula_like_names_stay_text_and_errors_are_the_lists(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    for (name, expected) in [
        (
            "=HYPERLINK(\"http://x\",\"y\")",
            "'=HYPERLINK(\"http://x\",\"y\")",
        ),
        ("+1 orders", "'+1 orders"),
        ("@SUM(A1) orders", "'@SUM(A1) orders"),
        ("-2 orders", "'-2 orders"),
    ] {
        let reply = t
            .call(
                Method::PATCH,
                &format!("/api/v1/services/{id}"),
                Some(&t.admin()),
                Some(json!({ "name": name })),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let (_, _, body) = export(&t, &t.admin(), &format!("q={id}")).await;
        let row = records(&body)
            .into_iter()
            .find(|r| r[0] == id.to_string())
            .unwrap();
        assert_eq!(row[1], expected);
    }

    let (status, _, body) = export(&t, &t.admin(), "sort=colour").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("sort must be"), "{body}");
    let (status, _, body) = export(&t, &t.admin(), "limit=0").await;
    assert_eq!(status, 400, "{body}");
    // Another company's group does not exist for this caller; nor does an unknown one.
    let (status, _, body) = export(&t, &t.token(2, Role::Admin), "").await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("does not exist"), "{body}");
    let unknown = t
        .get("/api/v1/company-groups/999/services/export.csv")
        .await;
    unknown.assert_error(404, "not_found", "does not exist");
    let anonymous = t
        .call(
            Method::GET,
            "/api/v1/company-groups/1/services/export.csv",
            None,
            None,
        )
        .await;
    assert_eq!(anonymous.status, 401);
    // Read-only users may export what they may see.
    let (status, _, _) = export(&t, &t.token(1, Role::ReadOnly), "").await;
    assert_eq!(status, 200);
    t.stop().await;
}

on_both_stores!(
    the_export_holds_every_matching_service_in_the_list_order,
    formula_like_names_stay_text_and_errors_are_the_lists,
);
