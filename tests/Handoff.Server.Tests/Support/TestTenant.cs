using Handoff.Protos.V1;

namespace Handoff.Server.Tests.Support;

/// <summary>A contact with an active card, as a test created it.</summary>
public sealed record RaisedCard(string ContactId, HandoffCard Card);

/// <summary>
/// A fresh tenant on the shared host, with the setup steps the service tests repeat, all through the public gRPC API.
/// </summary>
public sealed class TestTenant(ServerHost host, string? id = null)
{
    public string Id { get; } = id ?? ServerFixture.NewTenant();

    public ServerHost Host { get; } = host;

    /// <summary>The authorization header of a token with every role in this tenant, for calls that name their tenant only in a stream.</summary>
    public Grpc.Core.Metadata Auth => Host.Credentials.Headers(Id);

    public static InboxRef UserInbox(string userId) => new() { Kind = InboxKind.User, UserId = userId };

    public static InboxRef UnassignedInbox => new() { Kind = InboxKind.Unassigned };

    /// <summary>Creates or updates a contact; SQL/WIN by default, so that a rising buyer raises a card.</summary>
    public async Task<Contact> UpsertContactAsync(string contactId, string owner = "",
        LifecycleStage stage = LifecycleStage.Sql, PipelinePhase phase = PipelinePhase.Win, string? displayName = null)
    {
        var response = await Host.Contacts.UpsertContactAsync(new UpsertContactRequest
        {
            TenantId = Id,
            ContactId = contactId,
            DisplayName = displayName ?? $"Contact {contactId}",
            OwnerUserId = owner,
            Stage = stage,
            Phase = phase,
            ActorUserId = "crm-sync",
        });
        return response.Contact;
    }

    public async Task<Contact> GetContactAsync(string contactId) =>
        (await Host.Contacts.GetContactAsync(new GetContactRequest { TenantId = Id, ContactId = contactId })).Contact;

    public async Task<IngestBatchResponse> IngestAsync(IEnumerable<EngagementEvent> events, string batchId = "batch")
    {
        var request = new IngestBatchRequest { TenantId = Id, BatchId = batchId };
        request.Events.AddRange(events);
        return await Host.Ingest.IngestBatchAsync(request);
    }

    /// <summary>
    /// Creates a SQL/WIN contact owned by <paramref name="owner"/> (empty: unassigned) and ingests a rising buyer's
    /// last two days, which raises a card and a HIGH PRIORITY notification. Returns the active card.
    /// </summary>
    public async Task<RaisedCard> RaiseCardAsync(string contactId, string owner = "")
    {
        await UpsertContactAsync(contactId, owner);
        var events = new ProtoEvents(contactId).RisingBuyer();
        var ack = await IngestAsync(events, $"raise-{contactId}");
        Assert.Empty(ack.Rejected);
        Assert.Equal(events.Count, ack.AcceptedCount);

        var card = (await GetContactAsync(contactId)).Card;
        Assert.True(card is not null, $"The rising buyer {contactId} raised no card.");
        Assert.Equal(CardStatus.Active, card.Status);
        // The tenant's list of active handoffs hears of the card after the acknowledgement, from the contact's outbox.
        await Wait.UntilAsync(
            async () => (await Host.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = Id, PageSize = 500 })).Handoffs
                .Any(h => h.ContactId == contactId && h.CardId == card.CardId),
            $"the tenant's list of active handoffs showing {contactId}'s card");
        return new RaisedCard(contactId, card);
    }

    /// <summary>Ingests an inbound message asking for a person: the contact's active card gets a new reason (version + 1).</summary>
    public async Task AddReasonAsync(string contactId)
    {
        var ack = await IngestAsync([new ProtoEvents(contactId).AsksForAPerson(TimeSpan.FromMinutes(1))], $"reason-{contactId}-{Guid.NewGuid():N}");
        Assert.Equal(1, ack.AcceptedCount);
    }

    /// <summary>Resume SI Automation on the contact's card: the card and its notification are resolved.</summary>
    public async Task ResumeAsync(RaisedCard raised) =>
        await Host.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = Id, ContactId = raised.ContactId, CardId = raised.Card.CardId });

    public async Task<OutreachMessage> QueueAsync(string contactId, string messageId, MessageSource source = MessageSource.Si,
        string body = "Hello", DateTimeOffset? sendTime = null)
    {
        var response = await Host.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            TenantId = Id,
            ContactId = contactId,
            MessageId = messageId,
            Source = source,
            Channel = Channel.Email,
            Subject = $"Subject of {messageId}",
            Body = body,
            SendTime = sendTime is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
            ActorUserId = source == MessageSource.Manual ? "alice" : "",
        });
        return response.Message;
    }

    public async Task<CheckOutreachResponse> CheckAsync(string contactId, MessageSource source) =>
        await Host.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = Id, ContactId = contactId, Source = source });

    public async Task<ListNotificationsResponse> ListNotificationsAsync(InboxRef inbox, int pageSize = 0, string pageToken = "", bool unreadOnly = false) =>
        await Host.Notifications.ListNotificationsAsync(new ListNotificationsRequest
        {
            TenantId = Id, Inbox = inbox, PageSize = pageSize, PageToken = pageToken, UnreadOnly = unreadOnly,
        });
}
