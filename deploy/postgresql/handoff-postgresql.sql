-- Handoff on PostgreSQL (15 or later): grain state, Orleans cluster membership and reminders in one database.
--
-- Apply it once per database, before the first silo starts:
--     psql -v ON_ERROR_STOP=1 -1 -d "$HANDOFF_DB" -f deploy/postgresql/handoff-postgresql.sql
-- or let the host apply it: --Handoff:Server:Storage:ApplySchema=true (see docs/storage.md).
-- Running it again is safe: tables are created only when missing and every stored query is replaced.
--
-- How Orleans uses it. The three ADO.NET providers (Microsoft.Orleans.Persistence.AdoNet, .Clustering.AdoNet and
-- .Reminders.AdoNet) keep no SQL of their own: at start-up they read their statements from the OrleansQuery table,
-- by key, and later run them with named parameters (@Name) and read the result columns by name. This script is our
-- implementation of that contract for Orleans 10.4:
--   * the keys each provider requires (a missing key stops the silo at start-up);
--   * the parameters each statement is given, listed above each group of statements below;
--   * the result columns each statement must return, aliased in double quotes to the names Orleans reads;
--   * the rule for each write: what it returns when it changed a row, and when it did not (a conflict).
-- Our own tables use snake_case names; only OrleansQuery has the name and columns the providers query.
-- Timestamps are timestamptz: Orleans passes UTC DateTime values, which Npgsql writes as timestamptz.

-- Two silos started at once with ApplySchema=true must not create the same table twice: the first one to get here
-- applies the script, the other waits and then finds everything in place. (The lock is held to the end of the
-- transaction: psql -1, or the host's own transaction.)
SELECT pg_advisory_xact_lock(7355608, 1);

-- The version of this schema, checked by the host at start-up.
CREATE TABLE IF NOT EXISTS handoff_schema
(
    version     integer     NOT NULL PRIMARY KEY,
    applied_on  timestamptz NOT NULL DEFAULT now()
);

-- The statements the Orleans providers run, by key. Orleans reads it as "SELECT QueryKey, QueryText FROM OrleansQuery".
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey   varchar(64) NOT NULL PRIMARY KEY,
    QueryText  text        NOT NULL
);


-- =====================================================================================================================
-- Grain state (Microsoft.Orleans.Persistence.AdoNet)
-- =====================================================================================================================

-- One row per grain state. The whole grain identity is the primary key, so that a write can be a single upsert;
-- for that, an absent key extension is stored as '' rather than NULL. The hashes come first: they are what spreads
-- the rows, the strings make the key exact.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    grain_id_hash       integer     NOT NULL,
    grain_type_hash     integer     NOT NULL,
    grain_id_n0         bigint      NOT NULL,
    grain_id_n1         bigint      NOT NULL,
    grain_type          text        NOT NULL,
    grain_id_extension  text        NOT NULL,
    service_id          text        NOT NULL,
    payload             bytea       NULL,       -- NULL once the state is cleared
    modified_on         timestamptz NOT NULL,
    version             integer     NOT NULL,   -- the grain's ETag; 1 on the first write, + 1 on every change
    CONSTRAINT pk_orleans_grain_state PRIMARY KEY
        (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension, service_id)
);

-- A payload over about 2 KB is compressed into TOAST on every write (contacts average about 2.8 KB, inbox pages about
-- 10 KB). lz4 does that for a fraction of the CPU of the default pglz, which took about 6% of the server's CPU in the
-- sustained benchmark (docs/ingest-durability.md). A server built without lz4 keeps pglz. It applies to values written
-- from now on; rows written before keep theirs until their next write. Altered only once: a silo applying the script
-- while others write must not take the table's lock for nothing.
DO $lz4$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))
       AND EXISTS (SELECT 1 FROM pg_attribute
                   WHERE attrelid = 'orleans_grain_state'::regclass AND attname = 'payload' AND attcompression <> 'l') THEN
        ALTER TABLE orleans_grain_state ALTER COLUMN payload SET COMPRESSION lz4;
    END IF;
END
$lz4$;

-- Parameters of the four grain-state statements: @GrainIdHash, @GrainTypeHash (integer), @GrainIdN0, @GrainIdN1
-- (bigint), @GrainTypeString, @GrainIdExtensionString (text, the latter may be NULL), @ServiceId (text); the writes
-- also get @GrainStateVersion (integer, NULL when the grain has never been stored), the write @PayloadBinary (bytea).
-- The writes return one row with NewGrainStateVersion: the new version when the row changed, and otherwise the version
-- the grain sent (or NULL), which Orleans turns into an InconsistentStateException.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_type = @GrainTypeString
  AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
  AND service_id = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- One upsert. A first write (no version) inserts version 1. A later write replaces the payload only when the row still
