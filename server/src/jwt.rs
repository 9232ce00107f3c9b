//! Dashboard sign-in: JWTs signed by the dashboard's identity provider (RS256 or ES256), checked
//! with the `jsonwebtoken` crate against the provider's public keys (a JWKS file, re-read when it
//! changes), the issuer and our audience, with a bounded clock skew. Claims name the user, their
//! company and their role; which claims is configurable ([`ClaimNames`]).

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{decode, decode_header, errors::ErrorKind, Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use services_model::Role;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// The largest clock skew `--jwt-leeway-secs` accepts.
pub const MAX_LEEWAY_SECS: u64 = 300;
/// Longer tokens are refused before any parsing.
pub const MAX_TOKEN_LENGTH: usize = 8 * 1024;

/// Which claims carry what. Defaults: `sub`, `company_id`, `role`, `name`, `email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimNames {
    /// The user's stable id at the provider (with the issuer, it names one user here).
    pub subject: String,
    /// The company (tenant) id: a number, or a string of digits.
    pub company: String,
    /// One of `admin`, `manager`, `user`, `read_only` (`read-only` also reads).
    pub role: String,
    /// Display name (optional; the email or the subject stand in).
    pub name: String,
    /// Email address (optional).
    pub email: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        ClaimNames {
            subject: "sub".into(),
            company: "company_id".into(),
            role: "role".into(),
            name: "name".into(),
            email: "email".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct JwtSettings {
    /// The identity provider's public keys: a JSON Web Key Set (`{"keys": [...]}`).
    pub jwks_file: PathBuf,
    /// The `iss` every token must carry.
    pub issuer: String,
    /// A value the token's `aud` must contain.
    pub audience: String,
    /// Clock skew allowed on `exp` and `nbf`, at most [`MAX_LEEWAY_SECS`].
    pub leeway_secs: u64,
    pub claims: ClaimNames,
}

/// Who a valid token says the caller is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub company_id: u64,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
}

struct Key {
    id: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
}

struct KeySet {
    keys: Vec<Key>,
    modified: Option<SystemTime>,
}

pub struct JwtVerifier {
    settings: JwtSettings,
    keys: RwLock<KeySet>,
}

/// The algorithm a JWK is for, when it is one we accept for signatures.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    match (&jwk.common.key_algorithm, &jwk.algorithm) {
        (Some(KeyAlgorithm::RS256), AlgorithmParameters::RSA(_)) => Some(Algorithm::RS256),
        (Some(KeyAlgorithm::ES256), AlgorithmParameters::EllipticCurve(ec))
            if ec.curve == EllipticCurve::P256 =>
        {
            Some(Algorithm::ES256)
        }
        (None, AlgorithmParameters::RSA(_)) => Some(Algorithm::RS256),
        (None, AlgorithmParameters::EllipticCurve(ec)) if ec.curve == EllipticCurve::P256 => {
            Some(Algorithm::ES256)
        }
        _ => None,
    }
}

fn load_keys(settings: &JwtSettings) -> Result<KeySet, String> {
    let path = &settings.jwks_file;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the JWKS file {}: {e}", path.display()))?;
    let set: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let entries = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{} has no \"keys\" array (a JWKS)", path.display()))?;
    let mut keys = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let jwk = match serde_json::from_value::<Jwk>(entry.clone()) {
            Ok(jwk) => jwk,
            Err(e) => {
                tracing::warn!(index, error = %e, "skipping a JWKS entry that is not a JWK");
                continue;
            }
        };
        let Some(algorithm) = algorithm_of(&jwk) else {
            tracing::warn!(
                index,
                "skipping a JWKS key that is not an RS256 or ES256 signing key"
            );
            continue;
        };
        match DecodingKey::from_jwk(&jwk) {
            Ok(key) => keys.push(Key {
                id: jwk.common.key_id.clone(),
                algorithm,
                key,
            }),
            Err(e) => tracing::warn!(index, error = %e, "skipping an unusable JWKS key"),
        }
    }
    if keys.is_empty() {
        return Err(format!(
            "{} has no RS256 or ES256 signing key",
            path.display()
        ));
    }
    Ok(KeySet { keys, modified })
}

