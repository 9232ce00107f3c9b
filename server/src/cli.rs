//! Operator commands: set up a real deployment without demo data. Each opens the store given by
//! `--db` (or `SERVICES_DB`), migrating it if needed, and may run while the server runs.
//!
//! ```sh
//! services-server create-company --name "Acme Ltd" --group "Retail UK" --group "Wholesale"
//! services-server create-group --company 1 --name "Marketplaces"
//! services-server issue-token --company 1 --role admin --name "Deploy bot"   # prints it once
//! services-server issue-token --user 4                                        # replaces user 4's
//! services-server import --group 1 services.json
//! services-server generate --group 1 --services 100000                        # load generator
//! ```

use crate::auth::{hash_token, new_token};
use crate::db::{Db, DbError, Location};
use crate::repo;
use crate::repo::services::ServiceRecord;
use crate::repo::users::{NewUser, UserKind};
use clap::{Args, Subcommand};
use serde::Deserialize;
use services_model::{validate_name, Cron, Endpoint, Role, Service, ServiceType, Status, Trigger};
use std::path::PathBuf;

/// The store, for every command.
#[derive(Args, Clone, Debug)]
pub struct DbArg {
    /// A SQLite file (created if missing) or a PostgreSQL URL (postgres://user:pass@host/db).
    #[arg(long, env = "SERVICES_DB", default_value = "data/services.sqlite3")]
    pub db: String,
}

#[derive(Subcommand, Clone, Debug)]
pub enum Command {
    /// Create a company (a tenant) and its company groups.
    CreateCompany {
        #[command(flatten)]
        db: DbArg,
        /// The company's name.
        #[arg(long)]
        name: String,
        /// A company group to create in it; repeat for several.
        #[arg(long = "group")]
        groups: Vec<String>,
    },
    /// Create a company group in an existing company.
    CreateGroup {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        company: u64,
        #[arg(long)]
        name: String,
    },
    /// Issue a bearer token: for a new service account of a company with a role, or a new
    /// token for an existing user (the old one stops working). Printed once; only its hash is
    /// stored.
    IssueToken {
        #[command(flatten)]
        db: DbArg,
        /// Replace this user's token.
        #[arg(long, conflicts_with_all = ["company", "role", "name", "email"])]
        user: Option<u64>,
        /// The company of the new service account.
        #[arg(long, required_unless_present = "user")]
        company: Option<u64>,
        /// admin, manager, user or read-only.
        #[arg(long, required_unless_present = "user", value_parser = parse_role)]
        role: Option<Role>,
        /// What the account is for, e.g. "Deploy bot".
        #[arg(long, required_unless_present = "user")]
        name: Option<String>,
        /// Its address (unique); default: a made-up one under service-accounts.invalid.
        #[arg(long)]
        email: Option<String>,
        /// Print only the token.
        #[arg(long)]
        quiet: bool,
    },
    /// Import services into a company group from a JSON file (an array of services; see the
    /// README). All or nothing: any invalid service stops the import.
    Import {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        group: u64,
        /// The JSON file.
        file: PathBuf,
    },
    /// Fill a company group with generated, realistic services (benchmarks and tests).
    Generate {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        group: u64,
        /// How many services to add.
        #[arg(long)]
        services: u64,
        /// The same seed makes the same services.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Percent of them with a finished run in the last day.
        #[arg(long, default_value_t = 70)]
        runs_percent: u64,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(&text.replace('-', "_"))
        .ok_or_else(|| format!("{text:?} is not a role: use admin, manager, user or read-only"))
}

/// A command's failure, said for an operator.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<DbError> for CliError {
    fn from(e: DbError) -> Self {
        CliError(e.to_string())
    }
}

impl Command {
    fn db(&self) -> &DbArg {
        match self {
            Command::CreateCompany { db, .. }
            | Command::CreateGroup { db, .. }
            | Command::IssueToken { db, .. }
            | Command::Import { db, .. }
            | Command::Generate { db, .. } => db,
        }
    }
}

/// Runs a command; what it prints on success is returned.
pub async fn run(command: &Command) -> Result<String, CliError> {
    let location = Location::parse(&command.db().db);
    let db = Db::open_with(&location, 2)
        .await
        .map_err(|e| CliError(format!("{location}: {e}")))?;
    let result = execute(&db, command).await;
    if result.is_ok() {
        db.optimize().await?;
    }
    db.close().await;
    result
}

