-- LeadRouter store, initial schema (SQLite). STRICT tables check every value's type.
-- Moments are UTC ISO-8601 text to the millisecond ("2026-01-05T09:30:00.000Z"), dates "yyyy-MM-dd",
-- decimals exact invariant text, booleans 0/1, Guids lower-case text.

-- Local copy of the Salesforce records LeadRouter reads. No foreign keys between them: the sync
-- brings objects in any order and a row may reference one that is not (yet) synced.
CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    email TEXT NULL,
    is_active INTEGER NOT NULL,
    manager_id TEXT NULL,
    user_role_id TEXT NULL,
    country TEXT NULL,
    time_zone_sid_key TEXT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;

CREATE TABLE queues (
    id TEXT NOT NULL PRIMARY KEY,
    developer_name TEXT NOT NULL,
    name TEXT NOT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    id TEXT NOT NULL PRIMARY KEY,
    subject TEXT NULL,
    type TEXT NULL,
    start_date_time TEXT NOT NULL,
    end_date_time TEXT NULL,
    duration_in_minutes INTEGER NULL,
    is_all_day_event INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    what_id TEXT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_events_start_date_time ON events (start_date_time);

CREATE TABLE event_relations (
    id TEXT NOT NULL PRIMARY KEY,
    event_id TEXT NOT NULL,
    relation_id TEXT NOT NULL,
    status TEXT NULL,
    is_invitee INTEGER NOT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_event_relations_event_id ON event_relations (event_id);

CREATE TABLE tasks (
    id TEXT NOT NULL PRIMARY KEY,
    subject TEXT NULL,
    type TEXT NULL,
    task_subtype TEXT NULL,
    status TEXT NULL,
    is_closed INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    created_by_id TEXT NOT NULL,
    what_id TEXT NULL,
    who_id TEXT NULL,
    activity_date TEXT NULL,
    completed_date_time TEXT NULL,
    created_date TEXT NOT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_tasks_created_date ON tasks (created_date);

CREATE TABLE opportunities (
    id TEXT NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL,
    stage_name TEXT NOT NULL,
    is_closed INTEGER NOT NULL,
    close_date TEXT NULL,
    next_step TEXT NULL,
    last_activity_date TEXT NULL,
    amount TEXT NULL,
    next_step_date TEXT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;

CREATE TABLE opportunity_contact_roles (
    id TEXT NOT NULL PRIMARY KEY,
    opportunity_id TEXT NOT NULL,
    contact_id TEXT NULL,
    role TEXT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_opportunity_contact_roles_opportunity_id ON opportunity_contact_roles (opportunity_id);

CREATE TABLE opportunity_history (
    id TEXT NOT NULL PRIMARY KEY,
    opportunity_id TEXT NOT NULL,
    close_date TEXT NULL,
    prev_close_date TEXT NULL,
    created_date TEXT NOT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_opportunity_history_created_date ON opportunity_history (created_date);

CREATE TABLE leads (
    id TEXT NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL,
    status TEXT NULL,
    is_converted INTEGER NOT NULL,
    rating TEXT NULL,
    lead_source TEXT NULL,
    industry TEXT NULL,
    annual_revenue TEXT NULL,
    number_of_employees INTEGER NULL,
    country TEXT NULL,
    state TEXT NULL,
    company TEXT NULL,
    created_date TEXT NOT NULL,
    custom_fields TEXT NOT NULL,
    is_deleted INTEGER NOT NULL,
    system_modstamp TEXT NOT NULL
) STRICT;
CREATE INDEX ix_leads_owner_id ON leads (owner_id);

-- How far the sync has read each object: the last SystemModstamp and, among rows sharing it, the last Id.
CREATE TABLE sync_watermarks (
    object_name TEXT NOT NULL PRIMARY KEY,
    last_system_modstamp TEXT NOT NULL,
    last_id TEXT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- One trust score per rep per ISO week ("2026-W02"); re-scoring a week replaces it.
CREATE TABLE trust_scores (
    rep_id TEXT NOT NULL,
    week TEXT NOT NULL,
    as_of TEXT NOT NULL,
    trust REAL NOT NULL,
    confidence REAL NOT NULL,
    review_attendance REAL NOT NULL,
    pipeline_honesty REAL NOT NULL,
    delegation REAL NOT NULL,
    selling_activity REAL NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (rep_id, week)
) STRICT;
CREATE INDEX ix_trust_scores_week ON trust_scores (week);

CREATE TABLE routing_runs (
    id TEXT NOT NULL PRIMARY KEY,
    as_of TEXT NOT NULL,
    rules_hash TEXT NOT NULL,
    policy TEXT NOT NULL,
    gini REAL NOT NULL,
    summary TEXT NOT NULL
) STRICT;

CREATE TABLE recommendations (
    run_id TEXT NOT NULL REFERENCES routing_runs (id),
    lead_id TEXT NOT NULL,
    rep_id TEXT NULL,
    tier TEXT NOT NULL,
    mode TEXT NOT NULL,
    reasons TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Pending', 'Approved', 'Assigned', 'Skipped')),
    status_reason TEXT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, lead_id)
) STRICT;
CREATE INDEX ix_recommendations_status ON recommendations (status);

-- Messages written in the same transaction as the change they announce, published afterwards.
-- position keeps them in write order; locked_until is a publisher's lease on a claimed row.
CREATE TABLE outbox (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    message_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NULL,
    locked_until TEXT NULL
) STRICT;
CREATE INDEX ix_outbox_unsent ON outbox (position) WHERE sent_at IS NULL;

-- Messages a consumer has handled, so a redelivery is recognised and ignored.
CREATE TABLE processed_messages (
    consumer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (consumer, message_id)
) STRICT;
