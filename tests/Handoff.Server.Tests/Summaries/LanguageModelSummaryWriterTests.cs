using System.Text.Json;
using Handoff.Server.Summaries;
using Microsoft.Extensions.Options;
using static Handoff.Server.Tests.Summaries.SummaryTestData;

namespace Handoff.Server.Tests.Summaries;

public sealed class LanguageModelSummaryWriterTests
{
    private const string FactsPrefix = "Facts about the contact:\n";

    private static LanguageModelSummaryWriter Writer(HttpClient http, string endpoint, string? apiKey) =>
        new(http, Options.Create(new LanguageModelSummaryOptions { Enabled = true, Endpoint = endpoint, Model = "test-model", ApiKey = apiKey }));

    [Fact]
    public async Task Sends_the_contacts_facts_and_returns_the_models_text()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(GoodAnswer));
        using var http = new HttpClient();

        var summary = await Writer(http, endpoint.BaseUrl, "sk-test-123").WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal(GoodAnswer, summary);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-123", request.Authorization);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("test-model", root.GetProperty("model").GetString());
        Assert.Equal(220, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.2, root.GetProperty("temperature").GetDouble());
        var messages = root.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var prompt = messages[0].GetProperty("content").GetString()!;
        Assert.Contains("2 to 4", prompt, StringComparison.Ordinal);
        Assert.Contains("ONLY the facts", prompt, StringComparison.Ordinal);
        Assert.Contains("Do not invent names, numbers", prompt, StringComparison.Ordinal);
        Assert.Equal("user", messages[1].GetProperty("role").GetString());

        var user = messages[1].GetProperty("content").GetString()!;
        Assert.StartsWith(FactsPrefix, user, StringComparison.Ordinal);
        using var factsDocument = JsonDocument.Parse(user[FactsPrefix.Length..]);
        var facts = factsDocument.RootElement;
        Assert.Equal("Brandon Lee", facts.GetProperty("name").GetString());
        Assert.Equal("SQL", facts.GetProperty("stage").GetString());
        Assert.Equal("WIN", facts.GetProperty("phase").GetString());
        Assert.Equal(82, facts.GetProperty("score").GetInt32());
        Assert.Equal("rising", facts.GetProperty("trend").GetString());
        Assert.Equal(24, facts.GetProperty("trend_delta").GetInt32());
        Assert.Equal("positive", facts.GetProperty("sentiment").GetString());

        var reasons = facts.GetProperty("reasons");
        Assert.Equal(2, reasons.GetArrayLength());
        Assert.Equal("buying signals", reasons[0].GetProperty("reason").GetString());
        Assert.Equal(
            ["Booked 2 appointments in the last 7 days", "Visited the pricing page once"],
            reasons[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("Appointment in 18 hours", reasons[1].GetProperty("evidence")[0].GetString());

        var counts = facts.GetProperty("recent_event_counts");
        Assert.Equal(2, counts.GetProperty("appointment_booked").GetInt32());
        Assert.Equal(1, counts.GetProperty("sms_received").GetInt32());
        Assert.Equal(1, counts.GetProperty("page_viewed").GetInt32());
        Assert.False(counts.TryGetProperty("proposal_viewed", out _), "An event after Now is not a fact yet.");
        Assert.Equal(["Phona"], facts.GetProperty("features_explored").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(facts.GetProperty("pricing_page_viewed").GetBoolean());

        // Nothing beyond the summary input: no ids, no owner, no message text outside the evidence.
        Assert.DoesNotContain("contact-brandon-42", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("owner-user-7", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("see you Tuesday", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_no_authorization_without_a_key_and_accepts_a_trailing_slash()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering("  One line.\n\nAnother   line.  "));
        using var http = new HttpClient();

        var summary = await Writer(http, endpoint.BaseUrl + "/", apiKey: null).WriteAsync(Brandon(), CancellationToken.None);

        Assert.Equal("One line. Another line.", summary);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task A_contact_without_a_name_goes_without_one()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(GoodAnswer));
        using var http = new HttpClient();
        var input = Brandon() with { Profile = Brandon().Profile with { DisplayName = "  " } };

        await Writer(http, endpoint.BaseUrl, apiKey: null).WriteAsync(input, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(endpoint.Requests).Body);
        var user = body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!;
        using var facts = JsonDocument.Parse(user[FactsPrefix.Length..]);
        Assert.False(facts.RootElement.TryGetProperty("name", out _), "A missing name is left out, never made up.");
        Assert.Contains("\"this contact\" when the facts give no name", LanguageModelSummaryWriter.SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_status_throws_with_the_status_and_the_endpoints_message()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Failing(404, """{"error":{"message":"model 'test-model' not found"}}"""));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Writer(http, endpoint.BaseUrl, null).WriteAsync(Brandon(), CancellationToken.None).AsTask());

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains("model 'test-model' not found", error.Message, StringComparison.Ordinal);
    }
}
