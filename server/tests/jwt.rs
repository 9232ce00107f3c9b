//! Dashboard sign-in with JWTs: tokens signed with the test keys in `tests/keys/` (RS256 and
//! ES256), checked against a JWKS file, issuer, audience and clock; claims mapped to a user of a
//! company with a role, scoped to that company like any other user.

#[macro_use]
mod common;

use common::{Store, TestDb, TestServer};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};
use services_server::jwt::{ClaimNames, JwtSettings, JwtVerifier};
use std::path::{Path, PathBuf};

const ISSUER: &str = "https://id.patchworks.test/";
const AUDIENCE: &str = "services-list";

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/keys")
            .join(name),
    )
    .unwrap()
}

fn rsa_key() -> EncodingKey {
    EncodingKey::from_rsa_pem(&key_file("rsa-test.pem")).unwrap()
}

fn other_rsa_key() -> EncodingKey {
    EncodingKey::from_rsa_pem(&key_file("rsa-other.pem")).unwrap()
}

fn ec_key() -> EncodingKey {
    EncodingKey::from_ec_pem(&key_file("ec-test.pem")).unwrap()
}

fn jwk(key: &EncodingKey, alg: Algorithm, kid: &str) -> Jwk {
    let mut jwk = Jwk::from_encoding_key(key, alg).unwrap();
    jwk.common.key_id = Some(kid.into());
    jwk
}

/// A JWKS file with the RSA test key (`rsa-1`) and the EC test key (`ec-1`).
fn write_jwks(dir: &Path) -> PathBuf {
    let set = JwkSet {
        keys: vec![
            jwk(&rsa_key(), Algorithm::RS256, "rsa-1"),
            jwk(&ec_key(), Algorithm::ES256, "ec-1"),
        ],
    };
    let file = dir.join("jwks.json");
    std::fs::write(&file, serde_json::to_string(&set).unwrap()).unwrap();
    file
}

fn settings(jwks_file: PathBuf) -> JwtSettings {
    JwtSettings {
        jwks_file,
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_secs: 30,
        claims: ClaimNames::default(),
    }
}

async fn start(store: Store) -> TestServer {
    start_with_claims(store, ClaimNames::default()).await
}

async fn start_with_claims(store: Store, claims: ClaimNames) -> TestServer {
    let db = TestDb::new(store).await;
    let jwks = write_jwks(db.dir.path());
    TestServer::start_in(db, move |c| {
        c.jwt = Some(JwtSettings {
            claims,
            ..settings(jwks)
        })
    })
    .await
}

fn now() -> i64 {
    services_server::clock::now_unix()
}

/// Claims of a valid token for `sub` in `company` with `role`, valid for ten minutes.
fn claims(sub: &str, company: u64, role: &str) -> Value {
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": sub,
        "iat": now(), "exp": now() + 600,
        "company_id": company, "role": role,
        "name": format!("Dashboard user {sub}"), "email": format!("{sub}@dash.example"),
    })
}

fn sign(alg: Algorithm, key: &EncodingKey, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    encode(&header, claims, key).unwrap()
}

fn rs256(claims: &Value) -> String {
    sign(Algorithm::RS256, &rsa_key(), "rsa-1", claims)
}

async fn user_count(t: &TestServer) -> i64 {
    services_server::with_pool!(&t.server.db, read, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
            .unwrap()
    })
}

