//! Where the app lives (see [`services_model::embed::AppConfig`]): standalone, `/api/v1` and the
//! site root; a host that embeds the app sets both when it mounts it. One instance runs per page,
//! so this is page-wide state, set before the app renders.

use services_model::embed::AppConfig;
use std::cell::{Cell, RefCell};

thread_local! {
    static CURRENT: RefCell<AppConfig> = RefCell::new(AppConfig::default());
    static OWNS_PAGE: Cell<bool> = const { Cell::new(true) };
}

/// Whether the app is the whole document (standalone, or in its own iframe), so it may set the
/// document's title. Mounted into a host page, the title is the host's.
pub fn owns_page() -> bool {
    OWNS_PAGE.with(Cell::get)
}

pub fn set_owns_page(owns: bool) {
    OWNS_PAGE.with(|o| o.set(owns));
}

pub fn set(config: AppConfig) {
    CURRENT.with(|c| *c.borrow_mut() = config);
}

pub fn reset() {
    set(AppConfig::default());
    set_owns_page(true);
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
