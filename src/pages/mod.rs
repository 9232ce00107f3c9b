mod services_page;

pub use services_page::ServicesPage;
