-- Issue 14: favourites (a star per user and service) and saved views (a named list URL per
-- user). Both go with their user; favourites go with their service.

CREATE TABLE favourites (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, service_id)
) WITHOUT ROWID;
CREATE INDEX favourites_by_service ON favourites (service_id);

CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);
