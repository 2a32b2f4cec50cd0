using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>
/// The event journal on PostgreSQL (handoff_event_journal, schema version 2). Appends go through a few writer loops,
/// each of which takes every append waiting for it and writes them as one multi-row INSERT of arrays: one round trip
/// and one commit for many batches, and few statements waiting on each other over the same index pages (measured in
/// docs/ingest-durability.md: an INSERT per batch from every stream at once took about four times the server time per
/// row, mostly waiting; acknowledgements under load are the faster for it). An activation's read of its contact's events
/// is grouped the same way with the reads waiting beside it (<see cref="PostgreSqlContactReads"/>). Every silo of a
/// cluster appends to and replays from the same table.
/// Connections come from the same Npgsql pool as Orleans' grain storage, membership and reminders (the pool is keyed by
/// the connection string), so a silo never holds more than the string's Maximum Pool Size connections in all: a
/// journal with a pool of its own doubled that, and three silos under load ran the server out of connections.
/// </summary>
public sealed class PostgreSqlEventJournal : IEventJournal, IAsyncDisposable
{
    /// <summary>Writer loops: enough to keep the server's own group commit busy on a small machine, few enough not to fight.</summary>
    private const int Writers = 3;

    /// <summary>Events one INSERT takes at most; appends waiting beyond it go in the next one.</summary>
    private const int MaxEventsPerInsert = 20_000;

    /// <summary>The unique key of an event id in its tenant (deploy/postgresql/handoff-postgresql.sql).</summary>
    private const string EventIdConstraint = "handoff_event_journal_event";

    /// <summary>A group's rows, as <see cref="Rows.AddTo"/> gives them; both appends are this statement.</summary>
    private const string InsertGroup = """
        INSERT INTO handoff_event_journal (tenant_id, event_id, contact_id, appended_at, payload)
        SELECT e.tenant_id, e.event_id, e.contact_id, e.appended_at, e.payload
        FROM unnest(@tenant_ids, @event_ids, @contact_ids, @appended_ats, @payloads) AS e(tenant_id, event_id, contact_id, appended_at, payload)
        """;

    private readonly string connectionString;
    private readonly Serializer serializer;
    private readonly JournalAppendQueue appends;
    private readonly Task[] writers;
    private readonly PostgreSqlContactReads contactReads;