/// Inserts and updates of `users` since the first call (a trigger counts them).
async fn changes(t: &TestServer) -> i64 {
    let install: &[&str] = match t.db.store() {
        Store::Sqlite => &[
            "CREATE TABLE IF NOT EXISTS test_user_writes (n INTEGER NOT NULL)",
            "INSERT INTO test_user_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM test_user_writes)",
            "CREATE TRIGGER IF NOT EXISTS test_user_inserts AFTER INSERT ON users
             BEGIN UPDATE test_user_writes SET n = n + 1; END",
            "CREATE TRIGGER IF NOT EXISTS test_user_updates AFTER UPDATE ON users
             BEGIN UPDATE test_user_writes SET n = n + 1; END",
        ],
        Store::Postgres => &[
            "CREATE TABLE IF NOT EXISTS test_user_writes (n BIGINT NOT NULL)",
            "INSERT INTO test_user_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM test_user_writes)",
            "CREATE OR REPLACE FUNCTION test_user_write() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN UPDATE test_user_writes SET n = n + 1; RETURN NULL; END $$",
            "CREATE OR REPLACE TRIGGER test_user_writes AFTER INSERT OR UPDATE ON users
             FOR EACH ROW EXECUTE FUNCTION test_user_write()",
        ],
    };
    services_server::with_pool!(&t.server.db, write, |pool| {
        for sql in install {
            sqlx::raw_sql(sqlx::AssertSqlSafe(*sql))
                .execute(pool)
                .await
                .unwrap();
        }
        sqlx::query_scalar("SELECT n FROM test_user_writes")
            .fetch_one(pool)
            .await
            .unwrap()
    })
}

async fn rs256_and_es256_tokens_sign_in_as_a_stable_user_of_their_company(store: Store) {
    let t = start(store).await;
    let before = user_count(&t).await;
    let token = rs256(&claims("auth0|ada", 1, "manager"));
    let me = t.get_as(&token, "/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["role"], "manager");
    assert_eq!(me.body["company"]["id"], 1);
    assert_eq!(me.body["name"], "Dashboard user auth0|ada");
    assert_eq!(me.body["email"], "auth0|ada@dash.example");
    let id = me.body["id"].as_u64().unwrap();
    assert_eq!(
        user_count(&t).await,
        before + 1,
        "a users row for the new identity"
    );

    // A fresh token of the same identity (ES256 this time) is the same user.
    let es = sign(
        Algorithm::ES256,
        &ec_key(),
        "ec-1",
        &claims("auth0|ada", 1, "manager"),
    );
    let again = t.get_as(&es, "/api/v1/me").await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["id"], id);
    assert_eq!(user_count(&t).await, before + 1);

    // A steady stream of requests does no writes.
    let written = changes(&t).await;
    for _ in 0..20 {
        assert_eq!(t.get_as(&token, "/api/v1/company-groups").await.status, 200);
    }
    assert_eq!(
        changes(&t).await,
        written,
        "no database writes for known users"
    );

    // A manager may run a service; the run records who asked.
    let service = t.a_service("active").await;
    let run = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{service}/runs"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.body);
    let run_id = run.body["id"].as_u64().unwrap();
    let requested_by: Option<i64> = services_server::with_pool!(&t.server.db, read, |pool| {
        sqlx::query_scalar("SELECT requested_by FROM runs WHERE id = $1")
            .bind(run_id as i64)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    let requested_by = requested_by.map(|v| v as u64);
    assert_eq!(requested_by, Some(id));

    // The provider's claims change (a promotion, a new name): the user follows them.
    let mut promoted = claims("auth0|ada", 1, "admin");
    promoted["name"] = json!("Ada M.");
    let me = t.get_as(&rs256(&promoted), "/api/v1/me").await;
    assert_eq!(
        (me.body["id"].as_u64(), me.body["role"].as_str()),
        (Some(id), Some("admin"))
    );
    assert_eq!(me.body["name"], "Ada M.");
    t.stop().await;
}

async fn bad_tokens_are_401s_that_say_why(store: Store) {
    let t = start(store).await;
    let expired = {
        let mut c = claims("u1", 1, "admin");
        c["exp"] = json!(now() - 120);
        rs256(&c)
    };
    let within_skew = {
        let mut c = claims("u1", 1, "admin");
        c["exp"] = json!(now() - 10);
        rs256(&c)
    };
    let not_yet = {
        let mut c = claims("u1", 1, "admin");
        c["nbf"] = json!(now() + 600);
        rs256(&c)
    };
    let wrong_audience = {
        let mut c = claims("u1", 1, "admin");
        c["aud"] = json!("another-app");
        rs256(&c)
    };
    let wrong_issuer = {
        let mut c = claims("u1", 1, "admin");
        c["iss"] = json!("https://evil.example/");
        rs256(&c)
    };
    let no_exp = {
        let mut c = claims("u1", 1, "admin");
        c.as_object_mut().unwrap().remove("exp");
        rs256(&c)
    };
    let wrong_key = sign(
        Algorithm::RS256,
        &other_rsa_key(),
        "rsa-1",
        &claims("u1", 1, "admin"),
    );
    let unknown_kid = sign(
        Algorithm::RS256,
        &rsa_key(),
        "rsa-9",
        &claims("u1", 1, "admin"),
    );
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims("u1", 1, "admin"))
    );
    // The RSA public key used as an HMAC secret (algorithm confusion).
    let jwks: Value =
        serde_json::from_str(&std::fs::read_to_string(t.db.dir.path().join("jwks.json")).unwrap())
            .unwrap();
    let public_n = jwks["keys"][0]["n"].as_str().unwrap().to_string();
    let hs256 = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("rsa-1".into());
        encode(
            &header,
            &claims("u1", 1, "admin"),
            &EncodingKey::from_secret(public_n.as_bytes()),
        )
        .unwrap()
    };
    let unknown_role = rs256(&claims("u1", 1, "superuser"));
    let no_role = {
        let mut c = claims("u1", 1, "admin");
        c.as_object_mut().unwrap().remove("role");
        rs256(&c)
    };
    let unknown_company = rs256(&claims("u1", 999, "admin"));
    let no_company = {
        let mut c = claims("u1", 1, "admin");
        c["company_id"] = json!("northwind");
        rs256(&c)
    };
    let tampered = {
        let token = rs256(&claims("u1", 1, "read_only"));
        let parts: Vec<&str> = token.split('.').collect();
        format!(
            "{}.{}.{}",
            parts[0],
            b64(&claims("u1", 1, "admin")),
            parts[2]
        )
    };
    for (token, why) in [
        (&expired, "expired"),
        (&not_yet, "not valid yet"),
        (&wrong_audience, "audience"),
        (&wrong_issuer, "issuer"),
        (&no_exp, "\"exp\""),
        (&wrong_key, "signature"),
        (&tampered, "signature"),
        (&unknown_kid, "does not know"),
        (&alg_none, "not a valid JWT"),
        (&hs256, "only RS256 and ES256"),
        (&unknown_role, "role \"superuser\""),
        (&no_role, "\"role\" claim"),
        (&unknown_company, "company 999 does not exist"),
        (&no_company, "company id"),
    ] {
        let reply = t.get_as(token, "/api/v1/me").await;
        reply.assert_error(401, "unauthorized", why);
    }
    let me = t.get_as(&within_skew, "/api/v1/me").await;
    assert_eq!(
        me.status, 200,
        "a token expired 10 s ago is within the 30 s skew: {}",
        me.body
    );
    let read_only = t
        .get_as(&rs256(&claims("u2", 1, "read-only")), "/api/v1/me")
        .await;
    assert_eq!(read_only.body["role"], "read_only", "{}", read_only.body);
    t.stop().await;
}

