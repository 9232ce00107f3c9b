//! A real server on a free port with a temporary SQLite file, and an HTTP client for it.
#![allow(dead_code)]

pub mod binary;
pub mod corpus;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use services_model::Role;
use services_server::{seed, start, Config, Running};

pub struct TestServer {
    pub server: Running,
    pub client: reqwest::Client,
    /// (company id, role, token) of every demo user.
    pub users: Vec<(u64, Role, String)>,
    pub dir: tempfile::TempDir,
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

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(change: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, change).await
    }

    /// Starts (or restarts) a server on the database in `dir`.
    pub async fn start_in(dir: tempfile::TempDir, change: impl FnOnce(&mut Config)) -> TestServer {
        let mut config =
            Config::for_tests(dir.path().join("test.sqlite3"), dir.path().join("dist"));
        change(&mut config);
        let server = start(config).await.expect("server starts");
        let users = server
            .db
            .call(|conn| seed::demo_users(conn))
            .await
            .unwrap()
            .into_iter()
            .map(|(me, token)| (me.company.id, me.role, token))
            .collect();
        TestServer {
            server,
            client: reqwest::Client::new(),
            users,
            dir,
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
        let mut request = self.client.request(method, self.url(path));
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

    /// Waits until a run is no longer queued or running, and returns it.
    pub async fn wait_for_run(&self, service: u64, run: u64) -> Value {
        for _ in 0..200 {
            let runs = self.get(&format!("/api/v1/services/{service}/runs")).await;
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

    pub async fn stop(self) -> tempfile::TempDir {
        self.server.stop().await.unwrap();
        self.dir
    }
}
