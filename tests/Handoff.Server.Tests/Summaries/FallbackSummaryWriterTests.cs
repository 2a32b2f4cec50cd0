using Handoff.Domain.Summary;
using Handoff.Server.Summaries;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Server.Tests.Summaries.SummaryTestData;

namespace Handoff.Server.Tests.Summaries;

/// <summary>The language-model writer against a fake endpoint, behind the fallback; no silo needed.</summary>
public sealed class FallbackSummaryWriterTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient http = new();
    private readonly FakeTimeProvider time = new(Now);
    private readonly CapturingLogger<FallbackSummaryWriter> log = new();

    public void Dispose() => http.Dispose();

    private FallbackSummaryWriter Writer(FakeChatEndpoint endpoint, TimeSpan? timeout = null) => new(
        new LanguageModelSummaryWriter(http, Options.Create(new LanguageModelSummaryOptions { Enabled = true, Endpoint = endpoint.BaseUrl, Model = "test-model" })),
        new DeterministicSummaryWriter(),
        timeout ?? Timeout,
        time,
        log);

    private LogEntry SingleWarning()
    {
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("SummaryFallback", entry.EventId.Name);
        Assert.Contains("contact-brandon-42", entry.Message, StringComparison.Ordinal);
        return entry;
    }

    [Fact]
    public async Task A_good_answer_goes_on_the_card_as_written()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(GoodAnswer));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(GoodAnswer, summary);
        Assert.NotEqual(Deterministic(Brandon()), summary);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task No_answer_in_time_falls_back_to_the_deterministic_summary()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Hanging);
        // Five minutes on the fake clock: a writer timing out on the real clock would trip the guard and fail.
        var timeout = TimeSpan.FromMinutes(5);
        var writing = Writer(endpoint, timeout).WriteAsync(Brandon(), CancellationToken.None).AsTask();
        await endpoint.FirstRequest.WaitAsync(Guard);

        time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(writing.IsCompleted, "The deadline has not passed yet.");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var summary = await writing.WaitAsync(Guard);

        Assert.Equal(Deterministic(Brandon()), summary);
        Assert.Contains("no answer within 300 s", SingleWarning().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_turned_into_a_summary()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Hanging);
        using var caller = new CancellationTokenSource();
        var writing = Writer(endpoint).WriteAsync(Brandon(), caller.Token).AsTask();
        await endpoint.FirstRequest.WaitAsync(Guard);

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing.WaitAsync(Guard));
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task A_server_error_falls_back_to_the_deterministic_summary()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Failing(StatusCodes.Status500InternalServerError, """{"error":"boom"}"""));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(Deterministic(Brandon()), summary);
        var warning = SingleWarning();
        Assert.Contains("500", warning.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(warning.Exception);
        Assert.Single(endpoint.Requests);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"object":"error"}""")]
    public async Task An_unreadable_answer_falls_back_to_the_deterministic_summary(string body)
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Raw(body));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(Deterministic(Brandon()), summary);
        Assert.IsType<InvalidDataException>(SingleWarning().Exception);
    }

    [Fact]
    public async Task A_six_sentence_answer_falls_back_to_the_deterministic_summary()
    {
        const string sixSentences = "Brandon is engaged. Brandon booked twice. Brandon explored Phona. "
            + "Brandon viewed pricing. The tone is positive. A person should call now.";
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(sixSentences));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(Deterministic(Brandon()), summary);
        Assert.Contains("6 sentences, not 2 to 4", SingleWarning().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_sentence_answer_falls_back_to_the_deterministic_summary()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering("Brandon is ready to buy."));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(Deterministic(Brandon()), summary);
        Assert.Contains("1 sentences, not 2 to 4", SingleWarning().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public async Task An_empty_answer_falls_back_to_the_deterministic_summary(string answer)
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(answer));

        var summary = await Writer(endpoint).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(Deterministic(Brandon()), summary);
        Assert.Contains("the answer was empty", SingleWarning().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deterministic_summary_itself_keeps_to_the_rule()
    {
        var summary = await new DeterministicSummaryWriter().WriteAsync(Brandon(), CancellationToken.None);

        Assert.InRange(SentenceCounter.Count(summary), FallbackSummaryWriter.MinSentences, FallbackSummaryWriter.MaxSentences);
    }
}