async fn execute(db: &Db, command: &Command) -> Result<String, CliError> {
    match command {
        Command::CreateCompany { name, groups, .. } => {
            let name = non_empty(name, "company name")?;
            let mut tx = db.begin().await?;
            let company = repo::users::insert_company(&mut tx, name).await?;
            let mut made = Vec::new();
            for group in groups {
                let group = non_empty(group, "group name")?;
                made.push(format!(
                    "{} \"{group}\"",
                    repo::groups::insert(&mut tx, company, group).await?
                ));
            }
            tx.commit().await?;
            Ok(if made.is_empty() {
                format!("Company {company} \"{name}\" created.")
            } else {
                format!(
                    "Company {company} \"{name}\" created, with groups {}.",
                    made.join(", ")
                )
            })
        }
        Command::CreateGroup { company, name, .. } => {
            let name = non_empty(name, "group name")?;
            let company_name = company_name(db, *company).await?;
            let mut tx = db.begin().await?;
            let id = repo::groups::insert(&mut tx, *company, name).await?;
            tx.commit().await?;
            Ok(format!(
                "Group {id} \"{name}\" created in company {company} \"{company_name}\"."
            ))
        }
        Command::IssueToken {
            user,
            company,
            role,
            name,
            email,
            quiet,
            ..
        } => {
            let (token, what) = match user {
                Some(id) => {
                    let me = repo::users::me(db, *id)
                        .await?
                        .ok_or_else(|| CliError(format!("there is no user {id}")))?;
                    let token = new_token(*id);
                    let mut tx = db.begin().await?;
                    repo::users::set_token_hash(&mut tx, *id, &hash_token(&token)).await?;
                    tx.commit().await?;
                    let what = format!(
                        "New token for user {id} {} ({}, {} of {}); the old one no longer works.",
                        me.name,
                        me.email,
                        me.role.as_str(),
                        me.company.name
                    );
                    (token, what)
                }
                None => {
                    let (Some(company), Some(role), Some(name)) = (company, role, name) else {
                        return Err(CliError(
                            "give --user, or --company, --role and --name".into(),
                        ));
                    };
                    let name = non_empty(name, "name")?;
                    let company_name = company_name(db, *company).await?;
                    let mut tx = db.begin().await?;
                    let placeholder = format!(
                        "pending-{}@service-accounts.invalid",
                        crate::auth::random_hex(8)
                    );
                    let id = repo::users::insert_user(
                        &mut tx,
                        &NewUser {
                            company_id: *company,
                            name,
                            email: email.as_deref().unwrap_or(&placeholder),
                            role: *role,
                            kind: UserKind::ServiceAccount,
                        },
                    )
                    .await
                    .map_err(|e| {
                        if e.is_unique_violation() {
                            CliError(format!(
                                "a user with the email {} exists already",
                                email.as_deref().unwrap_or_default()
                            ))
                        } else {
                            e.into()
                        }
                    })?;
                    if email.is_none() {
                        let address = format!("service-account-{id}@service-accounts.invalid");
                        crate::with_tx!(&mut tx, |conn| {
                            sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
                                .bind(id as i64)
                                .bind(&address)
                                .execute(&mut *conn)
                                .await
                                .map_err(DbError::from)?
                                .rows_affected()
                        });
                    }
                    let token = new_token(id);
                    repo::users::set_token_hash(&mut tx, id, &hash_token(&token)).await?;
                    tx.commit().await?;
                    let what = format!(
                        "Service account {id} \"{name}\" ({}) of company {company} \"{company_name}\".",
                        role.as_str().replace('_', "-")
                    );
                    (token, what)
                }
            };
            Ok(if *quiet {
                token
            } else {
                format!(
                    "{what}\nIts token (shown only this once; send it as `Authorization: Bearer <token>`):\n{token}"
                )
            })
        }
        Command::Import { group, file, .. } => {
            let (_, group_name) = repo::groups::find_any(db, *group)
                .await?
                .ok_or_else(|| CliError(format!("there is no company group {group}")))?;
            let text = std::fs::read_to_string(file)
                .map_err(|e| CliError(format!("{}: {e}", file.display())))?;
            let records = parse_import(&text, *group, &crate::clock::now())
                .map_err(|e| CliError(format!("{}: {e}", file.display())))?;
            if records.is_empty() {
                return Ok(format!(
                    "{} holds no services; nothing imported.",
                    file.display()
                ));
            }
            let mut tx = db.begin().await?;
            let ids = repo::services::insert_many(&mut tx, &records).await?;
            tx.commit().await?;
            repo::meta::compact_search_index(db).await?;
            Ok(format!(
                "Imported {} services into group {group} \"{group_name}\" (ids {}–{}).",
                ids.len(),
                ids.first().copied().unwrap_or_default(),
                ids.last().copied().unwrap_or_default()
            ))
        }
        Command::Generate {
            group,
            services,
            seed,
            runs_percent,
            ..
        } => {
            let made = crate::generate::generate(
                db,
                &crate::generate::Plan {
                    group_id: *group,
                    services: *services,
                    seed: *seed,
                    with_runs: (*runs_percent).min(100),
                    now: crate::clock::now_unix(),
                },
            )
            .await?;
            repo::meta::compact_search_index(db).await?;
            Ok(format!(
                "Generated {services} services in group {group} (ids {}–{}) and {} runs.",
                made.first_id, made.last_id, made.runs
            ))
        }
    }
}

