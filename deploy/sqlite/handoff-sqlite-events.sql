-- Handoff's event journal on SQLite: a file of its own next to the grain state (handoff.db -> handoff.events.db),
-- so that journal appends and grain-state checkpoints do not wait for each other's write lock.
-- Applied by the host every time it opens the file; every statement is idempotent.
-- Times are UTC ticks (100 ns since 0001-01-01).

CREATE TABLE IF NOT EXISTS EventJournal
(
    Seq         INTEGER PRIMARY KEY,
    TenantId    TEXT    NOT NULL,
    EventId     TEXT    NOT NULL,
    ContactId   TEXT    NOT NULL,
    AppendedAt  INTEGER NOT NULL,
    -- The event as the contact grain keeps it (StoredEvent), in the Orleans binary serializer's format.
    Payload     BLOB    NOT NULL,
    -- An event id is taken once per tenant: a replayed or retried event is recognised here.
    UNIQUE (TenantId, EventId)
);

-- A contact's replay on activation: its events since its last checkpoint.
CREATE INDEX IF NOT EXISTS EventJournalByContact ON EventJournal (TenantId, ContactId, AppendedAt);

-- Pruning: events appended before the dedupe window.
CREATE INDEX IF NOT EXISTS EventJournalByAppendedAt ON EventJournal (AppendedAt);
