using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Summaries;

/// <summary>What the fake endpoint received: the path, the Authorization header and the raw JSON body.</summary>
public sealed record ReceivedRequest(string Path, string? Authorization, string Body);

/// <summary>
/// A stand-in for an outside OpenAI-compatible API: a real Kestrel app on a free loopback port serving
/// POST /v1/chat/completions, recording every request and answering as the test says.
/// </summary>
public sealed class FakeChatEndpoint : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly TaskCompletionSource<ReceivedRequest> firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes only when the endpoint is disposed: a model that never answers while the test runs.</summary>
    private readonly TaskCompletionSource never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebApplication? app;

    private FakeChatEndpoint()
    {
    }

    /// <summary>The base URL to configure as Endpoint, e.g. http://127.0.0.1:54321/v1.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    /// <summary>Completes when the first request has been read, i.e. the call is on the wire.</summary>
    public Task<ReceivedRequest> FirstRequest => firstRequest.Task;

    /// <summary>Answers a chat completion whose first choice says <paramref name="content"/>.</summary>
    public static Func<FakeChatEndpoint, HttpContext, Task> Answering(string content) => (_, context) =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion",
            model = "fake",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        }));
    };

    /// <summary>Answers <paramref name="content"/> after <paramref name="delay"/>: a slow model (or one slower than the timeout).</summary>
    public static Func<FakeChatEndpoint, HttpContext, Task> AnsweringAfter(TimeSpan delay, string content) => async (endpoint, context) =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await Answering(content)(endpoint, context);
    };

    /// <summary>Answers what <paramref name="reply"/> makes of the request's user message (the fact sheet's JSON).</summary>
    public static Func<FakeChatEndpoint, HttpContext, Task> Replying(Func<JsonElement, string> reply) => (endpoint, context) =>
    {
        using var body = JsonDocument.Parse(((ReceivedRequest)context.Items[nameof(ReceivedRequest)]!).Body);
        var messages = body.RootElement.GetProperty("messages");
        using var facts = JsonDocument.Parse(messages[messages.GetArrayLength() - 1].GetProperty("content").GetString()!);
        return Answering(reply(facts.RootElement))(endpoint, context);
    };

    public static Func<FakeChatEndpoint, HttpContext, Task> Failing(int status, string body) => (_, context) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    };

    public static Func<FakeChatEndpoint, HttpContext, Task> Raw(string body) => (_, context) =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    };

    /// <summary>Reads the request and then waits for the end of the test without answering.</summary>
    public static Task Hanging(FakeChatEndpoint endpoint, HttpContext context) => endpoint.never.Task;

    public static async Task<FakeChatEndpoint> StartAsync(Func<FakeChatEndpoint, HttpContext, Task> answer)
    {
        var endpoint = new FakeChatEndpoint();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", (RequestDelegate)(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
            var received = new ReceivedRequest(context.Request.Path, authorization, body);
            endpoint.requests.Enqueue(received);
            context.Items[nameof(ReceivedRequest)] = received;
            endpoint.firstRequest.TrySetResult(received);
            await answer(endpoint, context);
        }));
        await app.StartAsync();
        endpoint.app = app;
        endpoint.BaseUrl = app.Urls.Single().TrimEnd('/') + "/v1";
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        never.TrySetResult();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
