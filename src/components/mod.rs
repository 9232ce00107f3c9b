mod account_bar;
mod demo_user_list;
mod group_tabs;
mod load_error;
mod service_list;

pub use account_bar::AccountBar;
pub use demo_user_list::DemoUserList;
pub use group_tabs::{tab_id, GroupTabs};
pub use load_error::LoadError;
pub use service_list::ServiceList;