/// Why a token was refused, in words a user or operator can act on.
fn refusal(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired".into(),
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
        ErrorKind::InvalidIssuer => "the token comes from another issuer".into(),
        ErrorKind::InvalidAudience => "the token is meant for another audience".into(),
        ErrorKind::InvalidSignature => "the token's signature does not match".into(),
        ErrorKind::InvalidAlgorithm => "the token's algorithm does not match its key".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the token has no \"{claim}\" claim"),
        ErrorKind::InvalidClaimFormat(claim) => {
            format!("the token's \"{claim}\" claim is malformed")
        }
        _ => "the token is not a valid JWT".into(),
    }
}

fn text_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Display text from a claim: no control characters, at most `limit` characters.
fn clean(text: &str, limit: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(limit)
        .collect::<String>()
        .trim()
        .to_string()
}

impl JwtVerifier {
    /// Reads the keys; fails when the file is unreadable or holds no usable key.
    pub fn new(settings: JwtSettings) -> Result<JwtVerifier, String> {
        if settings.issuer.trim().is_empty() || settings.audience.trim().is_empty() {
            return Err("JWT sign-in needs --jwt-issuer and --jwt-audience".into());
        }
        if settings.leeway_secs > MAX_LEEWAY_SECS {
            return Err(format!(
                "--jwt-leeway-secs must be at most {MAX_LEEWAY_SECS}, not {}",
                settings.leeway_secs
            ));
        }
        let keys = load_keys(&settings)?;
        Ok(JwtVerifier {
            settings,
            keys: RwLock::new(keys),
        })
    }

    pub fn settings(&self) -> &JwtSettings {
        &self.settings
    }

    /// Re-reads the JWKS file when its modification time changed (key rotation). A file that
    /// became unreadable or empty keeps the keys already loaded. Returns whether keys changed.
    pub fn reload_if_changed(&self) -> bool {
        let modified = std::fs::metadata(&self.settings.jwks_file)
            .and_then(|m| m.modified())
            .ok();
        let current = self.keys.read().unwrap_or_else(|p| p.into_inner()).modified;
        if modified.is_none() || modified == current {
            return false;
        }
        match load_keys(&self.settings) {
            Ok(keys) => {
                tracing::info!(count = keys.keys.len(), "reloaded the JWKS");
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
                true
            }
            Err(error) => {
                tracing::error!(%error, "keeping the previous JWKS keys");
                false
            }
        }
    }