fn non_empty<'a>(text: &'a str, what: &str) -> Result<&'a str, CliError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(CliError(format!(
            "the {what} must be 1–200 characters without control characters"
        )));
    }
    Ok(text)
}

async fn company_name(db: &Db, id: u64) -> Result<String, CliError> {
    repo::users::company_name(db, id)
        .await?
        .ok_or_else(|| CliError(format!("there is no company {id}")))
}

/// One service of an import file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedService {
    name: String,
    #[serde(default = "standard")]
    service_type: ServiceType,
    /// Inactive unless the file says otherwise: imported services don't start by surprise.
    #[serde(default = "inactive")]
    status: Status,
    source: Endpoint,
    destination: Endpoint,
    trigger: Trigger,
    #[serde(default)]
    alerts_enabled: bool,
    #[serde(default)]
    notes: String,
}

fn standard() -> ServiceType {
    ServiceType::Standard
}

fn inactive() -> Status {
    Status::Inactive
}

/// The services of an import file, checked as the API checks them; an error names the service.
pub fn parse_import(text: &str, group_id: u64, now: &str) -> Result<Vec<ServiceRecord>, String> {
    let list: Vec<ImportedService> =
        serde_json::from_str(text).map_err(|e| format!("not a JSON array of services: {e}"))?;
    let systems: Vec<String> = crate::systems::all().into_iter().map(|s| s.name).collect();
    let mut out = Vec::with_capacity(list.len());
    for (index, s) in list.into_iter().enumerate() {
        let at = |problem: String| format!("service {} (\"{}\"): {problem}", index + 1, s.name);
        let name = validate_name(&s.name).map_err(at)?;
        for (side, endpoint) in [("source", &s.source), ("destination", &s.destination)] {
            if !systems.contains(&endpoint.system) {
                return Err(at(format!(
                    "{side} system \"{}\" is not a supported system (GET /api/v1/systems lists them)",
                    endpoint.system
                )));
            }
            if endpoint.entity.trim().is_empty() || endpoint.entity.chars().count() > 120 {
                return Err(at(format!("{side} entity must be 1–120 characters")));
            }
        }
        if let Trigger::Schedule { cron } = &s.trigger {
            Cron::parse(cron).map_err(|e| at(format!("schedule \"{cron}\": {e}")))?;
        }
        if s.notes.chars().count() > 10_000 {
            return Err(at("notes can have at most 10,000 characters".into()));
        }
        out.push(ServiceRecord {
            service: Service {
                id: 0,
                group_id,
                name,
                service_type: s.service_type,
                status: s.status,
                source: s.source,
                destination: s.destination,
                trigger: s.trigger,
                alerts_enabled: s.alerts_enabled,
                created_at: now.to_string(),
                updated_at: now.to_string(),
                health: Default::default(),
            },
            notes: s.notes,
            alert_group_id: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_checked_like_the_api() {
        let good = r#"[{"name": " Orders ", "source": {"system": "Shopify", "entity": "orders"},
            "destination": {"system": "NetSuite", "entity": "sales orders"},
            "trigger": {"kind": "schedule", "cron": "*/15 * * * *"}}]"#;
        let records = parse_import(good, 3, "2026-11-29T00:00:00Z").unwrap();
        assert_eq!(records[0].service.name, "Orders");
        assert_eq!(records[0].service.status, Status::Inactive);
        assert_eq!(records[0].service.group_id, 3);
        let bad_cron = good.replace("*/15 * * * *", "61 * * * *");
        assert!(parse_import(&bad_cron, 3, "x")
            .unwrap_err()
            .contains("service 1"));
        let bad_system = good.replace("\"Shopify\"", "\"Nowhere\"");
        assert!(parse_import(&bad_system, 3, "x")
            .unwrap_err()
            .contains("Nowhere"));
        let unknown_field = good.replace("\"name\"", "\"colour\": 1, \"name\"");
        assert!(parse_import(&unknown_field, 3, "x")
            .unwrap_err()
            .contains("colour"));
        assert!(parse_import("{}", 3, "x")
            .unwrap_err()
            .contains("JSON array"));
    }

    #[test]
    fn the_demo_flows_use_supported_systems() {
        let systems: Vec<String> = crate::systems::all().into_iter().map(|s| s.name).collect();
        for (src, _, dst, _) in crate::seed::FLOWS {
            assert!(systems.contains(&src.to_string()), "{src}");
            assert!(systems.contains(&dst.to_string()), "{dst}");
        }
    }
}
