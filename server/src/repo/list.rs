//! The services list of a group in SQL: search, filters, sort and a window, with the total and
//! the facet counts, at a cost that depends on the page and the matches, not on the group.
//!
//! - Facets and totals come from counts per (status, source system, source entity): for no
//!   search from `service_counts` (kept by triggers), for a search from one `GROUP BY` over the
//!   matching services. Those counts are cached per group, `list_version` and search words, so
//!   paging, filtering and sorting one search costs one page query.
//! - The Favourites filter and its count come from the counts of the user's favourites under
//!   the search (a `GROUP BY` over their few rows, not cached: starring changes no version).
//! - The page is one query ordered by an index of the sort; SQLite narrows a selective search
//!   with its trigram index (`services_search`) and PostgreSQL plans `search_doc LIKE` on its
//!   `pg_trgm` index. A search word matches exactly as `services_model::ListQuery` says: it
//!   occurs in the id, the type or the lowercased name.

use crate::db::sql::{Arg, Sql};
use crate::db::{Db, DbError, Dialect, RowExt};
use crate::{built_query, with_reader};
use services_model::{CompanyGroup, FacetCount, Facets, ListQuery, RunSummary, Service, Status};
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
/// `limit` and `offset` say which) for `user_id` (whose favourites the Favourites filter
/// keeps), or `None` if the company has no such group.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &Db,
    cache: &CountsCache,
    company_id: u64,
    user_id: u64,
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
    // The favourites (under the "Last run failed" filter when it is on) and the services whose
    // last run failed (only favourites when that filter is on): few rows, not cached.
    let starred = subset_counts(db, group_id, user_id, &terms, true, query.last_run_failed).await?;
    let favourites: u64 = starred
        .iter()
        .filter(|c| passes_filters(query, c))
        .map(|c| c.n)
        .sum();
    let failed = subset_counts(db, group_id, user_id, &terms, query.favourites, true).await?;
    let last_run_failed: u64 = failed
        .iter()
        .filter(|c| passes_filters(query, c))
        .map(|c| c.n)
        .sum();
    let matched = if query.favourites {
        Arc::new(starred)
    } else if query.last_run_failed {
        Arc::new(failed)
    } else {
        matched
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
        let filter = super::page::Window {
            user_id,
            narrow,
            limit,
            offset,
        };
        super::page::page(db, group_id, query, &terms, filter).await?
    };
    Ok(Some(Listing {
        group,
        group_size,
        total,
        facets: Facets {
            favourites: usize::try_from(favourites).unwrap_or(usize::MAX),
            last_run_failed: usize::try_from(last_run_failed).unwrap_or(usize::MAX),
            ..facets(query, &all, &matched)
        },
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
        favourites: 0,
        last_run_failed: 0,
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

/// The counts, under the search, of the user's favourites in the group (`starred`), of the
/// group's services whose last run failed (`failed`), or of both at once. Each starts from
/// its few rows: the user's favourites, or the failed last runs (a partial index).
async fn subset_counts(
    db: &Db,
    group_id: u64,
    user_id: u64,
    terms: &[String],
    starred: bool,
    failed: bool,
) -> Result<Vec<Combo>, DbError> {
    let select = "SELECT s.status AS status, s.source_system AS system, s.source_entity AS entity,
                COUNT(*) AS n ";
    let failed_join = if failed {
        " JOIN service_last_runs l ON l.service_id = s.id AND l.status = 'failed'"
    } else {
        ""
    };
    let mut sql = if starred {
        let mut sql = Sql::new(&format!(
            "{select} FROM favourites f JOIN services s ON s.id = f.service_id{failed_join}
             WHERE f.user_id = "
        ));
        sql.bind_int(user_id as i64).push(" AND s.group_id = ");
        sql
    } else {
        Sql::new(&format!(
            "{select} FROM service_last_runs l JOIN services s ON s.id = l.service_id
             WHERE l.status = 'failed' AND s.group_id = "
        ))
    };
    sql.bind_int(group_id as i64);
    push_search(&mut sql, db.dialect(), terms, false);
    sql.push(" GROUP BY s.status, s.source_system, s.source_entity");
    load_combos(db, &sql).await
}

async fn load_combos(db: &Db, sql: &Sql) -> Result<Vec<Combo>, DbError> {
    Ok(with_reader!(db, |conn| {
        built_query!(sql)
            .fetch_all(&mut *conn)
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
pub(super) fn push_search(sql: &mut Sql, dialect: Dialect, terms: &[String], narrow: bool) {
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

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_escape("plain"), "plain");
    }
}