    /// Checks the JWKS file for changes every `every`.
    pub fn spawn_reload(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let verifier = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let verifier = verifier.clone();
                let _ = tokio::task::spawn_blocking(move || verifier.reload_if_changed()).await;
            }
        })
    }

    /// The identity a token proves, or why it proves none.
    pub fn verify(&self, token: &str) -> Result<Identity, String> {
        if token.len() > MAX_TOKEN_LENGTH {
            return Err("the token is too long".into());
        }
        let header = decode_header(token).map_err(|e| refusal(e.kind()))?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(format!(
                "tokens signed with {:?} are not accepted (only RS256 and ES256)",
                header.alg
            ));
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = self.settings.leeway_secs;
        validation.validate_nbf = true;
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let candidates = keys.keys.iter().filter(|k| {
            k.algorithm == header.alg
                && match (&header.kid, &k.id) {
                    (Some(wanted), Some(id)) => wanted == id,
                    (Some(_), None) => true,
                    (None, _) => true,
                }
        });
        let mut tried = false;
        for key in candidates {
            tried = true;
            match decode::<Map<String, Value>>(token, &key.key, &validation) {
                Ok(data) => return self.identity(&data.claims),
                Err(e) if matches!(e.kind(), ErrorKind::InvalidSignature) => continue,
                Err(e) => return Err(refusal(e.kind())),
            }
        }
        Err(if tried {
            refusal(&ErrorKind::InvalidSignature)
        } else {
            "the token is signed with a key this server does not know".into()
        })
    }

    fn identity(&self, claims: &Map<String, Value>) -> Result<Identity, String> {
        let names = &self.settings.claims;
        let issuer = text_claim(claims, "iss").unwrap_or_default().to_string();
        let subject = match claims.get(&names.subject) {
            Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 255 => s.trim().into(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(format!(
                    "the token has no usable \"{}\" claim (the user id)",
                    names.subject
                ))
            }
        };
        let company_id = match claims.get(&names.company) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            _ => None,
        }
        .filter(|id| (1..=i64::MAX as u64).contains(id))
        .ok_or_else(|| {
            format!(
                "the token has no usable \"{}\" claim (the company id)",
                names.company
            )
        })?;
        let role_text = text_claim(claims, &names.role)
            .ok_or_else(|| format!("the token has no \"{}\" claim (the role)", names.role))?;
        let role =
            Role::parse(&role_text.to_ascii_lowercase().replace('-', "_")).ok_or_else(|| {
                format!(
                    "the token's role \"{}\" is not one of admin, manager, user, read_only",
                    clean(role_text, 40)
                )
            })?;
        let email = text_claim(claims, &names.email)
            .map(|e| clean(e, 254))
            .filter(|e| e.contains('@'));
        let name = text_claim(claims, &names.name)
            .map(|n| clean(n, 120))
            .filter(|n| !n.is_empty())
            .or_else(|| email.clone())
            .unwrap_or_else(|| clean(&subject, 120));
        Ok(Identity {
            issuer,
            subject,
            company_id,
            role,
            name,
            email,
        })
    }
}

/// Whether a bearer token looks like a JWT (three base64url parts) and is short enough to try.
pub fn looks_like_jwt(token: &str) -> bool {
    token.len() <= MAX_TOKEN_LENGTH
        && token.split('.').count() == 3
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_shapes() {
        assert!(looks_like_jwt("eyJ.eyJ.sig"));
        assert!(
            looks_like_jwt("a.b."),
            "an empty signature still has the shape (alg none)"
        );
        assert!(!looks_like_jwt("pw_1_abc"));
        assert!(!looks_like_jwt("a.b.c.d"));
        assert!(!looks_like_jwt("a.b.c=="));
        assert!(!looks_like_jwt(&format!(
            "{}.b.c",
            "a".repeat(MAX_TOKEN_LENGTH)
        )));
    }

    #[test]
    fn a_missing_or_empty_jwks_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let settings = |file: &str| JwtSettings {
            jwks_file: dir.path().join(file),
            issuer: "https://id.example".into(),
            audience: "services".into(),
            leeway_secs: 30,
            claims: ClaimNames::default(),
        };
        let missing = JwtVerifier::new(settings("none.json")).err().unwrap();
        assert!(missing.contains("cannot read"), "{missing}");
        std::fs::write(
            dir.path().join("empty.json"),
            r#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#,
        )
        .unwrap();
        let empty = JwtVerifier::new(settings("empty.json")).err().unwrap();
        assert!(empty.contains("no RS256 or ES256"), "{empty}");
        let mut skew = settings("empty.json");
        skew.leeway_secs = MAX_LEEWAY_SECS + 1;
        assert!(JwtVerifier::new(skew).err().unwrap().contains("leeway"));
    }

    #[test]
    fn control_characters_never_reach_names() {
        assert_eq!(clean(" Ada\u{0}\u{1b}[31m Morgan ", 120), "Ada[31m Morgan");
        assert_eq!(clean(&"x".repeat(500), 120).len(), 120);
    }
}
