fn main() {
    console_error_panic_hook::set_once();
    // index.html shows a loading line until the app starts, so the page is never blank.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("app-boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(services_list::App);
}
