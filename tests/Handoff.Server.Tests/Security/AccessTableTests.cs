using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Deploy;
using Handoff.Server.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// docs/security.md's table of every RPC, its roles and its scope, held against the real host: every RPC is called
/// with every role, another tenant, no token, an expired token and a token signed by another key, and its inbox and
/// actor rules are tried both ways. A refused call changes nothing.
/// </summary>
public sealed partial class AccessTableTests : IAsyncLifetime
{
    private const string Alice = "alice";
    private const string Contact = "c-1";

    private ServerHost host = null!;

    /// <summary>The tenant the callers of the allowed calls belong to.</summary>
    private Seeded own = null!;

    /// <summary>A tenant nobody of the test may touch; its state is compared before and after the refused calls.</summary>
    private Seeded victim = null!;

    private sealed record Row(string Rpc, IReadOnlySet<string> Roles, IReadOnlySet<string> Scope);

    /// <summary>A tenant with a contact owned by alice, its active card and alice's notification of it.</summary>
    private sealed record Seeded(string Tenant, string CardId);

    // Accepted watches say so at once with a heartbeat instead of waiting for a notification.
    public async Task InitializeAsync()
    {
        host = await ServerHost.StartAsync(settings: "Handoff:Api:WatchHeartbeatInterval=00:00:00.200");
        own = await SeedAsync();
        victim = await SeedAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public void The_table_has_one_row_for_every_rpc_and_its_scope_matches_the_request_fields()
    {
        var table = Table();

        Assert.Equal(ApiCall.Rpcs.Select(ApiCall.FullName).Order(), table.Select(r => r.Rpc).Order());
        foreach (var rpc in ApiCall.Rpcs)
        {
            var row = table.Single(r => r.Rpc == ApiCall.FullName(rpc));
            var fields = rpc.InputType.Fields.InDeclarationOrder().Select(f => f.Name).ToHashSet();
            Assert.True(row.Scope.Contains("tenant") && fields.Contains("tenant_id"), $"{row.Rpc}: every request is scoped to its tenant");
            Assert.True(row.Scope.Contains("inbox") == fields.Contains("inbox"), $"{row.Rpc}: scope 'inbox' exactly when the request names an inbox");
            Assert.True(row.Scope.Contains("actor") == fields.Contains("actor_user_id"), $"{row.Rpc}: scope 'actor' exactly when the request names an actor");
            Assert.NotEmpty(row.Roles);
            Assert.Subset(new HashSet<string>(TestCredentials.AllRoles), new HashSet<string>(row.Roles));
        }
    }

    [Fact]
    public async Task Every_rpc_admits_exactly_the_roles_of_its_row()
    {
        var before = await SnapshotAsync(own);
        foreach (var row in Table())
        {
            var rpc = Rpc(row.Rpc);
            foreach (var role in TestCredentials.AllRoles.Where(r => !row.Roles.Contains(r)).Append("none"))
            {
                var refused = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, Request(rpc, own), AliceAs(own, role));
                AssertRefused(StatusCode.PermissionDenied, "ROLE_REQUIRED", refused, $"{row.Rpc} as {role}");
            }
        }

        // Refused by role, nothing happened; then each role of the row is let in.
        Assert.Equal(before, await SnapshotAsync(own));
        foreach (var row in Table())
        {
            var rpc = Rpc(row.Rpc);
            foreach (var role in row.Roles)
            {
                var answer = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, Request(rpc, own), AliceAs(own, role));
                AssertAdmitted(answer, $"{row.Rpc} as {role}");
            }
        }
    }

    [Fact]
    public async Task Every_rpc_refuses_another_tenant_and_every_bad_token_and_the_tenant_is_unchanged()
    {
        var otherKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        var callers = new (string Who, Metadata? Headers, StatusCode Expected, string Reason)[]
        {
            ("a caller of another tenant, with every role", host.Credentials.Headers(own.Tenant, Alice), StatusCode.PermissionDenied, "OUTSIDE_CALLER_SCOPE"),
            ("no token", null, StatusCode.Unauthenticated, "UNAUTHENTICATED"),
            ("an expired token", TestCredentials.Bearer(ExpiredToken()), StatusCode.Unauthenticated, "UNAUTHENTICATED"),
            ("a token signed with another key", TestCredentials.Bearer(TestCredentials.Token(victim.Tenant, Alice, TestCredentials.AllRoles,
                DateTimeOffset.UtcNow, TimeSpan.FromHours(1), otherKey)), StatusCode.Unauthenticated, "UNAUTHENTICATED"),
            ("a token of another issuer", TestCredentials.Bearer(TestCredentials.Token(victim.Tenant, Alice, TestCredentials.AllRoles,
                DateTimeOffset.UtcNow, TimeSpan.FromHours(1), SharedKey(), issuer: "someone-else")), StatusCode.Unauthenticated, "UNAUTHENTICATED"),
            ("a token for another audience", TestCredentials.Bearer(TestCredentials.Token(victim.Tenant, Alice, TestCredentials.AllRoles,
                DateTimeOffset.UtcNow, TimeSpan.FromHours(1), SharedKey(), audience: "another-api")), StatusCode.Unauthenticated, "UNAUTHENTICATED"),
        };
        var before = await SnapshotAsync(victim);

        foreach (var rpc in ApiCall.Rpcs)
        {
            foreach (var (who, headers, expected, reason) in callers)
            {
                var refused = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, Request(rpc, victim), headers);
                AssertRefused(expected, reason, refused, $"{ApiCall.FullName(rpc)} by {who}");
            }
        }

        Assert.Equal(before, await SnapshotAsync(victim));
    }

    [Fact]
    public async Task An_agent_reads_its_own_the_unassigned_and_the_team_inbox_and_an_admin_any()
    {
        foreach (var row in Table().Where(r => r.Scope.Contains("inbox")))
        {
            var rpc = Rpc(row.Rpc);
            var unread = await UnreadAsync();
            var refused = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, Request(rpc, own), host.Credentials.Headers(own.Tenant, "bob", "agent"));
            AssertRefused(StatusCode.PermissionDenied, "OUTSIDE_CALLER_SCOPE", refused, $"{row.Rpc}: bob, an agent, on alice's inbox");
            Assert.Contains("inbox.user_id", refused!.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(unread, await UnreadAsync());

            foreach (var inbox in new[] { new InboxRef { Kind = InboxKind.Unassigned }, new InboxRef { Kind = InboxKind.Team }, new InboxRef { Kind = InboxKind.User, UserId = "bob" } })
            {
                var request = WithInbox(Request(rpc, own), inbox);
                AssertAdmitted(await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, request, host.Credentials.Headers(own.Tenant, "bob", "agent")),
                    $"{row.Rpc}: bob, an agent, on the {inbox.Kind} inbox {inbox.UserId}");
            }

            AssertAdmitted(await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, Request(rpc, own), host.Credentials.Headers(own.Tenant, "bob", "admin")),
                $"{row.Rpc}: bob, an admin, on alice's inbox");
        }
    }

    [Fact]
    public async Task Only_a_service_account_acts_for_another_user_and_everyone_else_is_recorded_as_themselves()
    {
        foreach (var row in Table().Where(r => r.Scope.Contains("actor")))
        {
            var rpc = Rpc(row.Rpc);
            var person = row.Roles.FirstOrDefault(r => r != "ingest") ?? "admin";
            var history = await HistoryAsync();

            var refused = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, WithActor(Request(rpc, own), "mallory"), AliceAs(own, person));
            AssertRefused(StatusCode.PermissionDenied, "OUTSIDE_CALLER_SCOPE", refused, $"{row.Rpc}: alice ({person}) acting as mallory");
            Assert.Contains("actor_user_id", refused!.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(history, await HistoryAsync());

            var relayed = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, WithActor(Request(rpc, own), "mallory"),
                host.Credentials.Headers(own.Tenant, "crm-sync", row.Roles.Contains("ingest") ? ["ingest"] : [person, "ingest"]));
            AssertAdmitted(relayed, $"{row.Rpc}: a service account acting for mallory");
        }

        // A person's action is recorded as the token's user, whatever the request leaves out.
        var pause = new PauseAllOutreachRequest { ContactId = Contact, CardId = own.CardId, Reason = "calling" };
        await host.As(own.Tenant, "carol", "agent").Handoffs.PauseAllOutreachAsync(pause);
        var paused = (await host.As(own.Tenant, Alice, "agent").Contacts.GetContactAsync(new GetContactRequest { ContactId = Contact })).Contact;
        Assert.Equal("carol", paused.OutreachPause.PausedByUserId);
    }

    [Fact]
    public async Task A_request_without_a_tenant_is_served_in_the_tenant_of_its_token()
    {
        var contact = (await host.As(victim.Tenant, Alice, "agent").Contacts.GetContactAsync(new GetContactRequest { ContactId = Contact })).Contact;

        Assert.Equal(victim.Tenant, contact.TenantId);
        Assert.Equal(victim.CardId, contact.Card.CardId);
    }

    private static void AssertRefused(StatusCode expected, string reason, RpcException? failure, string what)
    {
        Assert.True(failure is not null, $"{what}: answered, expected {expected}");
        Assert.True(failure.StatusCode == expected, $"{what}: {failure.StatusCode} ({failure.Status.Detail}), expected {expected}");
        var status = failure.GetRpcStatus();
        Assert.True(status?.GetDetail<ErrorInfo>()?.Reason == reason, $"{what}: expected reason {reason}, got {status}");
        Assert.False(string.IsNullOrEmpty(status!.GetDetail<RequestInfo>()?.RequestId), $"{what}: no correlation id");
    }

    private static void AssertAdmitted(RpcException? failure, string what) =>
        Assert.True(failure is null or { StatusCode: not (StatusCode.PermissionDenied or StatusCode.Unauthenticated) },
            $"{what}: refused {failure?.StatusCode} ({failure?.Status.Detail})");

    private static IReadOnlyList<Row> Table()
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(DeployFiles.PathOf("docs/security.md")))
        {
            if (RowPattern().Match(line) is { Success: true } match)
            {
                rows.Add(new Row(match.Groups["rpc"].Value, Words(match.Groups["roles"].Value), Words(match.Groups["scope"].Value)));
            }
        }

        return rows;

        static HashSet<string> Words(string cell) => cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    private static MethodDescriptor Rpc(string fullName) => ApiCall.Rpcs.Single(r => ApiCall.FullName(r) == fullName);

    /// <summary>Alice's token in <paramref name="tenant"/> with one role, or with none ("none").</summary>
    private Metadata AliceAs(Seeded tenant, string role) => role == "none"
        ? TestCredentials.Bearer(TestCredentials.Token(tenant.Tenant, Alice, [], DateTimeOffset.UtcNow, TimeSpan.FromHours(1), SharedKey()))
        : host.Credentials.Headers(tenant.Tenant, Alice, role);

    private string ExpiredToken() => TestCredentials.Token(victim.Tenant, Alice, TestCredentials.AllRoles,
        DateTimeOffset.UtcNow - TimeSpan.FromHours(2), TimeSpan.FromHours(1), SharedKey());

    private SymmetricSecurityKey SharedKey() => new(Convert.FromBase64String(host.Credentials.SigningKey));

    /// <summary>A request each RPC would carry out for <paramref name="tenant"/>, were its caller allowed.</summary>
    private static IMessage Request(MethodDescriptor rpc, Seeded tenant)
    {
        var alice = new InboxRef { Kind = InboxKind.User, UserId = Alice };
        var t = tenant.Tenant;
        return rpc.Name switch
        {
            "UpsertContact" => new UpsertContactRequest { TenantId = t, ContactId = "c-new", DisplayName = "New Contact" },
            "GetContact" => new GetContactRequest { TenantId = t, ContactId = Contact },
            "SetAutoEngage" => new SetAutoEngageRequest { TenantId = t, ContactId = Contact, Enabled = false, CardId = tenant.CardId },
            "AssignOwner" => new AssignOwnerRequest { TenantId = t, ContactId = Contact, OwnerUserId = "bob", CardId = tenant.CardId },
            "GetContactHistory" => new GetContactHistoryRequest { TenantId = t, ContactId = Contact },
            "GetHandoffCard" => new GetHandoffCardRequest { TenantId = t, ContactId = Contact },
            "ResumeAutomation" => new ResumeAutomationRequest { TenantId = t, ContactId = Contact, CardId = tenant.CardId },
            "PauseAllOutreach" => new PauseAllOutreachRequest { TenantId = t, ContactId = Contact, CardId = tenant.CardId, Reason = "calling" },
            "ResumeOutreach" => new ResumeOutreachRequest { TenantId = t, ContactId = Contact, CardId = tenant.CardId },
            "ListActiveHandoffs" => new ListActiveHandoffsRequest { TenantId = t },
            "IngestEvents" => new IngestEventsRequest { TenantId = t, BatchId = "b", Events = { new ProtoEvents(Contact).Opened(TimeSpan.FromMinutes(5)) } },
            "IngestBatch" => new IngestBatchRequest { TenantId = t, BatchId = "b", Events = { new ProtoEvents(Contact).Opened(TimeSpan.FromMinutes(5)) } },
            "ListNotifications" => new ListNotificationsRequest { TenantId = t, Inbox = alice },
            "WatchNotifications" => new WatchNotificationsRequest { TenantId = t, Inbox = alice },
            "MarkNotificationsRead" => new MarkNotificationsReadRequest { TenantId = t, Inbox = alice, UpToSequence = 1 },
            "QueueMessage" => new QueueMessageRequest
            {
                TenantId = t, ContactId = Contact, MessageId = $"m-{Guid.NewGuid():N}", Source = MessageSource.Manual, Channel = Channel.Email, Body = "Hi",
            },
            "ListMessages" => new ListMessagesRequest { TenantId = t, ContactId = Contact },
            "CheckOutreach" => new CheckOutreachRequest { TenantId = t, ContactId = Contact, Source = MessageSource.Si },
            "ClaimDueMessages" => new ClaimDueMessagesRequest { TenantId = t, ContactId = Contact },
            _ => throw new InvalidOperationException($"{ApiCall.FullName(rpc)} has no request in this test: add one."),
        };
    }

    private static IMessage WithInbox(IMessage request, InboxRef inbox)
    {
        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteArray());
        copy.Descriptor.FindFieldByName("inbox").Accessor.SetValue(copy, inbox);
        return copy;
    }

    private static IMessage WithActor(IMessage request, string actor)
    {
        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteArray());
        copy.Descriptor.FindFieldByName("actor_user_id").Accessor.SetValue(copy, actor);
        return copy;
    }

    private async Task<Seeded> SeedAsync()
    {
        var tenant = new TestTenant(host);
        var raised = await tenant.RaiseCardAsync(Contact, owner: Alice);
        await tenant.QueueAsync(Contact, "si-1");
        return new Seeded(tenant.Id, raised.Card.CardId);
    }

    private async Task<int> UnreadAsync() =>
        (await host.As(own.Tenant, Alice, "agent").Notifications.ListNotificationsAsync(new ListNotificationsRequest
        {
            Inbox = new InboxRef { Kind = InboxKind.User, UserId = Alice },
        })).UnreadCount;

    private async Task<string> HistoryAsync() =>
        (await host.As(own.Tenant, Alice, "admin").Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { ContactId = Contact, PageSize = 500 })).ToString();

    /// <summary>What a refused call must not change: the contact (less its clock-decayed engagement), its trail, queue, inboxes and cards.</summary>
    private async Task<string> SnapshotAsync(Seeded tenant)
    {
        var admin = host.As(tenant.Tenant, "auditor", "admin");
        var contact = (await admin.Contacts.GetContactAsync(new GetContactRequest { ContactId = Contact })).Contact;
        contact.Engagement = null;
        var parts = new List<IMessage>
        {
            contact,
            await admin.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { ContactId = Contact, PageSize = 500 }),
            await admin.Outreach.ListMessagesAsync(new ListMessagesRequest { ContactId = Contact, PageSize = 500 }),
            await admin.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { PageSize = 500 }),
        };
        foreach (var inbox in new[] { InboxKind.Unassigned, InboxKind.Team })
        {
            parts.Add(await admin.Notifications.ListNotificationsAsync(new ListNotificationsRequest { Inbox = new InboxRef { Kind = inbox } }));
        }

        foreach (var user in new[] { Alice, "bob" })
        {
            parts.Add(await admin.Notifications.ListNotificationsAsync(new ListNotificationsRequest { Inbox = new InboxRef { Kind = InboxKind.User, UserId = user } }));
        }

        return string.Join("\n", parts.Select(p => p.ToString())) + $"\nthe contact UpsertContact creates: {await ExistsAsync(admin, "c-new")}";
    }

    private static async Task<bool> ExistsAsync(HostClients admin, string contactId)
    {
        try
        {
            await admin.Contacts.GetContactAsync(new GetContactRequest { ContactId = contactId });
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\| `(?<rpc>handoff\.v1\.\w+/\w+)` \| (?<roles>[a-z, ]+) \| (?<scope>[a-z, ]+) \|$")]
    private static partial Regex RowPattern();
}
