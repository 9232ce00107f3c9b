//! How an embedding host places the app: the API's base URL, the router's base path, and which
//! parent origins may hand it a token. Pure functions, so the rules are tested without a browser.

pub const DEFAULT_API_BASE: &str = "/api/v1";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppConfig {
    /// Prefix of every API URL, without a trailing slash: `/api/v1` or `https://api.example/v1`.
    pub api_base: String,
    /// The path the app's routes live under, without a trailing slash; empty at the site root.
    pub base_path: String,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            api_base: DEFAULT_API_BASE.into(),
            base_path: String::new(),
        }
    }
}

impl AppConfig {
    /// The browser URL of an app path such as `/services/7`: what an `<a href>` needs.
    pub fn href(&self, app_path: &str) -> String {
        join(&self.base_path, app_path)
    }

    /// The app path of a browser pathname: the base removed, and `/` for the base itself.
    pub fn app_path(&self, pathname: &str) -> String {
        strip(&self.base_path, pathname)
    }

    /// Checks and normalises what a host passed: `basePath` must be an absolute path and the API
    /// base an absolute path or an http(s) URL. Trailing slashes are dropped.
    pub fn new(api_base: Option<&str>, base_path: Option<&str>) -> Result<AppConfig, String> {
        let api_base = match api_base.map(str::trim).filter(|s| !s.is_empty()) {
            None => DEFAULT_API_BASE.to_string(),
            Some(base)
                if base.starts_with('/')
                    || base.starts_with("https://")
                    || base.starts_with("http://") =>
            {
                base.trim_end_matches('/').to_string()
            }
            Some(base) => {
                return Err(format!(
                    "apiBase must be a path like /api/v1 or an http(s) URL, not {base:?}."
                ))
            }
        };
        let base_path = match base_path.map(str::trim).filter(|s| !s.is_empty()) {
            None => String::new(),
            Some(path) if path.starts_with('/') && !path.contains(['?', '#']) => {
                path.trim_end_matches('/').to_string()
            }
            Some(path) => {
                return Err(format!(
                    "basePath must be an absolute path like /dashboard/services, not {path:?}."
                ))
            }
        };
        Ok(AppConfig {
            api_base,
            base_path,
        })
    }
}

/// Whether a `message` event's origin is one the app may take a token from. Exact match only:
/// `https://dash.example` does not admit `https://dash.example.evil`, and `null` never passes.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    origin != "null" && allowed.iter().any(|a| a.trim_end_matches('/') == origin)
}

fn join(base: &str, app_path: &str) -> String {
    if base.is_empty() {
        return app_path.to_string();
    }
    match app_path {
        "" | "/" => base.to_string(),
        p if p.starts_with('?') => format!("{base}{p}"),
        p if p.starts_with("/?") => format!("{base}{}", &p[1..]),
        p => format!("{base}{p}"),
    }
}

fn strip(base: &str, pathname: &str) -> String {
    let rest = pathname.strip_prefix(base).unwrap_or(pathname);
    if rest.is_empty() {
        "/".into()
    } else {
        rest.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked_and_normalised() {
        let c = AppConfig::new(
            Some("https://api.example/v1/"),
            Some("/dashboard/services/"),
        );
        assert_eq!(
            c,
            Ok(AppConfig {
                api_base: "https://api.example/v1".into(),
                base_path: "/dashboard/services".into()
            })
        );
        assert_eq!(AppConfig::new(None, Some("  ")), Ok(AppConfig::default()));
        assert!(AppConfig::new(Some("api"), None)
            .unwrap_err()
            .contains("apiBase"));
        assert!(AppConfig::new(None, Some("dashboard"))
            .unwrap_err()
            .contains("basePath"));
        assert!(AppConfig::new(None, Some("/x?y")).is_err());
    }

    #[test]
    fn only_listed_origins_may_send_a_token() {
        let allowed = vec![
            "https://dash.example".to_string(),
            "http://localhost:81/".into(),
        ];
        assert!(origin_allowed("https://dash.example", &allowed));
        assert!(origin_allowed("http://localhost:81", &allowed));
        assert!(!origin_allowed("https://dash.example.evil", &allowed));
        assert!(!origin_allowed("http://dash.example", &allowed));
        assert!(!origin_allowed("null", &allowed));
        assert!(!origin_allowed("https://dash.example", &[]));
    }

    #[test]
    fn hrefs_gain_the_base_and_pathnames_lose_it() {
        assert_eq!(join("", "/services/7"), "/services/7");
        assert_eq!(
            join("/d/s", "/services/7?tab=alerts"),
            "/d/s/services/7?tab=alerts"
        );
        assert_eq!(join("/d/s", "/"), "/d/s");
        assert_eq!(join("/d/s", "/?group=3"), "/d/s?group=3");
        assert_eq!(strip("/d/s", "/d/s"), "/");
        assert_eq!(strip("/d/s", "/d/s/services/7"), "/services/7");
        assert_eq!(strip("", "/services/7"), "/services/7");
    }
}