async fn jwt_users_see_only_their_company_and_act_only_as_their_role(store: Store) {
    let t = start(store).await;
    let contoso = rs256(&claims("c-admin", 2, "admin"));
    let groups = t.get_as(&contoso, "/api/v1/company-groups").await;
    assert_eq!(groups.status, 200);
    let ids: Vec<u64> = groups.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_u64().unwrap())
        .collect();
    assert!(
        !ids.is_empty() && !ids.contains(&1),
        "Contoso's groups only: {ids:?}"
    );
    t.get_as(&contoso, "/api/v1/company-groups/1/services")
        .await
        .assert_error(404, "not_found", "does not exist");
    let northwind_service = t.a_service("active").await;
    t.get_as(&contoso, &format!("/api/v1/services/{northwind_service}"))
        .await
        .assert_error(404, "not_found", "does not exist");
    let reply = t
        .call(
            Method::DELETE,
            &format!("/api/v1/services/{northwind_service}"),
            Some(&contoso),
            None,
        )
        .await;
    reply.assert_error(404, "not_found", "does not exist");
    assert_eq!(
        t.get(&format!("/api/v1/services/{northwind_service}"))
            .await
            .status,
        200,
        "Northwind's service is still there"
    );

    let viewer = rs256(&claims("n-viewer", 1, "user"));
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{northwind_service}/clone"),
            Some(&viewer),
            None,
        )
        .await;
    reply.assert_error(403, "forbidden", "services:manage");
    t.stop().await;
}

