-- LeadRouter store, initial schema (SQL Server). Moments are datetimeoffset(3) written in UTC.
-- Text columns are nvarchar so that string parameters (nvarchar) compare without conversions.

-- Local copy of the Salesforce records LeadRouter reads. No foreign keys between them: the sync
-- brings objects in any order and a row may reference one that is not (yet) synced.
CREATE TABLE users (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    name nvarchar(255) NOT NULL,
    username nvarchar(255) NOT NULL,
    email nvarchar(255) NULL,
    is_active bit NOT NULL,
    manager_id nvarchar(18) NULL,
    user_role_id nvarchar(18) NULL,
    country nvarchar(255) NULL,
    time_zone_sid_key nvarchar(255) NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);

CREATE TABLE queues (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    developer_name nvarchar(255) NOT NULL,
    name nvarchar(255) NOT NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);

CREATE TABLE events (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    subject nvarchar(255) NULL,
    type nvarchar(255) NULL,
    start_date_time datetimeoffset(3) NOT NULL,
    end_date_time datetimeoffset(3) NULL,
    duration_in_minutes int NULL,
    is_all_day_event bit NOT NULL,
    owner_id nvarchar(18) NOT NULL,
    what_id nvarchar(18) NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_events_start_date_time ON events (start_date_time);

CREATE TABLE event_relations (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    event_id nvarchar(18) NOT NULL,
    relation_id nvarchar(18) NOT NULL,
    status nvarchar(255) NULL,
    is_invitee bit NOT NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_event_relations_event_id ON event_relations (event_id);

CREATE TABLE tasks (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    subject nvarchar(255) NULL,
    type nvarchar(255) NULL,
    task_subtype nvarchar(255) NULL,
    status nvarchar(255) NULL,
    is_closed bit NOT NULL,
    owner_id nvarchar(18) NOT NULL,
    created_by_id nvarchar(18) NOT NULL,
    what_id nvarchar(18) NULL,
    who_id nvarchar(18) NULL,
    activity_date date NULL,
    completed_date_time datetimeoffset(3) NULL,
    created_date datetimeoffset(3) NOT NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_tasks_created_date ON tasks (created_date);

CREATE TABLE opportunities (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    owner_id nvarchar(18) NOT NULL,
    stage_name nvarchar(255) NOT NULL,
    is_closed bit NOT NULL,
    close_date date NULL,
    next_step nvarchar(255) NULL,
    last_activity_date date NULL,
    amount decimal(18, 2) NULL,
    next_step_date date NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);

CREATE TABLE opportunity_contact_roles (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    opportunity_id nvarchar(18) NOT NULL,
    contact_id nvarchar(18) NULL,
    role nvarchar(255) NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_opportunity_contact_roles_opportunity_id ON opportunity_contact_roles (opportunity_id);

CREATE TABLE opportunity_history (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    opportunity_id nvarchar(18) NOT NULL,
    close_date date NULL,
    prev_close_date date NULL,
    created_date datetimeoffset(3) NOT NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_opportunity_history_created_date ON opportunity_history (created_date);

CREATE TABLE leads (
    id nvarchar(18) NOT NULL PRIMARY KEY,
    owner_id nvarchar(18) NOT NULL,
    status nvarchar(255) NULL,
    is_converted bit NOT NULL,
    rating nvarchar(255) NULL,
    lead_source nvarchar(255) NULL,
    industry nvarchar(255) NULL,
    annual_revenue decimal(18, 2) NULL,
    number_of_employees int NULL,
    country nvarchar(255) NULL,
    state nvarchar(255) NULL,
    company nvarchar(255) NULL,
    created_date datetimeoffset(3) NOT NULL,
    custom_fields nvarchar(max) NOT NULL,
    is_deleted bit NOT NULL,
    system_modstamp datetimeoffset(3) NOT NULL
);
CREATE INDEX ix_leads_owner_id ON leads (owner_id);

-- How far the sync has read each object: the last SystemModstamp and, among rows sharing it, the last Id.
CREATE TABLE sync_watermarks (
    object_name nvarchar(255) NOT NULL PRIMARY KEY,
    last_system_modstamp datetimeoffset(3) NOT NULL,
    last_id nvarchar(18) NULL,
    updated_at datetimeoffset(3) NOT NULL
);

-- One trust score per rep per ISO week ("2026-W02"); re-scoring a week replaces it.
CREATE TABLE trust_scores (
    rep_id nvarchar(18) NOT NULL,
    week nvarchar(8) NOT NULL,
    as_of datetimeoffset(3) NOT NULL,
    trust float NOT NULL,
    confidence float NOT NULL,
    review_attendance float NOT NULL,
    pipeline_honesty float NOT NULL,
    delegation float NOT NULL,
    selling_activity float NOT NULL,
    evidence nvarchar(max) NOT NULL,
    PRIMARY KEY (rep_id, week)
);
CREATE INDEX ix_trust_scores_week ON trust_scores (week);

CREATE TABLE routing_runs (
    id uniqueidentifier NOT NULL PRIMARY KEY,
    as_of datetimeoffset(3) NOT NULL,
    rules_hash nvarchar(255) NOT NULL,
    policy nvarchar(255) NOT NULL,
    gini float NOT NULL,
    summary nvarchar(max) NOT NULL
);

CREATE TABLE recommendations (
    run_id uniqueidentifier NOT NULL REFERENCES routing_runs (id),
    lead_id nvarchar(18) NOT NULL,
    rep_id nvarchar(18) NULL,
    tier nvarchar(255) NOT NULL,
    mode nvarchar(255) NOT NULL,
    reasons nvarchar(max) NOT NULL,
    status nvarchar(255) NOT NULL CHECK (status IN ('Pending', 'Approved', 'Assigned', 'Skipped')),
    status_reason nvarchar(1000) NULL,
    updated_at datetimeoffset(3) NOT NULL,
    PRIMARY KEY (run_id, lead_id)
);
CREATE INDEX ix_recommendations_status ON recommendations (status);

-- Messages written in the same transaction as the change they announce, published afterwards.
-- position keeps them in write order; locked_until is a publisher's lease on a claimed row.
CREATE TABLE outbox (
    position bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    id uniqueidentifier NOT NULL UNIQUE,
    message_type nvarchar(255) NOT NULL,
    payload nvarchar(max) NOT NULL,
    created_at datetimeoffset(3) NOT NULL,
    sent_at datetimeoffset(3) NULL,
    attempts int NOT NULL DEFAULT 0,
    last_error nvarchar(max) NULL,
    locked_until datetimeoffset(3) NULL
);
CREATE INDEX ix_outbox_unsent ON outbox (position) WHERE sent_at IS NULL;

-- Messages a consumer has handled, so a redelivery is recognised and ignored.
CREATE TABLE processed_messages (
    consumer nvarchar(255) NOT NULL,
    message_id uniqueidentifier NOT NULL,
    processed_at datetimeoffset(3) NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
