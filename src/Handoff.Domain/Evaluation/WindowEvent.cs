using Handoff.Domain.Model;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// An event as <see cref="AppraisedWindow"/> keeps it: its facts and its appraisal as values, its words (id, text,
/// feature, owner) as lengths of a run of characters in the window's character store. Nothing in it is a reference, so
/// a window of them is nothing the garbage collector traces or moves when a new event arrives (measured in
/// docs/ingest-durability.md).
/// </summary>
public readonly struct WindowEvent
{
    private readonly DateTimeOffset appointmentTime;
    private readonly byte type;
    private readonly byte channel;
    private readonly byte stage;
    private readonly byte phase;
    private readonly byte tone;
    private readonly bool hasAppointment;

    internal WindowEvent(AppraisedEvent appraised, int wordsStart)
    {
        var e = appraised.Event;
        OccurredAt = e.OccurredAt;
        type = (byte)e.Type;
        channel = (byte)(e.Channel is { } c ? (int)c : 0);
        stage = (byte)(e.Stage is { } s ? (int)s : 0);
        phase = (byte)(e.Phase is { } p ? (int)p : 0);
        hasAppointment = e.AppointmentTime is not null;
        appointmentTime = e.AppointmentTime.GetValueOrDefault();
        PricingPage = e.PricingPage;
        Weight = appraised.Weight;
        tone = (byte)appraised.Tone;
        Judgements = appraised.Judgements;
        WordsStart = wordsStart;
        IdLength = e.EventId.Length;
        TextLength = LengthOf(e.Text);
        FeatureLength = LengthOf(e.Feature);
        OwnerLength = LengthOf(e.OwnerUserId);
    }

    private WindowEvent(in WindowEvent e, int wordsStart)
    {
        this = e;
        WordsStart = wordsStart;
    }

    public DateTimeOffset OccurredAt { get; }

    public EventType Type => (EventType)type;

    public Channel? Channel => channel == 0 ? null : (Channel)channel;

    public DateTimeOffset? AppointmentTime => hasAppointment ? appointmentTime : null;

    public LifecycleStage? Stage => stage == 0 ? null : (LifecycleStage)stage;

    public PipelinePhase? Phase => phase == 0 ? null : (PipelinePhase)phase;

    public bool PricingPage { get; }

    /// <inheritdoc cref="AppraisedEvent.Weight"/>
    public double Weight { get; }

    /// <inheritdoc cref="AppraisedEvent.Tone"/>
    public Sentiment Tone => (Sentiment)tone;

    /// <inheritdoc cref="AppraisedEvent.Judgements"/>
    public int Judgements { get; }

    /// <inheritdoc cref="EngagementEvent.IsInboundResponse"/>
    public bool IsInboundResponse => EngagementEvent.IsInboundResponseType(Type);

    /// <inheritdoc cref="AppraisedEvent.IsInboundMessage"/>
    public bool IsInboundMessage => Tone != Sentiment.Unknown;

    /// <summary>Where the event's words start in the store: its id, then its text, feature and owner, one after the other.</summary>
    internal int WordsStart { get; }

    internal int IdLength { get; }

    /// <summary>The length of the text; <see cref="NoWord"/> when the event has none (null), as for the feature and owner.</summary>
    internal int TextLength { get; }

    internal int FeatureLength { get; }

    internal int OwnerLength { get; }

    /// <summary>The length that stands for no string.</summary>
    internal const int NoWord = -1;

    /// <summary>How many characters the event's words take in the store.</summary>
    internal int WordsSize => IdLength + Size(TextLength) + Size(FeatureLength) + Size(OwnerLength);

    internal static int LengthOf(string? word) => word?.Length ?? NoWord;

    internal static int Size(int length) => Math.Max(length, 0);

    /// <summary>The same event with its words moved to <paramref name="wordsStart"/> (the store was rebuilt).</summary>
    internal WindowEvent MovedTo(int wordsStart) => new(this, wordsStart);
}
