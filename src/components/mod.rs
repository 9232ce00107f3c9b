mod group_tabs;
mod load_error;
mod service_list;

pub use group_tabs::{tab_id, GroupTabs};
pub use load_error::LoadError;
pub use service_list::ServiceList;
