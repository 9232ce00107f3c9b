//! One page of the list: the services matching the filters and search words, in the sort's
//! order, with their last runs.

use super::list::push_search;
use crate::db::sql::Sql;
use crate::db::{Db, DbError, Dialect, RowExt};
use crate::{built_query, with_reader};
use services_model::{
    Endpoint, ListQuery, RunStatus, RunSummary, Service, ServiceType, SortDirection, SortKey,
    Status, Trigger,
};

/// Which page, for whom, and how to search.
pub(super) struct Window {
    /// Whose favourites the Favourites filter keeps.
    pub user_id: u64,
    /// Whether SQLite starts from its trigram index.
    pub narrow: bool,
    pub limit: u64,
    pub offset: u64,
}

pub(super) async fn page(
    db: &Db,
    group_id: u64,
    query: &ListQuery,
    terms: &[String],
    window: Window,
) -> Result<Vec<(Service, Option<RunSummary>)>, DbError> {
    let Window {
        user_id,
        narrow,
        limit,
        offset,
    } = window;
    let mut sql = Sql::new(
        "SELECT s.id, s.group_id, s.name, s.service_type, s.status, s.source_system,
                s.source_entity, s.destination_system, s.destination_entity, s.trigger_kind,
                s.trigger_cron, s.alerts_enabled, s.created_at, s.updated_at,
                l.run_id, l.status AS run_status, l.started_at AS run_started_at,
                l.finished_at AS run_finished_at, l.pulled AS run_pulled, l.pushed AS run_pushed
         FROM services s LEFT JOIN service_last_runs l ON l.service_id = s.id
         WHERE s.group_id = ",
    );
    sql.bind_int(group_id as i64);
    if !query.statuses.is_empty() {
        sql.push(" AND s.status IN ")
            .bind_list(query.statuses.iter().map(|s| s.as_str()));
    }
    if !query.source_systems.is_empty() {
        sql.push(" AND s.source_system IN ")
            .bind_list(query.source_systems.iter().map(String::as_str));
    }
    if !query.source_entities.is_empty() {
        sql.push(" AND s.source_entity IN ")
            .bind_list(query.source_entities.iter().map(String::as_str));
    }
    if query.favourites {
        sql.push(" AND s.id IN (SELECT service_id FROM favourites WHERE user_id = ");
        sql.bind_int(user_id as i64).push(")");
    }
    if query.last_run_failed {
        sql.push(" AND l.status = 'failed'");
    }
    push_search(&mut sql, db.dialect(), terms, narrow);
    let dir = match query.sort.direction {
        SortDirection::Ascending => "ASC",
        SortDirection::Descending => "DESC",
    };
    // The model's order: the key (lowercased text, then as written), then the id ascending.
    let order = match query.sort.key {
        SortKey::Id => format!("s.id {dir}"),
        SortKey::Name => format!("s.name_lower {dir}, s.name {dir}, s.id ASC"),
        SortKey::Status => format!("s.status {dir}, s.id ASC"),
        SortKey::SourceSystem => {
            format!("s.source_system_lower {dir}, s.source_system {dir}, s.id ASC")
        }
        // Services that never ran (no time) last in both directions; the times are RFC 3339
        // UTC in one format, so their text order is their time order ("C" compares bytes).
        SortKey::LastRun => match db.dialect() {
            Dialect::Sqlite => format!(
                "(COALESCE(l.finished_at, l.started_at) IS NULL) ASC, \
                 COALESCE(l.finished_at, l.started_at) {dir}, s.id ASC"
            ),
            Dialect::Postgres => format!(
                "(COALESCE(l.finished_at, l.started_at) IS NULL) ASC, \
                 COALESCE(l.finished_at, l.started_at) COLLATE \"C\" {dir}, s.id ASC"
            ),
        },
    };
    sql.push(&format!(" ORDER BY {order} LIMIT "));
    sql.bind_int(limit.min(i64::MAX as u64) as i64);
    sql.push(" OFFSET ");
    sql.bind_int(offset.min(i64::MAX as u64) as i64);
    let mut items = match db.dialect() {
        Dialect::Sqlite => page_as_json(db, sql, query).await?,
        Dialect::Postgres => with_reader!(db, |conn| {
            built_query!(sql)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|row| -> Result<_, sqlx::Error> {
                    PageRow {
                        id: row.int("id")?,
                        group_id: row.int("group_id")?,
                        name: row.text("name")?,
                        service_type: row.text("service_type")?,
                        status: row.text("status")?,
                        source_system: row.text("source_system")?,
                        source_entity: row.text("source_entity")?,
                        destination_system: row.text("destination_system")?,
                        destination_entity: row.text("destination_entity")?,
                        trigger_kind: row.text("trigger_kind")?,
                        trigger_cron: row.opt_text("trigger_cron")?,
                        alerts_enabled: i64::from(row.flag("alerts_enabled")?),
                        created_at: row.text("created_at")?,
                        updated_at: row.text("updated_at")?,
                        run_id: row.opt_int("run_id")?,
                        run_status: row.opt_text("run_status")?,
                        run_started_at: row.opt_text("run_started_at")?,
                        run_finished_at: row.opt_text("run_finished_at")?,
                        run_pulled: row.opt_int("run_pulled")?,
                        run_pushed: row.opt_int("run_pushed")?,
                    }
                    .into_item()
                })
                .collect::<Result<Vec<_>, _>>()?
        }),
    };
    with_health(db, &mut items).await?;
    Ok(items)
}

