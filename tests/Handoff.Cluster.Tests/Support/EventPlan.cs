using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Cluster.Tests.Support;

/// <summary>
/// A reproducible stream of events for many contacts: a few "hot" contacts that move into WIN and show buying
/// signals (they raise cards), the rest quiet engagement. Batches mix contacts, as an ingest pipeline would.
/// </summary>
public sealed class EventPlan
{
    private readonly List<EngagementEvent> warmUp = [];
    private readonly List<EngagementEvent> load = [];

    public EventPlan(int contacts, int hotContacts, int eventsPerContact, DateTimeOffset now, int seed = 7)
    {
        var random = new Random(seed);
        Contacts = Enumerable.Range(0, contacts).Select(i => $"contact-{i:D5}").ToList();
        HotContacts = Contacts.Take(hotContacts).ToList();
        var next = 0;
        foreach (var contact in HotContacts)
        {
            warmUp.AddRange(HotHistory(contact, now, ref next));
        }

        EngagementEvent[] quiet =
        [
            new() { Type = EventType.EmailOpened, Channel = Channel.Email },
            new() { Type = EventType.EmailClicked, Channel = Channel.Email },
            new() { Type = EventType.PageViewed, Channel = Channel.Web },
            new() { Type = EventType.SiTouchSent, Channel = Channel.Email },
        ];
        for (var round = 0; round < eventsPerContact; round++)
        {
            foreach (var contact in Contacts.OrderBy(_ => random.Next()))
            {
                var e = quiet[random.Next(quiet.Length)].Clone();
                e.EventId = $"ev-{next++:D7}";
                e.ContactId = contact;
                e.OccurTime = Timestamp.FromDateTimeOffset(now - TimeSpan.FromMinutes(random.Next(1, 600)));
                load.Add(e);
            }
        }
    }

    public IReadOnlyList<string> Contacts { get; }

    /// <summary>Contacts whose warm-up raises a card.</summary>
    public IReadOnlyList<string> HotContacts { get; }

    public IEnumerable<IngestBatchRequest> WarmUpBatches(string tenant, int size) => Batches(warmUp, tenant, size, "warm");

    public IEnumerable<IngestBatchRequest> LoadBatches(string tenant, int size) => Batches(load, tenant, size, "load");

    private static IEnumerable<IngestBatchRequest> Batches(List<EngagementEvent> events, string tenant, int size, string prefix) =>
        events.Chunk(size).Select((chunk, i) =>
        {
            var batch = new IngestBatchRequest { TenantId = tenant, BatchId = $"{prefix}-{i}" };
            batch.Events.AddRange(chunk);
            return batch;
        });

    private static IEnumerable<EngagementEvent> HotHistory(string contact, DateTimeOffset now, ref int next)
    {
        var at = now - TimeSpan.FromHours(30);
        var history = new List<EngagementEvent>
        {
            new() { Type = EventType.StageChanged, Stage = LifecycleStage.Sql },
            new() { Type = EventType.PhaseChanged, Phase = PipelinePhase.Win },
            new() { Type = EventType.EmailClicked, Channel = Channel.Email },
            new() { Type = EventType.PageViewed, Channel = Channel.Web, PricingPage = true },
            new() { Type = EventType.FeatureExplored, Channel = Channel.Web, Feature = "Webinars" },
            new() { Type = EventType.SmsReceived, Channel = Channel.Sms, Text = "Thanks, this looks great." },
            new() { Type = EventType.ProposalViewed, Channel = Channel.Web },
            new() { Type = EventType.ProposalViewed, Channel = Channel.Web },
            new() { Type = EventType.AppointmentBooked, Channel = Channel.Meeting, AppointmentTime = Timestamp.FromDateTimeOffset(now + TimeSpan.FromHours(20)) },
            new() { Type = EventType.CallAnswered, Channel = Channel.Call },
        };
        foreach (var e in history)
        {
            e.EventId = $"ev-{next++:D7}";
            e.ContactId = contact;
            e.OccurTime = Timestamp.FromDateTimeOffset(at);
            at += TimeSpan.FromHours(3);
        }

        return history;
    }
}
