//! The services list of a group in SQL: search, filters, sort and a window, with the total and
//! the facet counts, at a cost that depends on the page and the matches, not on the group.
//!
//! - Facets and totals come from counts per (status, source system, source entity): for no
//!   search from `service_counts` (kept by triggers), for a search from one `GROUP BY` over the
//!   matching services. Those counts are cached per group, `list_version` and search words, so
//!   paging, filtering and sorting one search costs one page query.
//! - The page is one query ordered by an index of the sort; SQLite narrows a selective search
//!   with its trigram index (`services_search`) and PostgreSQL plans `search_doc LIKE` on its
//!   `pg_trgm` index. A search word matches exactly as `services_model::ListQuery` says: it
//!   occurs in the id, the type or the lowercased name.

use crate::db::sql::{Arg, Sql};
use crate::db::{Db, DbError, Dialect, RowExt};
use crate::{built_query, with_reader};
use services_model::{
    CompanyGroup, Endpoint, FacetCount, Facets, ListQuery, RunStatus, RunSummary, Service,
    ServiceType, SortDirection, SortKey, Status, Trigger,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How many services have one (status, source system, source entity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combo {
    pub status: Status,
    pub system: String,
    pub entity: String,
    pub n: u64,
}

type CountsKey = (u64, i64, Vec<String>);

/// Counts per group, version and search, shared by all requests of the process.
#[derive(Clone)]
pub struct CountsCache(Arc<quick_cache::sync::Cache<CountsKey, Arc<Vec<Combo>>>>);

impl Default for CountsCache {
    fn default() -> Self {
        CountsCache(Arc::new(quick_cache::sync::Cache::new(512)))
    }
}

impl CountsCache {
    async fn get_or_load(
        &self,
        key: CountsKey,
        load: impl std::future::Future<Output = Result<Vec<Combo>, DbError>>,
    ) -> Result<Arc<Vec<Combo>>, DbError> {
        if let Some(hit) = self.0.get(&key) {
            return Ok(hit);
        }
        let value = Arc::new(load.await?);
        self.0.insert(key, value.clone());
        Ok(value)
    }
}

/// One answer of the list.
pub struct Listing {
    pub group: CompanyGroup,
    /// Services in the group.
    pub group_size: u64,
    /// Services matching the search and filters.
    pub total: u64,
    pub facets: Facets,
    pub items: Vec<(Service, Option<RunSummary>)>,
}

/// The group's services answering `query` (its search, filters and sort; its page is ignored:
/// `limit` and `offset` say which), or `None` if the company has no such group.
pub async fn list(
    db: &Db,
    cache: &CountsCache,
    company_id: u64,
    group_id: u64,
    query: &ListQuery,
    limit: u64,
    offset: u64,
) -> Result<Option<Listing>, DbError> {
    let Some((group, version)) = super::groups::find_versioned(db, company_id, group_id).await?
    else {
        return Ok(None);
    };
    let terms = query.search_terms();
    let all = cache
        .get_or_load((group_id, version, Vec::new()), group_counts(db, group_id))
        .await?;
    let matched = if terms.is_empty() {
        all.clone()
    } else {
        cache
            .get_or_load(
                (group_id, version, terms.clone()),
                search_counts(db, group_id, &terms),
            )
            .await?
    };
    let group_size: u64 = all.iter().map(|c| c.n).sum();
    let searched: u64 = matched.iter().map(|c| c.n).sum();
    let total: u64 = matched
        .iter()
        .filter(|c| passes_filters(query, c))
        .map(|c| c.n)
        .sum();
    let items = if total == 0 || offset >= total || limit == 0 {
        Vec::new()
    } else {
        let narrow = use_search_index(searched, group_size);
        page(db, group_id, query, &terms, narrow, limit, offset).await?
    };
    Ok(Some(Listing {
        group,
        group_size,
        total,
        facets: facets(query, &all, &matched),
        items,
    }))
}

/// Whether a page query starts from SQLite's trigram index: when the search keeps few of the
/// group's services (under 5%); otherwise walking the sort's index and testing each row finds
/// a page sooner.
pub fn use_search_index(searched: u64, group_size: u64) -> bool {
    searched.saturating_mul(20) < group_size
}

fn passes_filters(query: &ListQuery, c: &Combo) -> bool {
    (query.statuses.is_empty() || query.statuses.contains(&c.status))
        && (query.source_systems.is_empty() || query.source_systems.contains(&c.system))
        && (query.source_entities.is_empty() || query.source_entities.contains(&c.entity))
}

/// The facets `ListQuery::facets` computes from services, computed from counts: each value's
/// count under the search and the *other* dimensions' filters; every value of the group and
/// every selected value listed.
pub fn facets(query: &ListQuery, all: &[Combo], matched: &[Combo]) -> Facets {
    let mut statuses: Vec<FacetCount> = Status::ALL
        .iter()
        .map(|s| FacetCount {
            value: s.as_str().to_string(),
            count: 0,
        })
        .collect();
    let mut systems: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entities: BTreeMap<&str, usize> = BTreeMap::new();
    for selected in &query.source_systems {
        systems.insert(selected, 0);
    }
    for selected in &query.source_entities {
        entities.insert(selected, 0);
    }
    for c in all {
        systems.entry(&c.system).or_insert(0);
        entities.entry(&c.entity).or_insert(0);
    }
    for c in matched {
        let n = c.n as usize;
        let status_ok = query.statuses.is_empty() || query.statuses.contains(&c.status);
        let system_ok = query.source_systems.is_empty() || query.source_systems.contains(&c.system);
        let entity_ok =
            query.source_entities.is_empty() || query.source_entities.contains(&c.entity);
        if system_ok && entity_ok {
            if let Some(i) = Status::ALL.iter().position(|s| *s == c.status) {
                statuses[i].count += n;
            }
        }
        if status_ok && entity_ok {
            *systems.entry(&c.system).or_insert(0) += n;
        }
        if status_ok && system_ok {
            *entities.entry(&c.entity).or_insert(0) += n;
        }
    }
    let list = |map: BTreeMap<&str, usize>| {
        map.into_iter()
            .map(|(value, count)| FacetCount {
                value: value.to_string(),
                count,
            })
            .collect()
    };
    Facets {
        statuses,
        source_systems: list(systems),
        source_entities: list(entities),
    }
}

async fn group_counts(db: &Db, group_id: u64) -> Result<Vec<Combo>, DbError> {
    let mut sql = Sql::new(
        "SELECT status, source_system AS system, source_entity AS entity, n
         FROM service_counts WHERE group_id = ",
    );
    sql.bind_int(group_id as i64).push(" AND n > 0");
    load_combos(db, &sql).await
}

async fn search_counts(db: &Db, group_id: u64, terms: &[String]) -> Result<Vec<Combo>, DbError> {
    let mut sql = Sql::new(
        "SELECT s.status AS status, s.source_system AS system, s.source_entity AS entity,
                COUNT(*) AS n
         FROM services s WHERE s.group_id = ",
    );
    sql.bind_int(group_id as i64);
    push_search(&mut sql, db.dialect(), terms, true);
    sql.push(" GROUP BY s.status, s.source_system, s.source_entity");
    load_combos(db, &sql).await
}

async fn load_combos(db: &Db, sql: &Sql) -> Result<Vec<Combo>, DbError> {
    Ok(with_reader!(db, |pool| {
        built_query!(sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| -> Result<Combo, sqlx::Error> {
                Ok(Combo {
                    status: Status::parse(&row.text("status")?)
                        .ok_or_else(|| super::bad_value("status", "status"))?,
                    system: row.text("system")?,
                    entity: row.text("entity")?,
                    n: row.id("n")?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    }))
}

/// Adds the search words' conditions: each must occur in the id, the type or the lowercased
/// name. `narrow` lets SQLite start from its trigram index (words of 3 characters or more).
fn push_search(sql: &mut Sql, dialect: Dialect, terms: &[String], narrow: bool) {
    match dialect {
        Dialect::Sqlite => {
            let indexed: Vec<&String> = terms.iter().filter(|t| t.chars().count() >= 3).collect();
            if narrow && !indexed.is_empty() {
                let phrases: Vec<String> = indexed
                    .iter()
                    .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                    .collect();
                sql.push(
                    " AND s.id IN (SELECT rowid FROM services_search WHERE services_search MATCH ",
                );
                sql.bind_text(&phrases.join(" "));
                sql.push(")");
            }
            for term in terms {
                let n = sql_arg(sql, term);
                sql.push(&format!(
                    " AND (instr(CAST(s.id AS TEXT), ${n}) > 0 OR instr(s.service_type, ${n}) > 0 OR instr(s.name_lower, ${n}) > 0)"
                ));
            }
        }
        Dialect::Postgres => {
            for term in terms {
                let pattern = format!("%{}%", like_escape(term));
                sql.push(" AND s.search_doc LIKE ");
                sql.bind_text(&pattern);
                sql.push(" ESCAPE '\\'");
            }
        }
    }
}

/// Binds `text` without writing its placeholder, for a condition that uses it several times.
fn sql_arg(sql: &mut Sql, text: &str) -> usize {
    sql.args.push(Arg::Text(text.to_string()));
    sql.args.len()
}

/// `text` as a LIKE pattern matching itself literally.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

async fn page(
    db: &Db,
    group_id: u64,
    query: &ListQuery,
    terms: &[String],
    narrow: bool,
    limit: u64,
    offset: u64,
) -> Result<Vec<(Service, Option<RunSummary>)>, DbError> {
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
    };
    sql.push(&format!(" ORDER BY {order} LIMIT "));
    sql.bind_int(limit.min(i64::MAX as u64) as i64);
    sql.push(" OFFSET ");
    sql.bind_int(offset.min(i64::MAX as u64) as i64);
    match db.dialect() {
        Dialect::Sqlite => page_as_json(db, sql, query).await,
        Dialect::Postgres => Ok(with_reader!(db, |pool| {
            built_query!(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| -> Result<_, sqlx::Error> {
                    Ok(PageRow {
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
                    .into_item()?)
                })
                .collect::<Result<Vec<_>, _>>()?
        })),
    }
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
    let json: String = with_reader!(db, |pool| {
        built_query!(sql).fetch_one(pool).await?.text("page")?
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
        };
        Ok((service, last_run))
    }
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_escape("plain"), "plain");
    }
}
