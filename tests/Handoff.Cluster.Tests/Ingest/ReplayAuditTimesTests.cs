using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Microsoft.Data.Sqlite;

namespace Handoff.Cluster.Tests.Ingest;

/// <summary>
/// The audit trail survives a crash as it was (issue #11): a real host on the embedded default acknowledges events
/// that only its memory and the event journal hold (no checkpoint yet), is killed with SIGKILL, and a new process on
/// the same files rebuilds the contacts from the journal. The contact, its history and its card answer exactly as
/// before the kill, times included: what derives from a journaled event is dated by the journal, not by the clock of
/// the process that replays it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplayAuditTimesTests : IDisposable
{
    private const string Tenant = "replay-times";
    private const string Unsubscribing = "c-unsubscribing";
    private const string Raising = "c-raising";
    private const string Owner = "alice";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// No checkpoint between the acknowledgements and the kill, however slowly the machine runs (the default is a
    /// minute): what the contacts applied is in memory and in the journal only, as after any crash between checkpoints.
    /// </summary>
    private const string NoCheckpoint = "Handoff:Contacts:CheckpointInterval=1.00:00:00";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "handoff-replay-times-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Contacts_rebuilt_from_the_journal_after_SIGKILL_answer_exactly_as_before_the_kill()
    {
        var database = Path.Combine(folder, "handoff.db");
        var now = DateTimeOffset.UtcNow;
        Answers unsubscribedBefore, raisedBefore;
        await using (var host = SiloProcess.StartOnSqlite("host-1", database, NoCheckpoint))
        {
            await host.WaitServingAsync(StartTimeout);
            // Batches mix the two contacts, as an ingest pipeline sends them.
            await IngestAsync(host, "facts", [.. WinContactOwnedBy(Raising, Owner, now), Event(Unsubscribing, EventType.EmailOpened, now.AddHours(-5))]);
            await IngestAsync(host, "signals", [.. RisingBuyer(Raising, now), Event(Unsubscribing, EventType.Unsubscribed, now.AddHours(-1))]);
            // After the card: the raising contact's state was written with the card, this batch is only in memory and the journal.
            await IngestAsync(host, "after-the-card", [Event(Raising, EventType.EmailOpened, now.AddMinutes(-10))]);

            unsubscribedBefore = await ReadAsync(host, Unsubscribing);
            raisedBefore = await ReadAsync(host, Raising);
            Assert.True(unsubscribedBefore.Contact.Contact.Unsubscribed);
            Assert.Contains(unsubscribedBefore.History.Entries, e => e.Kind == HistoryEntryKind.Unsubscribed);
            Assert.Null(unsubscribedBefore.Card);
            Assert.Equal((CardStatus.Active, Owner), (raisedBefore.Card?.Card.Status, raisedBefore.Contact.Contact.OwnerUserId));
            // The unsubscribing contact was never written: the restarted host can only rebuild it from the journal.
            Assert.Equal((0, 1), (StoredStates(database, Unsubscribing), StoredStates(database, Raising)));
            host.Kill();
        }

        await using (var host = SiloProcess.StartOnSqlite("host-2", database, NoCheckpoint))
        {
            await host.WaitServingAsync(StartTimeout);
            AssertSame(unsubscribedBefore, await ReadAsync(host, Unsubscribing));
            AssertSame(raisedBefore, await ReadAsync(host, Raising));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What a sidebar reads of a contact: the contact, its whole history, and its card (null: NOT_FOUND, it has none).</summary>
    private sealed record Answers(GetContactResponse Contact, GetContactHistoryResponse History, GetHandoffCardResponse? Card);

    private static async Task<Answers> ReadAsync(SiloProcess host, string contactId)
    {
        var contacts = new ContactService.ContactServiceClient(host.Invoker);
        var contact = await contacts.GetContactAsync(new GetContactRequest { TenantId = Tenant, ContactId = contactId });
        var history = await contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = Tenant, ContactId = contactId, PageSize = 500 });
        GetHandoffCardResponse? card;
        try
        {
            card = await new HandoffService.HandoffServiceClient(host.Invoker).GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = Tenant, ContactId = contactId });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            card = null;
        }

        return new Answers(contact, history, card);
    }

    private static void AssertSame(Answers before, Answers after)
    {
        Assert.Equal(WithoutReadTimeAssessment(before.Contact), WithoutReadTimeAssessment(after.Contact));
        Assert.Equal(before.History, after.History);
        Assert.Equal(before.Card, after.Card);
    }

    /// <summary>
    /// The contact without the engagement score, trend (and its delta) and sentiment: those are assessed at the moment of
    /// reading and decay with time, so they differ after the restart whatever the replay did. Every other field is
    /// compared, the contact's and the card's times included.
    /// </summary>
    private static GetContactResponse WithoutReadTimeAssessment(GetContactResponse answer)
    {
        var copy = answer.Clone();
        copy.Contact.Engagement.Score = 0;
        copy.Contact.Engagement.Trend = Trend.Unspecified;
        copy.Contact.Engagement.TrendDelta = 0;
        copy.Contact.Engagement.Sentiment = Sentiment.Unspecified;
        return copy;
    }

    private static async Task IngestAsync(SiloProcess host, string batchId, IReadOnlyList<EngagementEvent> events)
    {
        var request = new IngestBatchRequest { TenantId = Tenant, BatchId = batchId };
        request.Events.AddRange(events);
        var ack = await new IngestService.IngestServiceClient(host.Invoker).IngestBatchAsync(request);
        Assert.Equal((events.Count, 0, 0), (ack.AcceptedCount, ack.DuplicateCount, ack.Rejected.Count));
    }

    /// <summary>Grain-state rows of the contact in the host's state file (read beside the running host).</summary>
    private static long StoredStates(string database, string contactId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = database,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = $key;";
        count.Parameters.AddWithValue("$key", $"{Tenant}/{contactId}");
        return (long)count.ExecuteScalar()!;
    }

    private static IEnumerable<EngagementEvent> WinContactOwnedBy(string contactId, string owner, DateTimeOffset now) =>
    [
        Event(contactId, EventType.OwnerChanged, now.AddHours(-48), e => e.OwnerUserId = owner),
        Event(contactId, EventType.StageChanged, now.AddHours(-47), e => e.Stage = LifecycleStage.Sql),
        Event(contactId, EventType.PhaseChanged, now.AddHours(-47), e => e.Phase = PipelinePhase.Win),
    ];

    /// <summary>A WIN-phase contact whose engagement climbs fast over two days: buying signals and a critical moment.</summary>
    private static IEnumerable<EngagementEvent> RisingBuyer(string contactId, DateTimeOffset now) =>
    [
        Event(contactId, EventType.EmailOpened, now.AddHours(-40), e => e.Channel = Channel.Email),
        Event(contactId, EventType.EmailClicked, now.AddHours(-39), e => e.Channel = Channel.Email),
        Event(contactId, EventType.PageViewed, now.AddHours(-30), e => (e.Channel, e.PricingPage) = (Channel.Web, true)),
        Event(contactId, EventType.FeatureExplored, now.AddHours(-20), e => (e.Channel, e.Feature) = (Channel.Web, "Webinars")),
        Event(contactId, EventType.SmsReceived, now.AddHours(-12), e => (e.Channel, e.Text) = (Channel.Sms, "Thanks, this looks great. Happy to move forward.")),
        Event(contactId, EventType.ProposalViewed, now.AddHours(-10), e => e.Channel = Channel.Web),
        Event(contactId, EventType.ProposalViewed, now.AddHours(-6), e => e.Channel = Channel.Web),
        Event(contactId, EventType.AppointmentBooked, now.AddHours(-5),
            e => (e.Channel, e.AppointmentTime) = (Channel.Meeting, Timestamp.FromDateTimeOffset(now.AddHours(20)))),
        Event(contactId, EventType.AppointmentAttended, now.AddHours(-3), e => e.Channel = Channel.Meeting),
        Event(contactId, EventType.CallAnswered, now.AddHours(-2), e => e.Channel = Channel.Call),
    ];

    private static EngagementEvent Event(string contactId, EventType type, DateTimeOffset at, Action<EngagementEvent>? fill = null)
    {
        var e = new EngagementEvent
        {
            EventId = $"{contactId}-{Guid.NewGuid():N}",
            ContactId = contactId,
            Type = type,
            OccurTime = Timestamp.FromDateTimeOffset(at),
        };
        fill?.Invoke(e);
        return e;
    }
}