-- has the version the grain read; PostgreSQL re-checks that condition on the newest row version, so of two concurrent
-- writes with the same version exactly one succeeds. A first write that finds a row, or a stale write, changes nothing.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $sql$
WITH written AS (
    INSERT INTO orleans_grain_state AS stored
        (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension, service_id,
         payload, modified_on, version)
    VALUES
        (@GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, COALESCE(@GrainIdExtensionString, ''),
         @ServiceId, @PayloadBinary, now(), 1)
    ON CONFLICT ON CONSTRAINT pk_orleans_grain_state DO UPDATE
        SET payload = EXCLUDED.payload,
            modified_on = EXCLUDED.modified_on,
            version = stored.version + 1
        WHERE stored.version = @GrainStateVersion
    RETURNING stored.version
)
SELECT COALESCE((SELECT version FROM written), @GrainStateVersion) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Clearing keeps the row (and its version, + 1) with no payload, so that a stale writer still conflicts afterwards.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $sql$
WITH cleared AS (
    UPDATE orleans_grain_state
    SET payload = NULL,
        modified_on = now(),
        version = version + 1
    WHERE grain_id_hash = @GrainIdHash
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString
      AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
      AND service_id = @ServiceId
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT COALESCE((SELECT version FROM cleared), @GrainStateVersion) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Used instead of ClearStorageKey when a storage is configured with DeleteStateOnClear: the row goes.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_grain_state
    WHERE grain_id_hash = @GrainIdHash
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString
      AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
      AND service_id = @ServiceId
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT COALESCE((SELECT version + 1 FROM deleted), @GrainStateVersion) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- =====================================================================================================================
-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet)
-- =====================================================================================================================

-- One row per cluster (Orleans calls the cluster id DeploymentId here). Its version is the membership table's ETag:
-- every change of a member row is made together with version + 1, guarded by the version the silo read.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id  text        NOT NULL PRIMARY KEY,
    version        integer     NOT NULL DEFAULT 0,
    modified_on    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, silo port, generation).
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id    text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address          text        NOT NULL,
    port             integer     NOT NULL,
    generation       integer     NOT NULL,
    silo_name        text        NOT NULL,
    host_name        text        NOT NULL,
    status           integer     NOT NULL,  -- Orleans SiloStatus: 3 Active, 6 Dead, ...
    proxy_port       integer     NOT NULL,  -- the gateway port; 0 when the silo is no gateway
    suspect_times    text        NULL,      -- "silo,time|silo,time" votes, Orleans' own format
    start_time       timestamptz NOT NULL,
    i_am_alive_time  timestamptz NOT NULL,
    CONSTRAINT pk_orleans_membership PRIMARY KEY (deployment_id, address, port, generation)
);

-- Parameters: @DeploymentId (text); a silo is @Address (text), @Port, @Generation (integer); a member row also gets
-- @SiloName, @HostName, @SuspectTimes (text), @Status, @ProxyPort (integer), @StartTime, @IAmAliveTime (timestamptz);
-- @Version (integer) is the table version the silo read. The writes return one boolean column: changed or not.

-- Run at every silo start: creates the cluster's version row unless it exists. Returns whether it created it.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING deployment_id
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Reads return the version row, left-joined to the member rows: a cluster with no member still returns its version
-- (with NULL member columns, which Orleans reads as "no entry"). One statement, so version and rows are one snapshot.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $sql$
SELECT v.version          AS "Version",
       m.address          AS "Address",
       m.port             AS "Port",
       m.generation       AS "Generation",
       m.silo_name        AS "SiloName",
       m.host_name        AS "HostName",
       m.status           AS "Status",
       m.proxy_port       AS "ProxyPort",
       m.suspect_times    AS "SuspectTimes",
       m.start_time       AS "StartTime",
       m.i_am_alive_time  AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $sql$
SELECT v.version          AS "Version",
       m.address          AS "Address",
       m.port             AS "Port",
       m.generation       AS "Generation",
       m.silo_name        AS "SiloName",
       m.host_name        AS "HostName",
       m.status           AS "Status",
       m.proxy_port       AS "ProxyPort",
       m.suspect_times    AS "SuspectTimes",
       m.start_time       AS "StartTime",
       m.i_am_alive_time  AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Adds a silo and bumps the table version, both or neither. The version row is updated first: that locks it, and
