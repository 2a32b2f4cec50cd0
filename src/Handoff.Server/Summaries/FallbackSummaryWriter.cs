using System.Globalization;
using Handoff.Domain.Summary;

namespace Handoff.Server.Summaries;

/// <summary>
/// Runs a primary summary writer (the language model) under a deadline and uses the deterministic writer
/// whenever the primary's answer cannot go on a card: it threw, it missed the deadline, or its text is empty
/// or not 2-4 sentences (<see cref="SentenceCounter"/>). Each fallback is logged as a warning with its reason.
/// </summary>
/// <remarks>
/// The deadline is a timer from the injected <see cref="TimeProvider"/>, linked with the caller's token, so
/// tests can move time instead of waiting. When the caller cancels, the cancellation propagates: nobody wants a summary.
/// </remarks>
public sealed partial class FallbackSummaryWriter : ISummaryWriter
{
    public const int MinSentences = 2;
    public const int MaxSentences = 4;

    private readonly ISummaryWriter primary;
    private readonly DeterministicSummaryWriter fallback;
    private readonly TimeSpan timeout;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<FallbackSummaryWriter> logger;

    public FallbackSummaryWriter(
        ISummaryWriter primary,
        DeterministicSummaryWriter fallback,
        TimeSpan timeout,
        TimeProvider timeProvider,
        ILogger<FallbackSummaryWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        this.primary = primary;
        this.fallback = fallback;
        this.timeout = timeout;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public async ValueTask<string> WriteAsync(SummaryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var contactId = input.Profile.ContactId;
        string text;
        using (var deadline = new CancellationTokenSource(timeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                text = (await primary.WriteAsync(input, linked.Token).ConfigureAwait(false) ?? string.Empty).Trim();
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogFallback(contactId, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s"), exception: null);
                return await fallback.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogFallback(contactId, $"the call failed: {e.GetType().Name}: {e.Message}", e);
                return await fallback.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            }
        }

        if (text.Length == 0)
        {
            LogFallback(contactId, "the answer was empty", exception: null);
            return await fallback.WriteAsync(input, cancellationToken).ConfigureAwait(false);
        }

        var sentences = SentenceCounter.Count(text);
        if (sentences is < MinSentences or > MaxSentences)
        {
            LogFallback(
                contactId,
                string.Create(CultureInfo.InvariantCulture, $"the answer has {sentences} sentences, not {MinSentences} to {MaxSentences}"),
                exception: null);
            return await fallback.WriteAsync(input, cancellationToken).ConfigureAwait(false);
        }

        return text;
    }

    [LoggerMessage(EventId = 1, EventName = "SummaryFallback", Level = LogLevel.Warning,
        Message = "Language-model summary for contact {ContactId} not used ({Reason}); the deterministic summary was written instead.")]
    private partial void LogFallback(string contactId, string reason, Exception? exception);
}
