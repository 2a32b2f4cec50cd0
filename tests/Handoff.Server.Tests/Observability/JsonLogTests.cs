using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Net.Client;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Observability;

/// <summary>
/// Handoff:Observability:JsonLogs puts the console on the JSON formatter with scopes, and card transitions are logged
/// as structured lines: tenant, contact, card and reasons as fields of their own, not only inside the message.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class JsonLogTests
{
    [Fact]
    public void The_console_is_human_readable_by_default_and_JSON_with_scopes_when_JsonLogs_is_on()
    {
        using (var plain = HandoffServer.Build(Args()))
        {
            Assert.NotEqual(ConsoleFormatterNames.Json, plain.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        }

        using var json = HandoffServer.Build(Args("--Handoff:Observability:JsonLogs=true"));
        Assert.Equal(ConsoleFormatterNames.Json, json.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(json.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }

    [Fact]
    public async Task A_raised_and_a_resolved_card_are_logged_with_tenant_contact_card_and_reasons_as_JSON_fields()
    {
        var captured = new CapturingLoggerProvider();
        var credentials = new TestCredentials();
        var app = HandoffServer.Build(
            ServerHost.ThrowawayArgs(credentials, "--Handoff:Observability:JsonLogs=true", "--Logging:LogLevel:Handoff.Grains=Information"),
            builder => builder.Logging.AddProvider(captured));
        await app.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(app.Services.GetRequiredService<IOptions<HandoffServerOptions>>().Value.GrpcUrl);
            var invoker = credentials.ForRequestTenant(channel.CreateCallInvoker());
            var tenantId = ServerFixture.NewTenant();
            var contacts = new ContactService.ContactServiceClient(invoker);
            await contacts.UpsertContactAsync(new UpsertContactRequest
            {
                TenantId = tenantId, ContactId = "c-1", OwnerUserId = "alice", Stage = LifecycleStage.Sql, Phase = PipelinePhase.Win,
            });
            var batch = new IngestBatchRequest { TenantId = tenantId, BatchId = "b-1" };
            batch.Events.AddRange(new ProtoEvents("c-1").RisingBuyer());
            await new IngestService.IngestServiceClient(invoker).IngestBatchAsync(batch);
            var card = (await contacts.GetContactAsync(new GetContactRequest { TenantId = tenantId, ContactId = "c-1" })).Contact.Card;
            await new HandoffService.HandoffServiceClient(invoker).ResumeAutomationAsync(new ResumeAutomationRequest
            {
                TenantId = tenantId, ContactId = "c-1", CardId = card.CardId, ActorUserId = "alice",
            });

            var raised = captured.Single(e => e.Field("TenantId") == tenantId && e.Field("{OriginalFormat}")!.Contains("raised", StringComparison.Ordinal));
            var resolved = captured.Single(e => e.Field("TenantId") == tenantId && e.Field("{OriginalFormat}")!.Contains("resolved", StringComparison.Ordinal));
            Assert.Equal(("c-1", card.CardId), (raised.Field("ContactId"), raised.Field("CardId")));
            Assert.Equal(card.Reasons.Select(r => r.Reason.ToString()).Order(), raised.Field("Reasons")!.Split(',').Order());
            Assert.Equal(("c-1", card.CardId, "alice"), (resolved.Field("ContactId"), resolved.Field("CardId"), resolved.Field("ActorUserId")));
            Assert.Equal(LogLevel.Information, raised.Level);

            // The same entry as the console writes it: one JSON object, the message's values as fields of State.
            var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
            using var line = JsonDocument.Parse(raised.Render(formatter));
            var root = line.RootElement;
            Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
            Assert.Equal(raised.Category, root.GetProperty("Category").GetString());
            Assert.Contains(card.CardId, root.GetProperty("Message").GetString(), StringComparison.Ordinal);
            var state = root.GetProperty("State");
            Assert.Equal((tenantId, "c-1", card.CardId), (state.GetProperty("TenantId").GetString(), state.GetProperty("ContactId").GetString(), state.GetProperty("CardId").GetString()));
            Assert.Equal(raised.Field("Reasons"), state.GetProperty("Reasons").GetString());
            Assert.Equal(JsonValueKind.Number, state.GetProperty("Score").ValueKind);
            Assert.Contains("a scope", root.GetProperty("Scopes").EnumerateArray().Select(s => s.ToString()));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The arguments ServerHost starts a host with (free loopback ports, a new SQLite file); later ones win.</summary>
    private static string[] Args(params string[] more) => ServerHost.ThrowawayArgs(null, more);


    /// <summary>One log entry as the logger received it: its fields, and a way to write it through a console formatter.</summary>
    private sealed record CapturedEntry(string Category, LogLevel Level, IReadOnlyDictionary<string, string?> Fields, Func<ConsoleFormatter, string> Render)
    {
        public string? Field(string name) => Fields.GetValueOrDefault(name);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<CapturedEntry> entries = new();

        public CapturedEntry Single(Func<CapturedEntry, bool> match)
        {
            var found = entries.Where(match).ToList();
            Assert.True(found.Count == 1, $"{found.Count} matching log entries among {entries.Count}.");
            return found[0];
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!category.StartsWith("Handoff.", StringComparison.Ordinal) || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
                {
                    return;
                }

                provider.entries.Enqueue(new CapturedEntry(
                    category,
                    logLevel,
                    fields.ToDictionary(f => f.Key, f => f.Value?.ToString()),
                    console =>
                    {
                        using var writer = new StringWriter();
                        var scopes = new LoggerExternalScopeProvider();
                        using var scope = scopes.Push("a scope");
                        console.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), scopes, writer);
                        return writer.ToString();
                    }));
            }
        }
    }
}
