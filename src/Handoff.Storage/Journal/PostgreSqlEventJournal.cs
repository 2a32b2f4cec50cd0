using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>
/// The event journal on PostgreSQL (handoff_event_journal, schema version 2): a batch is one multi-row INSERT of
/// arrays, so one round trip and one commit carry the whole batch; concurrent batches share WAL flushes in the server.
/// Every silo of a cluster appends to and replays from the same table.
/// Connections come from the same Npgsql pool as Orleans' grain storage, membership and reminders (the pool is keyed by
/// the connection string), so a silo never holds more than the string's Maximum Pool Size connections in all: a
/// journal with a pool of its own doubled that, and three silos under load ran the server out of connections.
/// </summary>
public sealed class PostgreSqlEventJournal(string connectionString, Serializer serializer) : IEventJournal
{
    public async Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt,
        CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var eventIds = new string[entries.Count];
        var contactIds = new string[entries.Count];
        var payloads = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            eventIds[i] = entries[i].Event.EventId;
            contactIds[i] = entries[i].ContactId;
            payloads[i] = serializer.SerializeToArray(entries[i].Event);
        }

        await using var connection = await OpenAsync(cancellationToken);
        var appended = new HashSet<string>(StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO handoff_event_journal (tenant_id, event_id, contact_id, appended_at, payload)
            SELECT @tenant, e.event_id, e.contact_id, @appended, e.payload
            FROM unnest(@event_ids, @contact_ids, @payloads) AS e(event_id, contact_id, payload)
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            RETURNING event_id;
            """, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
            insert.Parameters.Add(new NpgsqlParameter<DateTime>("appended", appendedAt.UtcDateTime));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", eventIds));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("contact_ids", contactIds));
            insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = payloads });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                appended.Add(reader.GetString(0));
            }
        }

        var answers = new JournalHolder?[entries.Count];
        if (appended.Count == entries.Count)
        {
            return answers;
        }

        // Some ids were journaled before (a replay), or twice in these entries (the first one is the one appended):
        // the answer for those is the contact that holds the id, and when it was appended.
        var taken = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!appended.Remove(eventIds[i]))
            {
                taken.Add(i);
            }
        }

        await using var lookup = new NpgsqlCommand(
            "SELECT event_id, contact_id, appended_at FROM handoff_event_journal WHERE tenant_id = @tenant AND event_id = ANY(@event_ids);", connection);
        lookup.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        lookup.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", taken.Select(i => eventIds[i]).Distinct(StringComparer.Ordinal).ToArray()));
        var holders = new Dictionary<string, JournalHolder>(StringComparer.Ordinal);
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                holders[reader.GetString(0)] = new JournalHolder(reader.GetString(1), Time(reader.GetFieldValue<DateTime>(2)));
            }
        }

        foreach (var i in taken)
        {
            answers[i] = holders[eventIds[i]];
        }

        return answers;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadContactAsync(string tenantId, string contactId, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT appended_at, payload FROM handoff_event_journal
            WHERE tenant_id = @tenant AND contact_id = @contact AND appended_at >= @since
            ORDER BY seq;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        command.Parameters.Add(new NpgsqlParameter<string>("contact", contactId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("since", (since == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : since).UtcDateTime));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(JournalAnswers.StampedAt(serializer.Deserialize<StoredEvent>(reader.GetFieldValue<byte[]>(1))!, Time(reader.GetFieldValue<DateTime>(0))));
        }

        return events;
    }

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
    private static DateTimeOffset Time(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

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
}
