using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>
/// The batches every run sends, generated once from a seed. Contacts are drawn with a Zipf skew (rank r is chosen
/// with probability proportional to 1/r^skew), types from a fixed mix, occur times spread over the last 24 hours in
/// send order (a live feed catching up on a day). <see cref="Stamp"/> gives every event and batch a run-specific id,
/// so that no run is a replay of another and dedupe hides no work.
/// </summary>
public sealed class Workload
{
    public const string Tenant = "bench";

    // (type, weight in per mille). Mostly opens, clicks, page views and SI touches; some replies and SMS; rare
    // proposal views, bookings and profile changes.
    private static readonly (EventType Type, int PerMille)[] Mix =
    [
        (EventType.EmailOpened, 300), (EventType.SiTouchSent, 220), (EventType.PageViewed, 180),
        (EventType.EmailClicked, 140), (EventType.FeatureExplored, 50), (EventType.EmailReplied, 30),
        (EventType.SmsReceived, 20), (EventType.FormSubmitted, 14), (EventType.CallAnswered, 10),
        (EventType.ProposalViewed, 10), (EventType.AppointmentBooked, 5), (EventType.PhaseChanged, 5),
        (EventType.StageChanged, 5), (EventType.OwnerChanged, 3), (EventType.AppointmentAttended, 2),
        (EventType.AppointmentNoShow, 1), (EventType.AppointmentCancelled, 1), (EventType.Unsubscribed, 1),
    ];

    private static readonly int MixTotal = Mix.Sum(m => m.PerMille);

    // Inbound messages: most are ordinary, about one in five asks for a person, haggles, raises a legal point or complains.
    private static readonly string[] Messages =
    [
        "Thanks, I'll take a look this week.", "Sounds good.", "Can you send me more information about the product?",
        "We are still evaluating options.", "Got it, thanks!", "Interesting, how does the integration work?",
        "Not right now, maybe next quarter.", "Looks great, the team liked the demo.",
        "Can someone call me tomorrow morning?", "Is there a discount for annual billing?",
        "Please send the MSA so our lawyer can review it.", "Too many emails, please stop emailing me.",
    ];

    private static readonly string[] Pages = ["/", "/blog/handoff-tips", "/product", "/customers", "/docs/getting-started"];
    private static readonly string[] Features = ["inbox", "scoring", "sequences", "reports", "integrations", "api"];

    private Workload(List<IngestEventsRequest> batches, int contactsTouched, double topShare, double top1PercentShare, Dictionary<string, int> typeCounts)
    {
        Batches = batches;
        Events = batches.Sum(b => b.Events.Count);
        ContactsTouched = contactsTouched;
        TopContactShare = topShare;
        Top1PercentShare = top1PercentShare;
        TypeCounts = typeCounts;
    }

    public IReadOnlyList<IngestEventsRequest> Batches { get; }

    public int Events { get; }

    /// <summary>Distinct contacts that receive at least one event.</summary>
    public int ContactsTouched { get; }

    /// <summary>Share of all events that go to the hottest contact.</summary>
    public double TopContactShare { get; }

    /// <summary>Share of all events that go to the hottest 1% of the contacts touched.</summary>
    public double Top1PercentShare { get; }

    public Dictionary<string, int> TypeCounts { get; }

    public static Workload Generate(int contacts, int events, int batchSize, double skew, int seed, string contactPrefix = "contact-")
    {
        var random = new Random(seed);
        var cumulative = new double[contacts];
        var total = 0.0;
        for (var rank = 0; rank < contacts; rank++)
        {
            cumulative[rank] = total += 1 / Math.Pow(rank + 1, skew);
        }

        var now = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromHours(24) - TimeSpan.FromMinutes(2);
        var perContact = new Dictionary<int, int>();
        var typeCounts = new Dictionary<string, int>();
        var batches = new List<IngestEventsRequest>();
        IngestEventsRequest? batch = null;
        for (var i = 0; i < events; i++)
        {
            if (i % batchSize == 0)
            {
                batches.Add(batch = new IngestEventsRequest { TenantId = Tenant });
            }

            var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var rank = index >= 0 ? index : Math.Min(~index, contacts - 1);
            perContact[rank] = perContact.GetValueOrDefault(rank) + 1;
            var jitter = TimeSpan.FromSeconds(random.Next(-60, 60));
            var occurred = now - TimeSpan.FromHours(24) + span * ((double)i / events) + jitter;
            var e = Event(random, $"{contactPrefix}{rank + 1}", Min(occurred, now - TimeSpan.FromMinutes(1)));
            typeCounts[e.Type.ToString()] = typeCounts.GetValueOrDefault(e.Type.ToString()) + 1;
            batch!.Events.Add(e);
        }

        var counts = perContact.Values.OrderDescending().ToList();
        var top1Percent = counts.Take(Math.Max(1, counts.Count / 100)).Sum();
        return new Workload(batches, perContact.Count, (double)counts[0] / events, (double)top1Percent / events, typeCounts);
    }

