//! Health in every row (issue 14 item 2): the list, the service and the lean view carry each
//! service's last run (outcome and time) and its failed runs of the last 24 hours; the "Last
//! run failed" filter and its count, and the sort by last run, answer as the model's
//! `ListQuery` does; a run that finishes refreshes the lean view. Runs fail through the real
//! worker (`Outcome::Failed`).

#[macro_use]
mod common;

use common::{Store, TestServer};
use serde_json::Value;
use services_model::{Favourites, ListQuery, RunStatus, Service, Sort, SortDirection, SortKey};
use services_server::Outcome;

fn services(list: &Value) -> Vec<Service> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| serde_json::from_value(item.clone()).unwrap())
        .collect()
}

fn ids(list: &[Service]) -> Vec<u64> {
    list.iter().map(|s| s.id).collect()
}

async fn lean(t: &TestServer, etag: Option<&str>) -> (u16, String, Vec<Service>) {
    let mut request = t
        .client
        .get(t.url("/api/v1/company-groups/1/services/lean"))
        .bearer_auth(t.admin());
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let body = response.bytes().await.unwrap();
    let services = if status == 200 {
        let view: services_model::LeanView = serde_json::from_slice(&body).unwrap();
        view.services().unwrap().unwrap()
    } else {
        Vec::new()
    };
    (status, etag, services)
}

async fn a_failed_run_shows_in_the_detail_the_list_and_the_lean_view(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.outcome = Outcome::Failed).await;
    let service = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{service}")).await.body;
    let failed_before = before["health"]["failed_24h"].as_u64().unwrap();
    let (status, etag, _) = lean(&t, None).await;
    assert_eq!(status, 200);

    let run = t.start_run(service).await;
    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "failed");

    // The service page's answer (what live updates refresh a row from).
    let detail = t.get(&format!("/api/v1/services/{service}")).await.body;
    assert_eq!(detail["health"]["last_run_status"], "failed");
    assert_eq!(detail["health"]["last_run_at"], finished["finished_at"]);
    assert_eq!(detail["health"]["failed_24h"], failed_before + 1);

    // The list: one request, the health of every row.
    let all = t
        .get("/api/v1/company-groups/1/services?limit=1000")
        .await
        .body;
    let listed = services(&all);
    let row = listed.iter().find(|s| s.id == service).unwrap();
    assert_eq!(row.health.last_run_status, Some(RunStatus::Failed));
    assert_eq!(u64::from(row.health.failed_24h), failed_before + 1);
    assert!(all["items"][0]["health"].is_object());

    // The lean view the SPA loads first: a new version, with the same health as the list.
    let (status, new_etag, lean_services) = lean(&t, Some(&etag)).await;
    assert_eq!(status, 200, "a finished run makes a new lean version");
    assert_ne!(new_etag, etag);
    let in_lean = lean_services.iter().find(|s| s.id == service).unwrap();
    assert_eq!(in_lean.health, row.health);
    let lean_health: Vec<_> = lean_services
        .iter()
        .map(|s| (s.id, s.health.clone()))
        .collect();
    let list_health: Vec<_> = listed.iter().map(|s| (s.id, s.health.clone())).collect();
    assert_eq!(lean_health, list_health);
    t.stop().await;
}

async fn the_last_run_failed_filter_and_the_sort_answer_as_the_model(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.outcome = Outcome::Failed).await;
    // Two more failures, so the group surely has some.
    for _ in 0..2 {
        let service = t.a_service("active").await;
        let run = t.start_run(service).await;
        t.wait_for_run(service, run).await;
    }
    let all = services(
        &t.get("/api/v1/company-groups/1/services?limit=1000")
            .await
            .body,
    );
    let failed: Vec<u64> = all
        .iter()
        .filter(|s| s.health.last_run_status == Some(RunStatus::Failed))
        .map(|s| s.id)
        .collect();
    assert!(!failed.is_empty());

    let plain = t.get("/api/v1/company-groups/1/services").await.body;
    assert_eq!(plain["facets"]["last_run_failed"], failed.len());
    let filtered = t
        .get("/api/v1/company-groups/1/services?last_run_failed=true&limit=1000")
        .await
        .body;
    assert_eq!(ids(&services(&filtered)), failed, "exactly the failed rows");
    assert_eq!(filtered["total"], failed.len());
    assert_eq!(filtered["facets"]["last_run_failed"], failed.len());
    // With a status filter the count follows it; the other facets count only failed rows.
    let inactive = t
        .get("/api/v1/company-groups/1/services?status=inactive")
        .await
        .body;
    let query = ListQuery::from_query("status=inactive");
    assert_eq!(
        inactive["facets"],
        serde_json::to_value(query.facets(&all, &Favourites::new())).unwrap()
    );
    let query = ListQuery::from_query("last_run_failed=true");
    assert_eq!(
        filtered["facets"],
        serde_json::to_value(query.facets(&all, &Favourites::new())).unwrap()
    );

    // The sort by last run, both ways: most recent first or last, never-run services last.
    for direction in [SortDirection::Ascending, SortDirection::Descending] {
        let sign = if direction == SortDirection::Descending {
            "-"
        } else {
            ""
        };
        let sorted = services(
            &t.get(&format!(
                "/api/v1/company-groups/1/services?sort={sign}last_run&limit=1000"
            ))
            .await
            .body,
        );
        let query = ListQuery {
            sort: Sort {
                key: SortKey::LastRun,
                direction,
            },
            ..ListQuery::default()
        };
        let expected: Vec<u64> = query
            .filter_sorted(&all, &Favourites::new())
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids(&sorted), expected, "sort={sign}last_run");
        let never = sorted
            .iter()
            .position(|s| s.health.last_run_at.is_none())
            .unwrap_or(sorted.len());
        assert!(sorted[never..]
            .iter()
            .all(|s| s.health.last_run_at.is_none()));
        let first = sorted[0].health.last_run_at.clone();
        let newest = all
            .iter()
            .filter_map(|s| s.health.last_run_at.clone())
            .max();
        let oldest = all
            .iter()
            .filter_map(|s| s.health.last_run_at.clone())
            .min();
        match direction {
            SortDirection::Descending => assert_eq!(first, newest),
            SortDirection::Ascending => assert_eq!(first, oldest),
        }
    }
    t.stop().await;
}

on_both_stores!(
    a_failed_run_shows_in_the_detail_the_list_and_the_lean_view,
    the_last_run_failed_filter_and_the_sort_answer_as_the_model,
);