-- PostgreSQL re-checks "version = @Version" on the newest row, so of two silos that read the same version only one
-- proceeds. The member row is inserted only through that update (FROM bumped); an existing row means no change.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        modified_on = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans_membership
                      WHERE deployment_id = @DeploymentId
                        AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, suspect_times,
         start_time, i_am_alive_time)
    SELECT bumped.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, NULL,
           @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT ON CONSTRAINT pk_orleans_membership DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Changes a silo's status and suspicion votes, with the same version guard as the insert.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        modified_on = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND EXISTS (SELECT 1 FROM orleans_membership
                  WHERE deployment_id = @DeploymentId
                    AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), updated AS (
    UPDATE orleans_membership m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS "Updated";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- The periodic heartbeat. Not a membership change: no version bump.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Where clients connect: active silos that are gateways (@Status is 3, Active).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $sql$
SELECT address     AS "Address",
       proxy_port  AS "ProxyPort",
       generation  AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Removes a whole cluster (its members go with the version row).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version
WHERE deployment_id = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Housekeeping: dead silos not heard of since @IAmAliveTime. Orleans 10.4 prefers the next, per-row statement when it
-- is present and keeps this one as the required fallback.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Removes one dead silo that Orleans found eligible in the rows it read, only if the row is still exactly as read
-- (start time, last heartbeat, votes): a row that changed since is left for the next round.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND suspect_times IS NOT DISTINCT FROM @SuspectTimes;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- =====================================================================================================================
-- Reminders (Microsoft.Orleans.Reminders.AdoNet)
-- =====================================================================================================================

-- One row per reminder of a grain. grain_hash is the grain's uniform hash as a signed integer: each silo reads the
-- reminders of its share of the hash ring.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id     text        NOT NULL,
    grain_id       text        NOT NULL,
    reminder_name  text        NOT NULL,
    start_time     timestamptz NOT NULL,
    period         bigint      NOT NULL,  -- milliseconds
    grain_hash     integer     NOT NULL,
    version        integer     NOT NULL,  -- the reminder's ETag
    CONSTRAINT pk_orleans_reminder PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS ix_orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

-- Parameters: @ServiceId, @GrainId, @ReminderName (text), @StartTime (timestamptz), @Period (milliseconds),
-- @GrainHash, @BeginHash, @EndHash (integer), @Version (integer). Reads return GrainId, ReminderName, StartTime,
-- Period and Version.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- A ring range (@BeginHash, @EndHash]. Orleans uses this statement when BeginHash < EndHash as signed integers ...
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- ... and this one when the range wraps around (BeginHash = EndHash is the whole ring).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Registers or replaces a reminder; returns its new version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder AS stored
    (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT ON CONSTRAINT pk_orleans_reminder DO UPDATE
    SET start_time = EXCLUDED.start_time,
        period = EXCLUDED.period,
        grain_hash = EXCLUDED.grain_hash,
        version = stored.version + 1
RETURNING stored.version AS "Version";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Removes a reminder if it still has the version the caller read; returns whether it did.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- Version 2: the event journal, ingest's durability point. Every accepted event is appended here (a whole batch in
-- one statement) before it is acknowledged; contact grains checkpoint their state now and then and replay their
-- events since the checkpoint on activation. An event id is taken once per tenant: a replayed or retried event is
-- recognised by the unique key. The payload is the event as the contact grain keeps it, in the Orleans binary
-- serializer's format.
CREATE TABLE IF NOT EXISTS handoff_event_journal
(
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL,
    event_id     text        NOT NULL,
    contact_id   text        NOT NULL,
    appended_at  timestamptz NOT NULL,
    payload      bytea       NOT NULL,
    CONSTRAINT handoff_event_journal_event UNIQUE (tenant_id, event_id)
);

-- A contact's replay on activation: its events since its last checkpoint.
CREATE INDEX IF NOT EXISTS handoff_event_journal_contact ON handoff_event_journal (tenant_id, contact_id, appended_at);

-- Pruning: events appended before the dedupe window.
CREATE INDEX IF NOT EXISTS handoff_event_journal_appended ON handoff_event_journal (appended_at);

-- This script's versions. The host refuses to start on a database without them (or with an older one); running the
-- script again brings an older database up to date.
INSERT INTO handoff_schema (version) VALUES (1), (2)
ON CONFLICT (version) DO NOTHING;
