-- Handoff on SQLite, schema version 2: Orleans reminders (the escalation of a card left ACTIVE past its SLA).
-- Applied by the host after handoff-sqlite.sql, to a new file and to a file of version 1 alike (see docs/storage.md).
--
-- Orleans ADO.NET reminders (Microsoft.Orleans.Reminders.AdoNet) read their seven statements from OrleansQuery, by
-- key, and run them with these parameters: @ServiceId, @GrainId, @ReminderName (text), @StartTime (a UTC DateTime,
-- which Microsoft.Data.Sqlite writes as text 'yyyy-MM-dd HH:mm:ss.FFFFFFF'), @Period (milliseconds), @GrainHash,
-- @BeginHash, @EndHash (the grain's uniform hash as a signed 32-bit integer), @Version (integer).
-- Reads return the columns GrainId, ReminderName, StartTime, Period and Version. The same contract, key for key, as
-- deploy/postgresql/handoff-postgresql.sql.

-- One row per reminder of a grain.
CREATE TABLE OrleansReminders
(
    ServiceId     TEXT    NOT NULL,
    GrainId       TEXT    NOT NULL,
    ReminderName  TEXT    NOT NULL,
    StartTime     TEXT    NOT NULL,
    Period        INTEGER NOT NULL,   -- milliseconds
    GrainHash     INTEGER NOT NULL,
    Version       INTEGER NOT NULL,   -- the reminder's ETag
    CONSTRAINT PK_OrleansReminders PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IX_OrleansReminders_Ring ON OrleansReminders (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
');

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
');

-- A ring range (@BeginHash, @EndHash]. Orleans uses this statement when BeginHash < EndHash as signed integers ...
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
');

-- ... and this one when the range wraps around (BeginHash = EndHash is the whole ring, what a single silo owns).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
');

-- Registers or replaces a reminder; returns its new version (0 for a new one, + 1 on every replacement).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO OrleansReminders (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
    StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = OrleansReminders.Version + 1;

SELECT Version
FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
');

-- Removes a reminder if it still has the version the caller read; returns whether it did (one row, 1 or 0).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM OrleansReminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
  AND Version = @Version;

SELECT changes() > 0 AS Deleted;
');

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM OrleansReminders
WHERE ServiceId = @ServiceId;
');

INSERT INTO HandoffSchema (Version, AppliedOn) VALUES (2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
