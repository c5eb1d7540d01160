-- Which process holds each outbox lease (host/pid/random), so a process releases only its own and a
-- restarted one can tell the leases of a process that died; and the leases that keep store-wide work
-- (the sync) to one process at a time across every process sharing the store.
ALTER TABLE outbox ADD locked_by nvarchar(300) NULL;
CREATE TABLE store_leases (
    name nvarchar(100) NOT NULL PRIMARY KEY,
    owner nvarchar(300) NULL,
    expires_at datetimeoffset(3) NULL
);
INSERT INTO store_leases (name, owner, expires_at) VALUES (N'sync', NULL, NULL);
