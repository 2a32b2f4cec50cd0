using System.Text.Json;
using Handoff.Domain.Summary;
using Handoff.Server.Summaries;
using Microsoft.Extensions.DependencyInjection;
using static Handoff.Server.Tests.Summaries.SummaryTestData;

namespace Handoff.Server.Tests.Summaries;

/// <summary>The model writer as the host wires it (Microsoft.Extensions.AI over the OpenAI adapter), against a fake endpoint.</summary>
public sealed class LanguageModelSummaryWriterTests
{
    [Fact]
    public async Task Sends_the_fact_sheet_and_returns_the_models_text()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(GoodAnswer));
        await using var services = ModelServices(endpoint.BaseUrl, "sk-test-123");

        var summary = await services.GetRequiredService<LanguageModelSummaryWriter>().WriteAsync(BrandonFacts(), CancellationToken.None);

        Assert.Equal(GoodAnswer, summary);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-123", request.Authorization);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("test-model", root.GetProperty("model").GetString());
        Assert.Equal(0.2, root.GetProperty("temperature").GetDouble(), 3);
        var messages = root.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var prompt = messages[0].GetProperty("content").GetString()!;
        Assert.Contains("2 to 4", prompt, StringComparison.Ordinal);
        Assert.Contains("Use ONLY its facts", prompt, StringComparison.Ordinal);
        Assert.Contains("Never offer or promise", prompt, StringComparison.Ordinal);

        // The user message is the fact sheet itself, so its hash is the cache key.
        var user = messages[1].GetProperty("content").GetString()!;
        Assert.Equal(FactSheetJson.Of(BrandonFacts()), user);
        using var factsDocument = JsonDocument.Parse(user);
        var facts = factsDocument.RootElement;
        Assert.Equal("Brandon Lee", facts.GetProperty("name").GetString());
        Assert.Equal("SQL", facts.GetProperty("stage").GetString());
        Assert.Equal(82, facts.GetProperty("score").GetInt32());
        Assert.Equal(24, facts.GetProperty("trend_delta").GetInt32());
        var kinds = facts.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("appointment booked", kinds);
        Assert.DoesNotContain("proposal viewed", kinds); // dated after the sheet's moment: not a fact yet
        Assert.Equal("Monday", facts.GetProperty("today").GetProperty("weekday").GetString());

        // Nothing beyond the fact sheet: no ids, no owner, no message text outside the evidence.
        Assert.DoesNotContain("contact-brandon-42", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("owner-user-7", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("see you Tuesday", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_fact_sheet_is_answered_from_the_cache()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering("  One line.\n\nAnother   line.  "));
        await using var services = ModelServices(endpoint.BaseUrl);
        var writer = services.GetRequiredService<LanguageModelSummaryWriter>();

        var first = await writer.WriteAsync(BrandonFacts(), CancellationToken.None);
        var second = await writer.WriteAsync(BrandonFacts(), CancellationToken.None);
        await writer.WriteAsync(BrandonFacts() with { Score = 83 }, CancellationToken.None);

        Assert.Equal(("One line. Another line.", "One line. Another line."), (first, second));
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task An_error_status_throws()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Failing(500, """{"error":{"message":"model overloaded"}}"""));
        await using var services = ModelServices(endpoint.BaseUrl);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => services.GetRequiredService<LanguageModelSummaryWriter>().WriteAsync(BrandonFacts(), CancellationToken.None).AsTask());

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Single(endpoint.Requests); // no retries of its own: the service's breaker decides
    }
}
