mod services_page;
mod sign_in_page;

pub use services_page::ServicesPage;
pub use sign_in_page::SignInPage;
