//! Where the app lives (see [`services_model::embed::AppConfig`]): standalone, `/api/v1` and the
//! site root; a host that embeds the app sets both when it mounts it. One instance runs per page,
//! so this is page-wide state, set before the app renders.

use services_model::embed::AppConfig;
use std::cell::RefCell;

thread_local! {
    static CURRENT: RefCell<AppConfig> = RefCell::new(AppConfig::default());
}

pub fn set(config: AppConfig) {
    CURRENT.with(|c| *c.borrow_mut() = config);
}

pub fn reset() {
    set(AppConfig::default());
}

pub fn api_base() -> String {
    CURRENT.with(|c| c.borrow().api_base.clone())
}

pub fn base_path() -> String {
    CURRENT.with(|c| c.borrow().base_path.clone())
}

/// The browser URL of an app path such as `/services/7`: what an `<a href>` needs. (The router's
/// `navigate` adds the base itself, so it takes app paths.)
pub fn href(app_path: &str) -> String {
    CURRENT.with(|c| c.borrow().href(app_path))
}

/// The app path of a browser pathname: the base removed, and `/` for the base itself.
pub fn app_path(pathname: &str) -> String {
    CURRENT.with(|c| c.borrow().app_path(pathname))
}
