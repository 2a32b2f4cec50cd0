using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>
/// The PostgreSQL journal's reads of one contact's events (an activation's replay), grouped: a few reader loops each take
/// every read waiting, up to a bound, and answer them all with one statement. Under a burst of activations one statement
/// serves many contacts instead of one each: the per-contact statements were most of the server's CPU on the cold pass
/// (docs/ingest-durability.md). A read that finds no other waiting is one statement, as it would be alone.
/// </summary>
internal sealed class PostgreSqlContactReads : IAsyncDisposable
{
    /// <summary>Reader loops: one statement can be under way while the next group gathers.</summary>
    private const int Readers = 2;

    /// <summary>Contacts one statement reads at most; reads waiting beyond it go in the next one.</summary>
    private const int MaxContactsPerStatement = 256;

    private readonly GroupedRequests<PendingRead, IReadOnlyList<EngagementEvent>> reads = new(MaxContactsPerStatement, _ => 1, oneLoop: false);
    private readonly Func<CancellationToken, Task<NpgsqlConnection>> open;
    private readonly Serializer serializer;
    private readonly Task[] loops;

    public PostgreSqlContactReads(Func<CancellationToken, Task<NpgsqlConnection>> open, Serializer serializer)
    {
        this.open = open;
        this.serializer = serializer;
        loops = Enumerable.Range(0, Readers).Select(_ => Task.Run(() => reads.RunLoopAsync(ReadGroupAsync))).ToArray();
    }

    /// <summary>The contact's events appended at or after <paramref name="since"/>, in the order they were appended.</summary>
    public Task<IReadOnlyList<EngagementEvent>> ReadAsync(string tenantId, string contactId, DateTimeOffset since, CancellationToken cancellationToken) =>
        reads.Enqueue(new PendingRead(tenantId, contactId, (since == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : since).UtcDateTime))
            .WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        reads.Close();
        await Task.WhenAll(loops);
    }

    private async Task<IReadOnlyList<IReadOnlyList<EngagementEvent>>> ReadGroupAsync(IReadOnlyList<PendingRead> group)
    {
        var tenantIds = new string[group.Count];
        var contactIds = new string[group.Count];
        var sinces = new DateTime[group.Count];
        var events = new List<EngagementEvent>[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            (tenantIds[i], contactIds[i], sinces[i]) = (group[i].TenantId, group[i].ContactId, group[i].Since);
            events[i] = [];
        }

        await using var connection = await open(CancellationToken.None);
        // LATERAL keeps it one index range scan per contact (tenant, contact, appended_at), whatever the table's size.
        await using var command = new NpgsqlCommand("""
            SELECT r.i, j.appended_at, j.payload
            FROM unnest(@tenant_ids, @contact_ids, @sinces) WITH ORDINALITY AS r(tenant_id, contact_id, since, i)
            CROSS JOIN LATERAL (
                SELECT seq, appended_at, payload FROM handoff_event_journal
                WHERE tenant_id = r.tenant_id AND contact_id = r.contact_id AND appended_at >= r.since) j
            ORDER BY r.i, j.seq;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("tenant_ids", tenantIds));
        command.Parameters.Add(new NpgsqlParameter<string[]>("contact_ids", contactIds));
        command.Parameters.Add(new NpgsqlParameter("sinces", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = sinces });
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var e = serializer.Deserialize<EngagementEvent>(reader.GetFieldValue<byte[]>(2))!;
                events[reader.GetInt64(0) - 1].Add(JournalAnswers.StampedAt(e, PostgreSqlEventJournal.Time(reader.GetFieldValue<DateTime>(1))));
            }
        }

        return events;
    }

    private sealed record PendingRead(string TenantId, string ContactId, DateTime Since);
}
