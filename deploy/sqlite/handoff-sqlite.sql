-- Handoff on SQLite: the embedded, single-silo store.
-- Applied by the host on first start when the database file has no schema yet (see docs/storage.md).
-- Orleans ADO.NET grain storage reads its three statements from OrleansQuery and runs them with these
-- parameters: @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary.
-- Its contract: the write and clear statements return NewGrainStateVersion, the new version when the row changed,
-- and the version the grain sent when it did not (which Orleans reports as a conflict).

CREATE TABLE HandoffSchema
(
    Version    INTEGER NOT NULL,
    AppliedOn  TEXT    NOT NULL
);

CREATE TABLE OrleansQuery
(
    QueryKey   TEXT NOT NULL PRIMARY KEY,
    QueryText  TEXT NOT NULL
);

-- One row per grain state. GrainIdExtensionString is never NULL here (an absent extension is stored as ''),
-- so that the whole identity can be one UNIQUE key and a write can be a single upsert.
CREATE TABLE OrleansStorage
(
    GrainIdHash             INTEGER NOT NULL,
    GrainIdN0               INTEGER NOT NULL,
    GrainIdN1               INTEGER NOT NULL,
    GrainTypeHash           INTEGER NOT NULL,
    GrainTypeString         TEXT    NOT NULL,
    GrainIdExtensionString  TEXT    NOT NULL,
    ServiceId               TEXT    NOT NULL,
    PayloadBinary           BLOB    NULL,
    ModifiedOn              TEXT    NOT NULL,
    Version                 INTEGER NOT NULL,
    CONSTRAINT UQ_OrleansStorage_Grain UNIQUE
        (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId;
');

-- A first write (no version) inserts version 1; a later write updates only the version it read.
-- A first write that finds a row, or a write with a stale version, changes nothing and returns the sent version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
VALUES
    (@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, IFNULL(@GrainIdExtensionString, ''''), @ServiceId,
     @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
DO UPDATE SET
    PayloadBinary = excluded.PayloadBinary,
    ModifiedOn = excluded.ModifiedOn,
    Version = OrleansStorage.Version + 1
WHERE OrleansStorage.Version = @GrainStateVersion;

SELECT CASE WHEN changes() > 0
    THEN (SELECT Version FROM OrleansStorage
          WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
            AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
            AND GrainTypeString = @GrainTypeString
            AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
            AND ServiceId = @ServiceId)
    ELSE @GrainStateVersion END AS NewGrainStateVersion;
');

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;

SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
');

INSERT INTO HandoffSchema (Version, AppliedOn) VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
