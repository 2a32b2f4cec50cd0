using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Handoff.Domain.Summary;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Handoff.Server.Summaries;

/// <summary>
/// The language model's summaries, off the ingest path. A contact raising or updating a card leaves a request here
/// (<see cref="Request"/> never waits: a full queue drops the request and the card keeps its deterministic summary);
/// <see cref="LanguageModelSummaryOptions.MaxConcurrentCalls"/> workers take them in order, call the model under a
/// timeout inside a circuit breaker, check the answer against the card's fact sheet (<see cref="SummaryGuard"/>) and
/// hand a good one to the contact (<see cref="IContactGrain.ReplaceSummary"/>), which applies it only to the same card
/// at the same version. Any failure leaves the deterministic summary in place, with one log line saying why.
/// </summary>
/// <remarks>
/// One per silo, so the concurrency bound is per silo. The queue is in memory: requests waiting when the host stops
/// are dropped, which costs nothing but the nicer wording (the card already has a summary that passed no model).
/// </remarks>
public sealed partial class ModelSummaryService : BackgroundService, IModelSummaryRequests
{
    private readonly Channel<ModelSummaryRequest> queue;
    private readonly LanguageModelSummaryWriter writer;
    private readonly SummaryGuard guard;
    private readonly IGrainFactory grains;
    private readonly TimeProvider time;
    private readonly LanguageModelSummaryOptions options;
    private readonly ILogger<ModelSummaryService> logger;
    private readonly ResiliencePipeline pipeline;
    private readonly Counter<long> outcomes;

    public ModelSummaryService(
        LanguageModelSummaryWriter writer,
        SummaryGuard guard,
        IGrainFactory grains,
        TimeProvider time,
        IMeterFactory meters,
        IOptions<LanguageModelSummaryOptions> options,
        ILogger<ModelSummaryService> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        this.writer = writer;
        this.guard = guard;
        this.grains = grains;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        queue = Channel.CreateBounded<ModelSummaryRequest>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        outcomes = meters.Create(CardMetrics.MeterName).CreateCounter<long>(
            "handoff.summaries.model", "{summary}", "Language-model summaries by outcome: replaced, rejected (guard), failed, skipped (circuit open), dropped (queue full), stale.");
        pipeline = BuildPipeline();
    }

    /// <summary>Queues the card for a model summary without waiting; when the queue is full the card keeps its summary.</summary>
    public void Request(ModelSummaryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!queue.Writer.TryWrite(request))
        {
            Count("dropped");
            LogDropped(request.ContactId, request.CardId, options.QueueCapacity);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentCalls).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SummariseAsync(request, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; waiting requests keep their deterministic summaries.
        }
    }

    /// <summary>One card: the model's answer, checked, onto the card; never throws but for the host stopping.</summary>
    private async Task SummariseAsync(ModelSummaryRequest request, CancellationToken stoppingToken)
    {
        var text = await WriteCheckedAsync(request.Facts, request.ContactId, request.CardId, stoppingToken);
        if (text is null)
        {
            return;
        }

        try
        {
            var applied = await grains.Contact(request.TenantId, request.ContactId)
                .ReplaceSummary(request.CardId, request.CardVersion, text, SummaryWriterKind.LanguageModel, time.GetUtcNow());
            Count(applied ? "replaced" : "stale");
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(e, request.ContactId, request.CardId, "the contact did not take the summary");
            Count("failed");
        }
    }

    /// <summary>
    /// The model's summary of <paramref name="facts"/> when the endpoint answered in time and the answer passed the guard;
    /// null otherwise (the card keeps its deterministic summary), with the reason logged. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<string?> WriteCheckedAsync(FactSheet facts, string contactId, string cardId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        string text;
        try
        {
            text = await pipeline.ExecuteAsync(async token => await writer.WriteAsync(facts, token), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            LogSkipped(contactId, cardId);
            Count("skipped");
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(e, contactId, cardId, e is TimeoutRejectedException ? $"no answer within {options.Timeout}" : e.GetType().Name);
            Count("failed");
            return null;
        }

        var verdict = guard.Check(text, facts);
        if (!verdict.Passed)
        {
            LogRejected(contactId, cardId, string.Join("; ", verdict.Problems));
            Count("rejected");
            return null;
        }

        return text;
    }

    /// <summary>
    /// The timeout sits inside the breaker, so calls that hang count as failures as calls that fail do. Only the endpoint's
    /// failures count: an answer the guard refuses says nothing about the endpoint's health.
    /// </summary>
    private ResiliencePipeline BuildPipeline() => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || e is TimeoutRejectedException),
            OnOpened = args =>
            {
                LogCircuitOpened(args.BreakDuration, args.Outcome.Exception?.GetType().Name ?? "failure");
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed();
                return ValueTask.CompletedTask;
            },
        })
        .AddTimeout(options.Timeout)
        .Build();

    private void Count(string outcome) => outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    [LoggerMessage(EventId = 1, EventName = "SummaryFallback", Level = LogLevel.Warning,
        Message = "Language-model summary for contact {ContactId}, card {CardId} not used ({Reason}); the deterministic summary stays.")]
    private partial void LogFailed(Exception exception, string contactId, string cardId, string reason);

    [LoggerMessage(EventId = 2, EventName = "SummaryRejected", Level = LogLevel.Warning,
        Message = "Language-model summary for contact {ContactId}, card {CardId} failed the grounding check ({Problems}); the deterministic summary stays.")]
    private partial void LogRejected(string contactId, string cardId, string problems);

    [LoggerMessage(EventId = 3, EventName = "SummarySkipped", Level = LogLevel.Debug,
        Message = "Language model circuit open: contact {ContactId}, card {CardId} keeps the deterministic summary.")]
    private partial void LogSkipped(string contactId, string cardId);

    [LoggerMessage(EventId = 4, EventName = "SummaryDropped", Level = LogLevel.Warning,
        Message = "Language-model summary queue full ({Capacity}): contact {ContactId}, card {CardId} keeps the deterministic summary.")]
    private partial void LogDropped(string contactId, string cardId, int capacity);

    [LoggerMessage(EventId = 5, EventName = "SummaryCircuitOpened", Level = LogLevel.Warning,
        Message = "The language model endpoint keeps failing ({Failure}): no model calls for {BreakDuration}; cards keep the deterministic summary.")]
    private partial void LogCircuitOpened(TimeSpan breakDuration, string failure);

    [LoggerMessage(EventId = 6, EventName = "SummaryCircuitClosed", Level = LogLevel.Information,
        Message = "The language model endpoint answers again: model summaries resume.")]
    private partial void LogCircuitClosed();
}
