-- Which process holds each outbox lease (host/pid/random), so a process releases only its own and a
-- restarted one can tell the leases of a process that died; and the leases that keep store-wide work
-- (the sync) to one process at a time across every process sharing the store.
ALTER TABLE outbox ADD COLUMN locked_by TEXT NULL;
CREATE TABLE store_leases (
    name TEXT NOT NULL PRIMARY KEY,
    owner TEXT NULL,
    expires_at TEXT NULL
) STRICT;
INSERT INTO store_leases (name, owner, expires_at) VALUES ('sync', NULL, NULL);
