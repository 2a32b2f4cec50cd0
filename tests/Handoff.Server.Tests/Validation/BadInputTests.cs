using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Validation;

/// <summary>
/// Every RPC of the five services refuses bad input with INVALID_ARGUMENT and a google.rpc.BadRequest that names the
/// offending field, before touching any grain.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture fixture)
{
    private const string Contact = "c-1";
    private static readonly string TooLongId = new('x', 257);

    /// <param name="Rpc">"Service/Method", as in the proto.</param>
    /// <param name="What">What is wrong with the request.</param>
    /// <param name="Field">The field the BadRequest must name.</param>
    /// <param name="Call">Makes the call in the given tenant.</param>
    public sealed record Case(string Rpc, string What, string Field, Func<ServerHost, string, Task> Call)
    {
        public string Name => $"{Rpc}: {What}";
    }

    private static readonly Case[] Cases =
    [
        // ContactService
        new("ContactService/UpsertContact", "empty contact id", "contact_id",
            (h, t) => h.Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = t }).ResponseAsync),
        new("ContactService/UpsertContact", "display name over 200 characters", "display_name",
            (h, t) => h.Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = t, ContactId = Contact, DisplayName = new string('n', 201) }).ResponseAsync),
        new("ContactService/UpsertContact", "unknown stage", "stage",
            (h, t) => h.Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = t, ContactId = Contact, Stage = (LifecycleStage)42 }).ResponseAsync),
        new("ContactService/GetContact", "empty contact id", "contact_id",
            (h, t) => h.Contacts.GetContactAsync(new GetContactRequest { TenantId = t }).ResponseAsync),
        new("ContactService/GetContact", "contact id over 256 characters", "contact_id",
            (h, t) => h.Contacts.GetContactAsync(new GetContactRequest { TenantId = t, ContactId = TooLongId }).ResponseAsync),
        new("ContactService/SetAutoEngage", "empty contact id", "contact_id",
            (h, t) => h.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = t, Enabled = true }).ResponseAsync),
        new("ContactService/SetAutoEngage", "card id with a control character", "card_id",
            (h, t) => h.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = t, ContactId = Contact, CardId = "card\u0001" }).ResponseAsync),
        new("ContactService/AssignOwner", "owner id over 256 characters", "owner_user_id",
            (h, t) => h.Contacts.AssignOwnerAsync(new AssignOwnerRequest { TenantId = t, ContactId = Contact, OwnerUserId = TooLongId }).ResponseAsync),
        new("ContactService/GetContactHistory", "page size over 500", "page_size",
            (h, t) => h.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = t, ContactId = Contact, PageSize = 501 }).ResponseAsync),
        new("ContactService/GetContactHistory", "negative page size", "page_size",
            (h, t) => h.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = t, ContactId = Contact, PageSize = -1 }).ResponseAsync),
        new("ContactService/GetContactHistory", "page token the server never issued", "page_token",
            (h, t) => h.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = t, ContactId = Contact, PageToken = "not-a-token" }).ResponseAsync),

        // HandoffService
        new("HandoffService/GetHandoffCard", "empty contact id", "contact_id",
            (h, t) => h.Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = t }).ResponseAsync),
        new("HandoffService/ResumeAutomation", "empty card id", "card_id",
            (h, t) => h.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = t, ContactId = Contact, ActorUserId = "alice" }).ResponseAsync),
        new("HandoffService/ResumeAutomation", "empty contact id", "contact_id",
            (h, t) => h.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = t, CardId = "card-1" }).ResponseAsync),
        new("HandoffService/PauseAllOutreach", "reason over 500 characters", "reason",
            (h, t) => h.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = t, ContactId = Contact, CardId = "card-1", Reason = new string('r', 501) }).ResponseAsync),
        new("HandoffService/PauseAllOutreach", "empty contact id", "contact_id",
            (h, t) => h.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = t, CardId = "card-1" }).ResponseAsync),
        new("HandoffService/ResumeOutreach", "empty contact id", "contact_id",
            (h, t) => h.Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = t }).ResponseAsync),
        new("HandoffService/ResumeOutreach", "actor id over 256 characters", "actor_user_id",
            (h, t) => h.Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = t, ContactId = Contact, ActorUserId = TooLongId }).ResponseAsync),
        new("HandoffService/ListActiveHandoffs", "owner filter OWNER without an owner", "owner_user_id",
            (h, t) => h.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = t, OwnerFilter = OwnerFilter.Owner }).ResponseAsync),
        new("HandoffService/ListActiveHandoffs", "unknown owner filter", "owner_filter",
            (h, t) => h.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = t, OwnerFilter = (OwnerFilter)42 }).ResponseAsync),
        new("HandoffService/ListActiveHandoffs", "page token the server never issued", "page_token",
            (h, t) => h.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = t, PageToken = "bm9wZQ" }).ResponseAsync),
        new("HandoffService/ListActiveHandoffs", "page size over 500", "page_size",
            (h, t) => h.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = t, PageSize = 501 }).ResponseAsync),

        // IngestService
        new("IngestService/IngestBatch", "a batch over 1000 events", "events",
            (h, t) => h.Ingest.IngestBatchAsync(OversizedBatch(t)).ResponseAsync),
        new("IngestService/IngestBatch", "batch_id over 256 characters", "batch_id",
            (h, t) => h.Ingest.IngestBatchAsync(new IngestBatchRequest { TenantId = t, BatchId = TooLongId }).ResponseAsync),
        new("IngestService/IngestEvents", "a batch over 1000 events", "events",
            (h, t) => IngestStreamAsync(h, new IngestEventsRequest { TenantId = t, BatchId = "b-1", Events = { OversizedBatch(t).Events } })),
        new("IngestService/IngestEvents", "batch_id over 256 characters", "batch_id",
            (h, t) => IngestStreamAsync(h, new IngestEventsRequest { TenantId = t, BatchId = TooLongId })),

        // NotificationService
        new("NotificationService/ListNotifications", "no inbox", "inbox",
            (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t }).ResponseAsync),
        new("NotificationService/ListNotifications", "inbox kind unspecified", "inbox.kind",
            (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t, Inbox = new InboxRef() }).ResponseAsync),
        new("NotificationService/ListNotifications", "USER inbox of a user with a control character", "inbox.user_id",
            (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t, Inbox = TestTenant.UserInbox("al\u0007ice") }).ResponseAsync),
        new("NotificationService/ListNotifications", "page size over 500", "page_size",
            (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice"), PageSize = 501 }).ResponseAsync),
        new("NotificationService/ListNotifications", "page token the server never issued", "page_token",
            (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice"), PageToken = "%%%" }).ResponseAsync),
        new("NotificationService/WatchNotifications", "USER inbox of a user with a control character", "inbox.user_id",
            (h, t) => WatchAsync(h, new WatchNotificationsRequest { TenantId = t, Inbox = TestTenant.UserInbox("al\u0007ice") })),
        new("NotificationService/WatchNotifications", "UNASSIGNED inbox with a user", "inbox.user_id",
            (h, t) => WatchAsync(h, new WatchNotificationsRequest { TenantId = t, Inbox = new InboxRef { Kind = InboxKind.Unassigned, UserId = "alice" } })),
        new("NotificationService/WatchNotifications", "negative after_sequence", "after_sequence",
            (h, t) => WatchAsync(h, new WatchNotificationsRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice"), AfterSequence = -1 })),
        new("NotificationService/MarkNotificationsRead", "neither sequences nor up_to_sequence", "sequences",
            (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice") }).ResponseAsync),
        new("NotificationService/MarkNotificationsRead", "1001 sequences, over the 1000 one call may name", "sequences",
            (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest
            {
                TenantId = t, Inbox = TestTenant.UnassignedInbox, Sequences = { Enumerable.Range(1, 1001).Select(i => (long)i) },
            }).ResponseAsync),
        new("NotificationService/MarkNotificationsRead", "sequence 0", "sequences",
            (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice"), Sequences = { 0 } }).ResponseAsync),
        new("NotificationService/MarkNotificationsRead", "negative up_to_sequence", "up_to_sequence",
            (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = t, Inbox = TestTenant.UserInbox("alice"), UpToSequence = -5 }).ResponseAsync),
        new("NotificationService/MarkNotificationsRead", "inbox kind unspecified", "inbox.kind",
            (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = t, Inbox = new InboxRef(), UpToSequence = 1 }).ResponseAsync),

        // OutreachService
        new("OutreachService/QueueMessage", "source unspecified", "source",
            (h, t) => h.Outreach.QueueMessageAsync(Message(t, m => m.Source = MessageSource.Unspecified)).ResponseAsync),
        new("OutreachService/QueueMessage", "channel unspecified", "channel",
            (h, t) => h.Outreach.QueueMessageAsync(Message(t, m => m.Channel = Channel.Unspecified)).ResponseAsync),
        new("OutreachService/QueueMessage", "empty body", "body",
            (h, t) => h.Outreach.QueueMessageAsync(Message(t, m => m.Body = "")).ResponseAsync),
        new("OutreachService/QueueMessage", "body over 20000 characters", "body",
            (h, t) => h.Outreach.QueueMessageAsync(Message(t, m => m.Body = new string('b', 20_001))).ResponseAsync),
        new("OutreachService/QueueMessage", "empty contact id", "contact_id",
            (h, t) => h.Outreach.QueueMessageAsync(Message(t, m => m.ContactId = "")).ResponseAsync),
        new("OutreachService/ListMessages", "page token the server never issued", "page_token",
            (h, t) => h.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = t, ContactId = Contact, PageToken = "abc" }).ResponseAsync),
        new("OutreachService/ListMessages", "page size over 500", "page_size",
            (h, t) => h.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = t, ContactId = Contact, PageSize = 1000 }).ResponseAsync),
        new("OutreachService/CheckOutreach", "source unspecified", "source",
            (h, t) => h.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = t, ContactId = Contact }).ResponseAsync),
        new("OutreachService/ClaimDueMessages", "max_messages over 500", "max_messages",
            (h, t) => h.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = t, ContactId = Contact, MaxMessages = 501 }).ResponseAsync),
        new("OutreachService/ClaimDueMessages", "empty contact id", "contact_id",
            (h, t) => h.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = t }).ResponseAsync),
    ];

    /// <summary>Each RPC with a request that is valid except for its tenant id.</summary>
    private static readonly Dictionary<string, Func<ServerHost, string, Task>> WithTenant = new()
    {
        ["ContactService/UpsertContact"] = (h, t) => h.Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["ContactService/GetContact"] = (h, t) => h.Contacts.GetContactAsync(new GetContactRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["ContactService/SetAutoEngage"] = (h, t) => h.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["ContactService/AssignOwner"] = (h, t) => h.Contacts.AssignOwnerAsync(new AssignOwnerRequest { TenantId = t, ContactId = Contact, OwnerUserId = "bob" }).ResponseAsync,
        ["ContactService/GetContactHistory"] = (h, t) => h.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["HandoffService/GetHandoffCard"] = (h, t) => h.Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["HandoffService/ResumeAutomation"] = (h, t) => h.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = t, ContactId = Contact, CardId = "card-1" }).ResponseAsync,
        ["HandoffService/PauseAllOutreach"] = (h, t) => h.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = t, ContactId = Contact, CardId = "card-1" }).ResponseAsync,
        ["HandoffService/ResumeOutreach"] = (h, t) => h.Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["HandoffService/ListActiveHandoffs"] = (h, t) => h.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = t }).ResponseAsync,
        ["IngestService/IngestBatch"] = (h, t) => h.Ingest.IngestBatchAsync(new IngestBatchRequest { TenantId = t, BatchId = "b-1" }).ResponseAsync,
        ["IngestService/IngestEvents"] = (h, t) => IngestStreamAsync(h, new IngestEventsRequest { TenantId = t, BatchId = "b-1" }),
        ["NotificationService/ListNotifications"] = (h, t) => h.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = t, Inbox = TestTenant.UnassignedInbox }).ResponseAsync,
        ["NotificationService/WatchNotifications"] = (h, t) => WatchAsync(h, new WatchNotificationsRequest { TenantId = t, Inbox = TestTenant.UnassignedInbox }),
        ["NotificationService/MarkNotificationsRead"] = (h, t) => h.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = t, Inbox = TestTenant.UnassignedInbox, UpToSequence = 1 }).ResponseAsync,
        ["OutreachService/QueueMessage"] = (h, t) => h.Outreach.QueueMessageAsync(Message(t, _ => { })).ResponseAsync,
        ["OutreachService/ListMessages"] = (h, t) => h.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
        ["OutreachService/CheckOutreach"] = (h, t) => h.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = t, ContactId = Contact, Source = MessageSource.Si }).ResponseAsync,
        ["OutreachService/ClaimDueMessages"] = (h, t) => h.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = t, ContactId = Contact }).ResponseAsync,
    };

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    public static TheoryData<string> RpcNames => new(WithTenant.Keys);

    [Fact]
    public void The_tables_cover_every_rpc_of_the_five_services()
    {
        var services = new[]
        {
            ContactService.Descriptor, HandoffService.Descriptor, IngestService.Descriptor,
            NotificationService.Descriptor, OutreachService.Descriptor,
        };
        var rpcs = services.SelectMany(s => s.Methods.Select(m => $"{s.Name}/{m.Name}")).Order().ToList();

        Assert.Equal(19, rpcs.Count);
        Assert.Equal(rpcs, Cases.Select(c => c.Rpc).Distinct().Order());
        Assert.Equal(rpcs, WithTenant.Keys.Order());
        Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_bad_request_fails_with_INVALID_ARGUMENT_naming_the_field(string name)
    {
        var c = Cases.Single(c => c.Name == name);
        await RpcAssert.InvalidArgumentAsync(c.Field, () => c.Call(fixture.Host, ServerFixture.NewTenant()));
    }

    [Theory]
    [MemberData(nameof(RpcNames))]
    public async Task A_tenant_id_with_a_slash_is_refused_naming_tenant_id(string rpc)
    {
        await RpcAssert.InvalidArgumentAsync("tenant_id", () => WithTenant[rpc](fixture.Host, "a/b"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public async Task Other_malformed_tenant_ids_are_refused_naming_tenant_id(string tenant)
    {
        await RpcAssert.InvalidArgumentAsync("tenant_id", () => WithTenant["ContactService/GetContact"](fixture.Host, tenant));
    }

    [Fact]
    public async Task A_tenant_id_over_64_characters_is_refused_and_64_are_accepted()
    {
        var contacts = fixture.Host.Contacts;
        await RpcAssert.InvalidArgumentAsync("tenant_id", () => contacts.UpsertContactAsync(
            new UpsertContactRequest { TenantId = new string('t', 65), ContactId = Contact }).ResponseAsync);

        var tenant = ServerFixture.NewTenant().PadRight(64, 'x');
        var created = await contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant, ContactId = Contact });
        Assert.Equal(tenant, created.Contact.TenantId);
    }

    [Fact]
    public async Task Every_violation_of_a_request_is_named_not_only_the_first()
    {
        var badRequest = await RpcAssert.InvalidArgumentAsync("source", () => fixture.Host.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            TenantId = ServerFixture.NewTenant(), ContactId = Contact,
        }).ResponseAsync);

        Assert.Equal(["body", "channel", "source"], badRequest.FieldViolations.Select(v => v.Field).Order());
    }

    private static IngestBatchRequest OversizedBatch(string tenant)
    {
        var events = new ProtoEvents(Contact);
        var request = new IngestBatchRequest { TenantId = tenant, BatchId = "too-big" };
        request.Events.AddRange(Enumerable.Range(0, 1001).Select(i => events.Opened(TimeSpan.FromMinutes(i))));
        return request;
    }

    private static QueueMessageRequest Message(string tenant, Action<QueueMessageRequest> spoil)
    {
        var request = new QueueMessageRequest
        {
            TenantId = tenant, ContactId = Contact, MessageId = "m-1", Source = MessageSource.Manual, Channel = Channel.Email, Body = "Hi",
        };
        spoil(request);
        return request;
    }

    private static async Task IngestStreamAsync(ServerHost host, IngestEventsRequest batch)
    {
        using var call = host.Ingest.IngestEvents(host.Credentials.Headers(batch.TenantId), deadline: DateTime.UtcNow + Streams.Patience);
        await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }

    private static async Task WatchAsync(ServerHost host, WatchNotificationsRequest request)
    {
        using var call = host.Notifications.WatchNotifications(request, deadline: DateTime.UtcNow + Streams.Patience);
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }
}
