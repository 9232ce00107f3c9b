mod service_page;
mod services_page;
mod sign_in_page;

pub use service_page::ServicePage;
pub use services_page::{list_url, ServicesPage};
pub use sign_in_page::SignInPage;
