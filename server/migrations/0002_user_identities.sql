-- Users who sign in with the dashboard's identity provider (JWT): one users row per issuer and
-- subject, created on their first request. Such users have an empty token_hash, so no `pw_`
-- token matches them.

CREATE TABLE user_identities (
    issuer  TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
