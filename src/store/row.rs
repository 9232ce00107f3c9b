use leptos::prelude::*;
use services_model::ServiceSummary;

/// One service's row: its id, which never changes, and a signal of the service as shown, which
/// the store sets when (and only when) that service changes.
#[derive(Clone, Debug)]
pub struct RowHandle {
    pub id: u64,
    pub summary: ArcRwSignal<ServiceSummary>,
}

impl RowHandle {
    /// A row of its own, outside any store (component tests).
    pub fn new(summary: ServiceSummary) -> RowHandle {
        RowHandle {
            id: summary.service.id,
            summary: ArcRwSignal::new(summary),
        }
    }
}

impl PartialEq for RowHandle {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.summary == other.summary
    }
}
