-- LeadRouter store, initial schema (PostgreSQL). Moments are timestamptz written in UTC to the millisecond.

-- Local copy of the Salesforce records LeadRouter reads. No foreign keys between them: the sync
-- brings objects in any order and a row may reference one that is not (yet) synced.
CREATE TABLE users (
    id varchar(18) NOT NULL PRIMARY KEY,
    name text NOT NULL,
    username text NOT NULL,
    email text NULL,
    is_active boolean NOT NULL,
    manager_id varchar(18) NULL,
    user_role_id varchar(18) NULL,
    country text NULL,
    time_zone_sid_key text NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);

CREATE TABLE queues (
    id varchar(18) NOT NULL PRIMARY KEY,
    developer_name text NOT NULL,
    name text NOT NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);

CREATE TABLE events (
    id varchar(18) NOT NULL PRIMARY KEY,
    subject text NULL,
    type text NULL,
    start_date_time timestamptz NOT NULL,
    end_date_time timestamptz NULL,
    duration_in_minutes integer NULL,
    is_all_day_event boolean NOT NULL,
    owner_id varchar(18) NOT NULL,
    what_id varchar(18) NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_events_start_date_time ON events (start_date_time);

CREATE TABLE event_relations (
    id varchar(18) NOT NULL PRIMARY KEY,
    event_id varchar(18) NOT NULL,
    relation_id varchar(18) NOT NULL,
    status text NULL,
    is_invitee boolean NOT NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_event_relations_event_id ON event_relations (event_id);

CREATE TABLE tasks (
    id varchar(18) NOT NULL PRIMARY KEY,
    subject text NULL,
    type text NULL,
    task_subtype text NULL,
    status text NULL,
    is_closed boolean NOT NULL,
    owner_id varchar(18) NOT NULL,
    created_by_id varchar(18) NOT NULL,
    what_id varchar(18) NULL,
    who_id varchar(18) NULL,
    activity_date date NULL,
    completed_date_time timestamptz NULL,
    created_date timestamptz NOT NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_tasks_created_date ON tasks (created_date);

CREATE TABLE opportunities (
    id varchar(18) NOT NULL PRIMARY KEY,
    owner_id varchar(18) NOT NULL,
    stage_name text NOT NULL,
    is_closed boolean NOT NULL,
    close_date date NULL,
    next_step text NULL,
    last_activity_date date NULL,
    amount numeric(18, 2) NULL,
    next_step_date date NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);

CREATE TABLE opportunity_contact_roles (
    id varchar(18) NOT NULL PRIMARY KEY,
    opportunity_id varchar(18) NOT NULL,
    contact_id varchar(18) NULL,
    role text NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_opportunity_contact_roles_opportunity_id ON opportunity_contact_roles (opportunity_id);

CREATE TABLE opportunity_history (
    id varchar(18) NOT NULL PRIMARY KEY,
    opportunity_id varchar(18) NOT NULL,
    close_date date NULL,
    prev_close_date date NULL,
    created_date timestamptz NOT NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_opportunity_history_created_date ON opportunity_history (created_date);

CREATE TABLE leads (
    id varchar(18) NOT NULL PRIMARY KEY,
    owner_id varchar(18) NOT NULL,
    status text NULL,
    is_converted boolean NOT NULL,
    rating text NULL,
    lead_source text NULL,
    industry text NULL,
    annual_revenue numeric(18, 2) NULL,
    number_of_employees integer NULL,
    country text NULL,
    state text NULL,
    company text NULL,
    created_date timestamptz NOT NULL,
    custom_fields text NOT NULL,
    is_deleted boolean NOT NULL,
    system_modstamp timestamptz NOT NULL
);
CREATE INDEX ix_leads_owner_id ON leads (owner_id);

-- How far the sync has read each object: the last SystemModstamp and, among rows sharing it, the last Id.
CREATE TABLE sync_watermarks (
    object_name text NOT NULL PRIMARY KEY,
    last_system_modstamp timestamptz NOT NULL,
    last_id varchar(18) NULL,
    updated_at timestamptz NOT NULL
);

-- One trust score per rep per ISO week ("2026-W02"); re-scoring a week replaces it.
CREATE TABLE trust_scores (
    rep_id varchar(18) NOT NULL,
    week varchar(8) NOT NULL,
    as_of timestamptz NOT NULL,
    trust double precision NOT NULL,
    confidence double precision NOT NULL,
    review_attendance double precision NOT NULL,
    pipeline_honesty double precision NOT NULL,
    delegation double precision NOT NULL,
    selling_activity double precision NOT NULL,
    evidence text NOT NULL,
    PRIMARY KEY (rep_id, week)
);
CREATE INDEX ix_trust_scores_week ON trust_scores (week);

CREATE TABLE routing_runs (
    id uuid NOT NULL PRIMARY KEY,
    as_of timestamptz NOT NULL,
    rules_hash text NOT NULL,
    policy text NOT NULL,
    gini double precision NOT NULL,
    summary text NOT NULL
);

CREATE TABLE recommendations (
    run_id uuid NOT NULL REFERENCES routing_runs (id),
    lead_id varchar(18) NOT NULL,
    rep_id varchar(18) NULL,
    tier text NOT NULL,
    mode text NOT NULL,
    reasons text NOT NULL,
    status text NOT NULL CHECK (status IN ('Pending', 'Approved', 'Assigned', 'Skipped')),
    status_reason text NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, lead_id)
);
CREATE INDEX ix_recommendations_status ON recommendations (status);

-- Messages written in the same transaction as the change they announce, published afterwards.
-- position keeps them in write order; locked_until is a publisher's lease on a claimed row.
CREATE TABLE outbox (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    message_type text NOT NULL,
    payload text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text NULL,
    locked_until timestamptz NULL
);
CREATE INDEX ix_outbox_unsent ON outbox (position) WHERE sent_at IS NULL;

-- Messages a consumer has handled, so a redelivery is recognised and ignored.
CREATE TABLE processed_messages (
    consumer text NOT NULL,
    message_id uuid NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
