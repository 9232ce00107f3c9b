//! A real server on a free port, on a temporary SQLite file or on a fresh database of a real
//! PostgreSQL cluster this test process starts (and which goes away with it), and an HTTP
//! client for it. `on_both_stores!` runs each test on both.
#![allow(dead_code)]

pub mod binary;
pub mod corpus;
pub mod postgres;
pub mod process;
pub mod sse;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use services_model::Role;
use services_server::db::Location;
use services_server::{repo, start, Config, Running};

/// Which store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn name(store: Store)` as two tests, `sqlite::name` and
/// `postgres::name`. A test missing from the list is dead code, which the lint refuses.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Store::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Store::Postgres).await
                }
            )*
        }
    };
}

/// A store for one test: a SQLite file in `dir`, or a new PostgreSQL database. `dir` also
/// holds whatever else the test writes (a dist folder).
pub struct TestDb {
    pub location: Location,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new(store: Store) -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let location = match store {
            Store::Sqlite => Location::Sqlite(dir.path().join("test.sqlite3")),
            Store::Postgres => Location::Postgres(postgres::new_database().await),
        };
        TestDb { location, dir }
    }

    pub fn store(&self) -> Store {
        match self.location {
            Location::Sqlite(_) => Store::Sqlite,
            Location::Postgres(_) => Store::Postgres,
        }
    }
}

pub struct TestServer {
    pub server: Running,
    pub client: reqwest::Client,
    /// (company id, role, token) of every demo user.
    pub users: Vec<(u64, Role, String)>,
    pub db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts an error reply: its status, its code, and that the message mentions `part`.
    pub fn assert_error(&self, status: u16, code: &str, part: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.body["error"]["code"], code, "{}", self.body);
        let message = self.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(part),
            "{message:?} should mention {part:?}"
        );
    }
}

/// The configuration of a test server on `db`, with demo data.
pub fn config(db: &TestDb) -> Config {
    let mut config = Config::for_tests(
        db.dir.path().join("test.sqlite3"),
        db.dir.path().join("dist"),
    );
    config.db = db.location.clone();
    config
}

impl TestServer {
    pub async fn start(store: Store) -> TestServer {
        Self::start_with(store, |_| {}).await
    }

    pub async fn start_with(store: Store, change: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_in(TestDb::new(store).await, change).await
    }

    /// Starts (or restarts) a server on `db`.
    pub async fn start_in(db: TestDb, change: impl FnOnce(&mut Config)) -> TestServer {
        let mut config = config(&db);
        change(&mut config);
        let server = start(config).await.expect("server starts");
        let users = repo::users::demo_users(&server.db)
            .await
            .unwrap()
            .into_iter()
            .map(|(me, token)| (me.company.id, me.role, token))
            .collect();
        TestServer {
            server,
            client: reqwest::Client::new(),
            users,
            db,
        }
    }

    pub fn token(&self, company: u64, role: Role) -> String {
        self.users
            .iter()
            .find(|(c, r, _)| *c == company && *r == role)
            .map(|(_, _, t)| t.clone())
            .expect("a demo user")
    }

    /// Company 1's admin.
    pub fn admin(&self) -> String {
        self.token(1, Role::Admin)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        call(&self.client, &self.server.url(), method, path, token, body).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, Some(&self.admin()), None)
            .await
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// Ids of a group's services, as company 1's admin sees them.
    pub async fn service_ids(&self, group: u64) -> Vec<u64> {
        let reply = self
            .get(&format!("/api/v1/company-groups/{group}/services"))
            .await;
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_u64().unwrap())
            .collect()
    }

    /// The first service of company 1 with this status.
    pub async fn a_service(&self, status: &str) -> u64 {
        let reply = self
            .get(&format!(
                "/api/v1/company-groups/1/services?status={status}"
            ))
            .await;
        reply.body["items"][0]["id"]
            .as_u64()
            .expect("a seeded service")
    }

    /// Starts a manual run of company 1's `service` as its admin; the run's id.
    pub async fn start_run(&self, service: u64) -> u64 {
        let reply = self
            .call(
                Method::POST,
                &format!("/api/v1/services/{service}/runs"),
                Some(&self.admin()),
                None,
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"].as_u64().unwrap()
    }

    /// Waits until a run is no longer queued or running, and returns it.
    pub async fn wait_for_run(&self, service: u64, run: u64) -> Value {
        wait_for_run(
            &self.client,
            &self.server.url(),
            &self.admin(),
            service,
            run,
        )
        .await
    }

    pub async fn stop(self) -> TestDb {
        self.server.stop().await.unwrap();
        self.db
    }
}

/// One API call to the server at `base`; the body parsed as JSON (`null` when empty).
pub async fn call(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"))
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// Waits until a run is no longer queued or running (20 s at most), and returns it.
pub async fn wait_for_run(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    service: u64,
    run: u64,
) -> Value {
    for _ in 0..400 {
        let runs = call(
            client,
            base,
            Method::GET,
            &format!("/api/v1/services/{service}/runs?since=2000-01-01T00:00:00Z"),
            Some(token),
            None,
        )
        .await;
        let found = runs.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == run)
            .cloned();
        if let Some(r) = found {
            if r["status"] != "queued" && r["status"] != "running" {
                return r;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("run {run} did not finish");
}

/// Read from a demo database: company 1's admin token and the ids of group 1's active services.
pub async fn demo_admin_and_active_services(location: &Location) -> (String, Vec<u64>) {
    let db = services_server::db::Db::open(location).await.unwrap();
    let token = repo::users::demo_users(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|(me, _)| me.company.id == 1 && me.role == Role::Admin)
        .expect("a demo admin")
        .1;
    let services = repo::services::in_group(&db, 1)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.status == services_model::Status::Active)
        .map(|s| s.id)
        .collect();
    db.close().await;
    (token, services)
}

/// Takes every connection of the pool that reads (token checks, readiness), and gives them back
/// after `how_long` (await the handle for that).
pub async fn hold_readers(
    db: &services_server::db::Db,
    how_long: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    let db = db.clone();
    let (taken, all_taken) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        services_server::with_pool!(&db, read, |pool| {
            // Until none is left (the server keeps some for itself, e.g. its LISTEN connection).
            let mut held = Vec::new();
            while let Ok(Ok(conn)) =
                tokio::time::timeout(std::time::Duration::from_millis(300), pool.acquire()).await
            {
                held.push(conn);
            }
            let _ = taken.send(());
            tokio::time::sleep(how_long).await;
            drop(held);
        })
    });
    let _ = all_taken.await;
    task
}
