using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// The README's walkthrough in a tenant of its own, through the real gRPC API: Brandon Lee, owned by Alice, an email SI
/// queued for him, and his five days of events moved so that the newest is now (the CLI's --shift-to-now).
/// </summary>
public sealed class Walkthrough(HostProcess host)
{
    public const string Contact = "brandon";

    public string Tenant { get; } = $"web-{Guid.NewGuid():N}"[..16];

    /// <summary>The CRM, SI and a manager: every role.</summary>
    public HostClients System => host.As(Tenant);

    public async Task UpsertContactAsync(string contactId = Contact, string displayName = "Brandon Lee", string owner = "alice") =>
        await System.Contacts.UpsertContactAsync(new UpsertContactRequest
        {
            TenantId = Tenant,
            ContactId = contactId,
            DisplayName = displayName,
            OwnerUserId = owner,
            Stage = LifecycleStage.Sql,
            Phase = PipelinePhase.Win,
            ActorUserId = "crm-sync",
        });

    public async Task QueueSiEmailAsync(string contactId = Contact) =>
        await System.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            TenantId = Tenant,
            ContactId = contactId,
            MessageId = $"si-{contactId}",
            Source = MessageSource.Si,
            Channel = Channel.Email,
            Subject = "Five webinar tips",
            Body = "Five webinar tips",
            ActorUserId = "si",
        });

    /// <summary>The walkthrough's events for <paramref name="contactId"/>, shifted to now; they raise a card.</summary>
    public async Task IngestEventsAsync(string contactId = Contact)
    {
        var events = File.ReadLines(RepositoryPaths.WalkthroughEvents)
            .Where(line => line.TrimStart().StartsWith('{'))
            .Select(line => JsonParser.Default.Parse<EngagementEvent>(line))
            .ToList();
        var shift = DateTimeOffset.UtcNow - events.Max(e => e.OccurTime.ToDateTimeOffset());
        var request = new IngestBatchRequest { TenantId = Tenant, BatchId = $"walkthrough-{contactId}" };
        foreach (var e in events)
        {
            e.EventId = $"{contactId}-{e.EventId}";
            e.ContactId = contactId;
            e.OccurTime = Timestamp.FromDateTimeOffset(e.OccurTime.ToDateTimeOffset() + shift);
            if (e.AppointmentTime is not null)
            {
                e.AppointmentTime = Timestamp.FromDateTimeOffset(e.AppointmentTime.ToDateTimeOffset() + shift);
            }

            request.Events.Add(e);
        }

        var ack = await System.Ingest.IngestBatchAsync(request);
        Assert.Empty(ack.Rejected);
    }

    public async Task<Contact> ContactAsync(string contactId = Contact) =>
        (await System.Contacts.GetContactAsync(new GetContactRequest { TenantId = Tenant, ContactId = contactId })).Contact;

    /// <summary>Brandon with his card raised: the state the README reaches at step 4.</summary>
    public async Task<HandoffCard> RaiseCardAsync(string contactId = Contact, string displayName = "Brandon Lee")
    {
        await UpsertContactAsync(contactId, displayName);
        await QueueSiEmailAsync(contactId);
        await IngestEventsAsync(contactId);
        var card = (await ContactAsync(contactId)).Card;
        Assert.True(card is { Status: CardStatus.Active }, $"The walkthrough's events raised no card for {contactId}.");
        return card;
    }
}
