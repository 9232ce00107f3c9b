//! Where a group's services come from: the seam between the store and the server's list.
//!
//! Today every group is fetched whole (`GET /company-groups/{id}/services`) and searched,
//! filtered, counted, sorted and paged in the browser by [`super::ListView`] over the index the
//! cache builds once per load, so typing needs no request. A group too large to hold in the
//! browser would add a variant here that asks the server per query (the same URL state and the
//! same [`services_model::ServiceList`] answer, with `limit`/`offset`), and `ListView` would take
//! its page and facets from that answer instead of from the index.

use crate::api::{self, ApiError, Client};
use services_model::ServiceList;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupSource {
    /// The whole group in one answer, kept and searched locally.
    #[default]
    WholeGroup,
}

impl GroupSource {
    pub async fn fetch(self, client: &Client, group: u64) -> Result<ServiceList, ApiError> {
        match self {
            GroupSource::WholeGroup => api::group_services(client, group).await,
        }
    }
}