/// Each row's health: its last run's outcome and time, and its failed runs in the last 24
/// hours, counted for this page's services only.
async fn with_health(db: &Db, items: &mut [(Service, Option<RunSummary>)]) -> Result<(), DbError> {
    let ids: Vec<u64> = items.iter().map(|(s, _)| s.id).collect();
    let since = super::health::window_start(crate::clock::now_unix());
    let failed = super::health::failed_since(db, &ids, &since).await?;
    for (service, last_run) in items.iter_mut() {
        let n = failed.get(&service.id).copied().unwrap_or(0);
        service.health = super::health::from_last_run(last_run.as_ref(), n);
    }
    Ok(())
}

/// SQLite hands a page over as one JSON array (`json_group_array`) instead of one message per
/// row and value from its connection thread: a fraction of the copies, allocations and thread
/// switches. The rows are put back in the query's order, which SQLite's aggregate does not
/// promise to keep.
async fn page_as_json(
    db: &Db,
    inner: Sql,
    query: &ListQuery,
) -> Result<Vec<(Service, Option<RunSummary>)>, DbError> {
    let sql = Sql {
        text: format!(
            "SELECT json_group_array(json_array(id, group_id, name, service_type, status,
                 source_system, source_entity, destination_system, destination_entity,
                 trigger_kind, trigger_cron, alerts_enabled, created_at, updated_at, run_id,
                 run_status, run_started_at, run_finished_at, run_pulled, run_pushed)) AS page
             FROM ({})",
            inner.text
        ),
        args: inner.args,
    };
    let json: String = with_reader!(db, |conn| {
        built_query!(sql)
            .fetch_one(&mut *conn)
            .await?
            .text("page")?
    });
    let rows: Vec<PageRow> = serde_json::from_str(&json)
        .map_err(|e| DbError::Unusable(format!("a page of the list did not parse: {e}")))?;
    let mut items = rows
        .into_iter()
        .map(PageRow::into_item)
        .collect::<Result<Vec<_>, _>>()?;
    let rank: std::collections::HashMap<u64, usize> = {
        let mut refs: Vec<&Service> = items.iter().map(|(s, _)| s).collect();
        query.sort_services(&mut refs);
        refs.iter().enumerate().map(|(i, s)| (s.id, i)).collect()
    };
    items.sort_by_key(|(s, _)| rank.get(&s.id).copied());
    Ok(items)
}

/// One row of a page, as the query selects it (deserialised from SQLite's JSON array too).
#[derive(serde::Deserialize)]
struct PageRow {
    id: i64,
    group_id: i64,
    name: String,
    service_type: String,
    status: String,
    source_system: String,
    source_entity: String,
    destination_system: String,
    destination_entity: String,
    trigger_kind: String,
    trigger_cron: Option<String>,
    alerts_enabled: i64,
    created_at: String,
    updated_at: String,
    run_id: Option<i64>,
    run_status: Option<String>,
    run_started_at: Option<String>,
    run_finished_at: Option<String>,
    run_pulled: Option<i64>,
    run_pushed: Option<i64>,
}

impl PageRow {
    fn into_item(self) -> Result<(Service, Option<RunSummary>), sqlx::Error> {
        let trigger = match (self.trigger_kind.as_str(), self.trigger_cron) {
            ("schedule", Some(cron)) => Trigger::Schedule { cron },
            ("webhook", _) => Trigger::Webhook,
            _ => return Err(super::bad_value("trigger_kind", "trigger kind")),
        };
        let last_run = match (self.run_id, self.run_status) {
            (Some(id), Some(status)) => Some(RunSummary {
                id: id.max(0) as u64,
                status: RunStatus::parse(&status)
                    .ok_or_else(|| super::bad_value("run_status", "run status"))?,
                started_at: self.run_started_at,
                finished_at: self.run_finished_at,
                pulled: self.run_pulled.unwrap_or(0).max(0) as u64,
                pushed: self.run_pushed.unwrap_or(0).max(0) as u64,
            }),
            _ => None,
        };
        let service = Service {
            id: self.id.max(0) as u64,
            group_id: self.group_id.max(0) as u64,
            name: self.name,
            service_type: ServiceType::parse(&self.service_type)
                .ok_or_else(|| super::bad_value("service_type", "service type"))?,
            status: Status::parse(&self.status)
                .ok_or_else(|| super::bad_value("status", "status"))?,
            source: Endpoint::new(self.source_system, self.source_entity),
            destination: Endpoint::new(self.destination_system, self.destination_entity),
            trigger,
            alerts_enabled: self.alerts_enabled != 0,
            created_at: self.created_at,
            updated_at: self.updated_at,
            // The failed-run count is added for the whole page at once (`with_health`).
            health: super::health::from_last_run(last_run.as_ref(), 0),
        };
        Ok((service, last_run))
    }
}
