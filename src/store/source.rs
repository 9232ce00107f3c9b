//! Where a group's services come from: the seam between the store and the server's list.
//!
//! Every group is fetched whole in the lean column format (`GET /company-groups/{id}/services/lean`,
//! [`services_model::LeanView`]: compressed, revalidated by ETag, a fraction of the list JSON) and
//! searched, filtered, counted, sorted and paged in the browser by [`super::ListView`] over the
//! index the cache builds once per load, so typing needs no request. The lean view leaves out what
//! the list doesn't show (the latest run, the next run, the timestamps; the service page loads
//! them).
//!
//! A group larger than the server's lean limit is answered with the `per_query` marker
//! ([`Loaded::PerQuery`]): then [`super::ListView`] asks the server for each view it shows
//! ([`page`]: `GET /company-groups/{id}/services` with the search, filters, sort, `limit` and
//! `offset`), which answers with the page, the total and the facet counts, computed by the
//! database under the same [`ListQuery`] rules.

use crate::api::{self, ApiError, Client};
use services_model::{Facets, LeanMode, ListQuery, Page, ServiceList, ServiceSummary};

/// What a group's load brought.
pub enum Loaded {
    /// Every service of the group, and the ETag of that copy.
    Whole(ServiceList, Option<String>),
    /// The same copy as the one held (its ETag is the held one's).
    Unchanged,
    /// The group is too large to hold: `count` services, to be asked for per view.
    PerQuery { count: u64 },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupSource {
    /// The whole group in one lean answer, kept and searched locally.
    #[default]
    WholeGroup,
}

impl GroupSource {
    /// The group's services; `held` is the ETag of the whole copy held, if any.
    pub async fn fetch(
        self,
        client: &Client,
        group: u64,
        held: Option<String>,
    ) -> Result<Loaded, ApiError> {
        match self {
            GroupSource::WholeGroup => whole_group(client, group, held).await,
        }
    }
}

async fn whole_group(
    client: &Client,
    group: u64,
    held: Option<String>,
) -> Result<Loaded, ApiError> {
    let Some((view, etag)) = api::group_lean(client, group, held.as_deref()).await? else {
        return Ok(Loaded::Unchanged);
    };
    if view.mode == LeanMode::PerQuery {
        return Ok(Loaded::PerQuery { count: view.count });
    }
    let group = view.group.clone();
    let services = match view.into_services() {
        Some(Ok(services)) => services,
        Some(Err(detail)) => return Err(ApiError::Decode(detail)),
        None => Vec::new(),
    };
    let items: Vec<ServiceSummary> = services
        .into_iter()
        .map(|service| ServiceSummary {
            service,
            last_run: None,
            next_run_at: None,
        })
        .collect();
    Ok(Loaded::Whole(
        ServiceList {
            group,
            total: items.len(),
            facets: Facets::default(),
            items,
        },
        etag,
    ))
}

/// One view of a group too large to hold, from the server: the services of `query`'s page, how
/// many match, and the facet counts.
pub async fn page(client: &Client, group: u64, query: &ListQuery) -> Result<ServiceList, ApiError> {
    let size = query.page.size.max(1);
    let offset = u64::from(query.page.number.max(1) - 1) * u64::from(size);
    let filters = ListQuery {
        page: Page::default(),
        ..query.clone()
    }
    .to_query();
    let sep = if filters.is_empty() { "" } else { "&" };
    api::group_page(
        client,
        group,
        &format!("{filters}{sep}limit={size}&offset={offset}"),
    )
    .await
}