    /// <summary>
    /// One event for each of <paramref name="contacts"/> contacts (contact-1 … contact-N, the names
    /// <see cref="Generate"/> draws from), in a shuffled order, types from the usual mix, occurring in the hour before
    /// the day <see cref="Generate"/> spreads its events over: the sustained pass's warm-up, which brings every contact
    /// into the host (activated, with state and journal rows) so the measured pass finds them all known and active.
    /// </summary>
    public static Workload EveryContact(int contacts, int batchSize, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(1, contacts).ToArray();
        random.Shuffle(order);
        var start = DateTimeOffset.UtcNow - TimeSpan.FromHours(25);
        var typeCounts = new Dictionary<string, int>();
        var batches = new List<IngestEventsRequest>();
        for (var i = 0; i < contacts; i++)
        {
            if (i % batchSize == 0)
            {
                batches.Add(new IngestEventsRequest { TenantId = Tenant });
            }

            var e = Event(random, $"contact-{order[i]}", start + TimeSpan.FromHours(1) * ((double)i / contacts));
            typeCounts[e.Type.ToString()] = typeCounts.GetValueOrDefault(e.Type.ToString()) + 1;
            batches[^1].Events.Add(e);
        }

        return new Workload(batches, contacts, 1.0 / contacts, (double)Math.Max(1, contacts / 100) / contacts, typeCounts);
    }

    /// <summary>Ids for one run: events "{run}-{batch}-{n}", batches "{run}-{batch}". Done before the clock starts.</summary>
    public void Stamp(string run)
    {
        for (var b = 0; b < Batches.Count; b++)
        {
            var batch = Batches[b];
            batch.BatchId = $"{run}-{b}";
            for (var n = 0; n < batch.Events.Count; n++)
            {
                batch.Events[n].EventId = $"{run}-{b}-{n}";
            }
        }
    }

    private static EngagementEvent Event(Random random, string contactId, DateTimeOffset occurred)
    {
        var type = PickType(random);
        var e = new EngagementEvent { ContactId = contactId, Type = type, OccurTime = Timestamp.FromDateTimeOffset(occurred) };
        switch (type)
        {
            case EventType.EmailOpened or EventType.EmailClicked or EventType.Unsubscribed:
                e.Channel = Channel.Email;
                break;
            case EventType.EmailReplied:
                e.Channel = Channel.Email;
                e.Text = Messages[random.Next(Messages.Length)];
                break;
            case EventType.SmsReceived:
                e.Channel = Channel.Sms;
                e.Text = Messages[random.Next(Messages.Length)];
                break;
            case EventType.CallAnswered:
                e.Channel = Channel.Call;
                break;
            case EventType.SiTouchSent:
                e.Channel = random.Next(10) switch { < 6 => Channel.Email, < 9 => Channel.Sms, _ => Channel.Call };
                break;
            case EventType.PageViewed:
                e.Channel = Channel.Web;
                e.PricingPage = random.Next(100) < 15;
                e.Attributes["page"] = e.PricingPage ? "/pricing" : Pages[random.Next(Pages.Length)];
                break;
            case EventType.FeatureExplored:
                e.Channel = Channel.Web;
                e.Feature = Features[random.Next(Features.Length)];
                break;
            case EventType.FormSubmitted or EventType.ProposalViewed:
                e.Channel = Channel.Web;
                break;
            case EventType.AppointmentBooked or EventType.AppointmentAttended or EventType.AppointmentNoShow or EventType.AppointmentCancelled:
                e.Channel = Channel.Meeting;
                var offset = type == EventType.AppointmentBooked ? TimeSpan.FromHours(random.Next(2, 96)) : -TimeSpan.FromMinutes(random.Next(0, 60));
                e.AppointmentTime = Timestamp.FromDateTimeOffset(occurred + offset);
                break;
            case EventType.StageChanged:
                e.Stage = (LifecycleStage)random.Next((int)LifecycleStage.Mql, (int)LifecycleStage.Customer);
                break;
            case EventType.PhaseChanged:
                e.Phase = (PipelinePhase)random.Next((int)PipelinePhase.Engage, (int)PipelinePhase.Closed);
                break;
            case EventType.OwnerChanged:
                e.OwnerUserId = $"user-{random.Next(50)}";
                break;
        }

        return e;
    }

    private static EventType PickType(Random random)
    {
        var pick = random.Next(MixTotal);
        foreach (var (type, perMille) in Mix)
        {
            if ((pick -= perMille) < 0)
            {
                return type;
            }
        }

        return Mix[0].Type;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