async fn claim_names_are_configurable(store: Store) {
    let t = start_with_claims(
        store,
        ClaimNames {
            subject: "uid".into(),
            company: "https://patchworks.example/tenant".into(),
            role: "pw_role".into(),
            name: "display_name".into(),
            email: "mail".into(),
        },
    )
    .await;
    let token = rs256(&json!({
        "iss": ISSUER, "aud": [AUDIENCE, "other"], "exp": now() + 600,
        "uid": 4711, "https://patchworks.example/tenant": "2", "pw_role": "Manager",
        "display_name": "Grace from the dashboard", "mail": "grace@dash.example",
    }));
    let me = t.get_as(&token, "/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["company"]["id"], 2);
    assert_eq!(me.body["role"], "manager");
    assert_eq!(me.body["name"], "Grace from the dashboard");
    assert_eq!(me.body["email"], "grace@dash.example");
    // The default claim names mean nothing to this server.
    t.get_as(&rs256(&claims("x", 1, "admin")), "/api/v1/me")
        .await
        .assert_error(401, "unauthorized", "\"uid\" claim");
    t.stop().await;
}

async fn without_a_jwks_jwts_are_refused_and_database_tokens_keep_working(store: Store) {
    let t = TestServer::start(store).await;
    t.get_as(&rs256(&claims("u1", 1, "admin")), "/api/v1/me")
        .await
        .assert_error(401, "unauthorized", "does not accept");
    assert_eq!(t.get("/api/v1/me").await.status, 200);
    t.stop().await;

    let t = start(store).await;
    assert_eq!(
        t.get("/api/v1/me").await.status,
        200,
        "pw_ tokens next to JWTs"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_rotated_jwks_file_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_jwks(dir.path());
    let verifier = JwtVerifier::new(settings(file.clone())).unwrap();
    let rotated = sign(
        Algorithm::RS256,
        &other_rsa_key(),
        "rsa-2",
        &claims("u1", 1, "admin"),
    );
    assert!(verifier.verify(&rotated).is_err());
    assert!(
        !verifier.reload_if_changed(),
        "unchanged file, nothing to do"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let set = JwkSet {
        keys: vec![jwk(&other_rsa_key(), Algorithm::RS256, "rsa-2")],
    };
    std::fs::write(&file, serde_json::to_string(&set).unwrap()).unwrap();
    assert!(verifier.reload_if_changed());
    assert_eq!(verifier.verify(&rotated).unwrap().subject, "u1");
    assert!(
        verifier.verify(&rs256(&claims("u1", 1, "admin"))).is_err(),
        "the old key is gone"
    );

    // A broken file keeps the keys that work.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, "{not json").unwrap();
    assert!(!verifier.reload_if_changed());
    assert!(verifier.verify(&rotated).is_ok());
}

#[tokio::test]
async fn a_server_with_an_unusable_jwks_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jwks.json"), r#"{"keys": []}"#).unwrap();
    let mut config =
        services_server::Config::for_tests(dir.path().join("db.sqlite3"), dir.path().join("dist"));
    config.jwt = Some(settings(dir.path().join("jwks.json")));
    let error = services_server::start(config).await.err().expect("refused");
    assert!(error.to_string().contains("no RS256 or ES256"), "{error}");
}

on_both_stores!(
    rs256_and_es256_tokens_sign_in_as_a_stable_user_of_their_company,
    bad_tokens_are_401s_that_say_why,
    jwt_users_see_only_their_company_and_act_only_as_their_role,
    claim_names_are_configurable,
    without_a_jwks_jwts_are_refused_and_database_tokens_keep_working,
);