    public PostgreSqlEventJournal(string connectionString, Serializer serializer)
    {
        this.connectionString = connectionString;
        this.serializer = serializer;
        appends = new JournalAppendQueue(serializer, MaxEventsPerInsert, oneWriter: false);
        writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(() => appends.RunLoopAsync(AppendGroupAsync))).ToArray();
        contactReads = new PostgreSqlContactReads(OpenAsync, serializer);
    }

    public Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt,
        CancellationToken cancellationToken = default) =>
        appends.AppendAsync(tenantId, entries, appendedAt);

    public async ValueTask DisposeAsync()
    {
        appends.Close();
        await Task.WhenAll(writers);
        await contactReads.DisposeAsync();
    }

    /// <summary>
    /// Appends the group, in order; for each append, each entry's answer: null when appended now, or the holder of its
    /// id (journaled before, or earlier in this group: the first one in order is the one appended).
    /// </summary>
    private async Task<IReadOnlyList<IReadOnlyList<JournalHolder?>>> AppendGroupAsync(IReadOnlyList<PendingAppend> group)
    {
        var rows = Rows.Of(group);
        var answers = group.Select(a => new JournalHolder?[a.Entries.Count]).ToArray();
        await using var connection = await OpenAsync(CancellationToken.None);
        if (!await TryAppendAllAsync(connection, rows))
        {
            await AppendSkippingTakenAsync(connection, group, rows, answers);
        }

        return answers;
    }

    /// <summary>
    /// The group as one plain INSERT, which commits only if no id in it was taken: the common case, and the cheaper
    /// statement by far. ON CONFLICT makes the server look each id up before inserting it and lock it speculatively,
    /// and RETURNING sends every id back to be matched; on this schema a group of 4,000 rows took about a third less
    /// server time without them (docs/ingest-durability.md, "PostgreSQL: a plain INSERT first"). A group with a taken
    /// id is rolled back whole and appended again, skipping the taken ids.
    /// </summary>
    private static async Task<bool> TryAppendAllAsync(NpgsqlConnection connection, Rows rows)
    {
        await using var insert = new NpgsqlCommand(InsertGroup + ";", connection);
        rows.AddTo(insert);
        try
        {
            await insert.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: EventIdConstraint })
        {
            return false;
        }
    }

    /// <summary>
    /// Appends every id of the group not taken yet, and answers the taken ones (journaled before, a replay, or twice in
    /// this group) with the contact that holds the id and when it was appended.
    /// </summary>
    private static async Task AppendSkippingTakenAsync(NpgsqlConnection connection, IReadOnlyList<PendingAppend> group, Rows rows,
        JournalHolder?[][] answers)
    {
        var appended = new HashSet<(string Tenant, string EventId)>();
        await using (var insert = new NpgsqlCommand(InsertGroup + "\nON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING tenant_id, event_id;", connection))
        {
            rows.AddTo(insert);
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                appended.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var taken = new List<(int Append, int Entry, int Row)>();
        var row = 0;
        for (var a = 0; a < group.Count; a++)
        {
            for (var i = 0; i < group[a].Entries.Count; i++, row++)
            {
                if (!appended.Remove((rows.TenantIds[row], rows.EventIds[row])))
                {
                    taken.Add((a, i, row));
                }
            }
        }

        await using var lookup = new NpgsqlCommand("""
            SELECT j.tenant_id, j.event_id, j.contact_id, j.appended_at FROM handoff_event_journal j
            JOIN unnest(@tenant_ids, @event_ids) AS t(tenant_id, event_id) ON j.tenant_id = t.tenant_id AND j.event_id = t.event_id;
            """, connection);
        lookup.Parameters.Add(new NpgsqlParameter<string[]>("tenant_ids", taken.Select(t => rows.TenantIds[t.Row]).ToArray()));
        lookup.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", taken.Select(t => rows.EventIds[t.Row]).ToArray()));
        var holders = new Dictionary<(string Tenant, string EventId), JournalHolder>();
        await using (var reader = await lookup.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                holders[(reader.GetString(0), reader.GetString(1))] = new JournalHolder(reader.GetString(2), Time(reader.GetFieldValue<DateTime>(3)));
            }
        }

        foreach (var (a, i, r) in taken)
        {
            answers[a][i] = holders[(rows.TenantIds[r], rows.EventIds[r])];
        }
    }

    public Task<IReadOnlyList<EngagementEvent>> ReadContactAsync(string tenantId, string contactId, DateTimeOffset since,
        CancellationToken cancellationToken = default) =>
        contactReads.ReadAsync(tenantId, contactId, since, cancellationToken);

    public async Task<IReadOnlyList<JournaledContact>> ReadContactsAppendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT tenant_id, contact_id FROM handoff_event_journal WHERE appended_at >= @since;", connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("since", since.UtcDateTime));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var contacts = new List<JournaledContact>();
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(new JournaledContact(reader.GetString(0), reader.GetString(1)));
        }

        return contacts;
    }

    public async Task<DateTimeOffset?> ReadLatestAppendAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(appended_at) FROM handoff_event_journal;", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime latest ? Time(latest) : null;
    }

    public async Task<long> PruneAsync(DateTimeOffset appendedBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            DELETE FROM handoff_event_journal WHERE seq IN
                (SELECT seq FROM handoff_event_journal WHERE appended_at < @before ORDER BY appended_at LIMIT 10000);
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("before", appendedBefore.UtcDateTime));
        long deleted = 0;
        int slice;
        do
        {
            slice = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += slice;
        }
        while (slice > 0);

        return deleted;
    }

    /// <summary>A timestamptz as read: UTC, to the microsecond.</summary>
    internal static DateTimeOffset Time(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A group's events as the column arrays the INSERTs unnest, in the group's order.</summary>
    private sealed record Rows(string[] TenantIds, string[] EventIds, string[] ContactIds, DateTime[] AppendedAts, byte[][] Payloads)
    {
        public static Rows Of(IReadOnlyList<PendingAppend> group)
        {
            var events = 0;
            foreach (var append in group)
            {
                events += append.Entries.Count;
            }

            var rows = new Rows(new string[events], new string[events], new string[events], new DateTime[events], new byte[events][]);
            var row = 0;
            foreach (var append in group)
            {
                for (var i = 0; i < append.Entries.Count; i++, row++)
                {
                    rows.TenantIds[row] = append.TenantId;
                    rows.EventIds[row] = append.Entries[i].Event.EventId;
                    rows.ContactIds[row] = append.Entries[i].ContactId;
                    rows.AppendedAts[row] = append.AppendedAt.UtcDateTime;
                    rows.Payloads[row] = append.Payloads[i];
                }
            }

            return rows;
        }

        public void AddTo(NpgsqlCommand command)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("tenant_ids", TenantIds));
            command.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", EventIds));
            command.Parameters.Add(new NpgsqlParameter<string[]>("contact_ids", ContactIds));
            command.Parameters.Add(new NpgsqlParameter("appended_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = AppendedAts });
            command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = Payloads });
        }
    }
}
