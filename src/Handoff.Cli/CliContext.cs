using Grpc.Core;
using Grpc.Net.Client;
using Handoff.Protos.V1;

namespace Handoff.Cli;

/// <summary>What every command needs: where the server is, the tenant, who is calling, and Ctrl+C.</summary>
internal sealed class CliContext(string server, string tenant, Identity identity, CancellationToken cancel) : IDisposable
{
    private GrpcChannel? _channel;

    public string Server => server;
    public string Tenant => tenant;
    public Identity Identity => identity;
    public CancellationToken Cancel => cancel;

    /// <summary>
    /// Opened on first use, so commands that send nothing (ingest --dry-run) need no server. Every call carries the
    /// caller's bearer token, fetched once.
    /// </summary>
    private GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(server, new GrpcChannelOptions
    {
        Credentials = ChannelCredentials.Create(
            server.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            CallCredentials.FromInterceptor(async (_, metadata) =>
                metadata.Add("authorization", $"Bearer {await identity.TokenAsync(server, tenant, cancel)}"))),
        // A token over cleartext is what the development server on loopback speaks; production servers use https.
        UnsafeUseInsecureChannelCallCredentials = true,
    });

    public ContactService.ContactServiceClient Contacts => new(Channel);
    public HandoffService.HandoffServiceClient Handoffs => new(Channel);
    public IngestService.IngestServiceClient Ingest => new(Channel);
    public NotificationService.NotificationServiceClient Notifications => new(Channel);
    public OutreachService.OutreachServiceClient Outreach => new(Channel);

    public async Task<Contact> GetContactAsync(string contactId) =>
        (await Contacts.GetContactAsync(new() { TenantId = tenant, ContactId = contactId }, cancellationToken: cancel)).Contact;

    /// <summary>
    /// The card id given with --card, or else the contact's current card, read first the way a screen acts on
    /// the card it shows. Empty when the contact has no card and <paramref name="required"/> is false.
    /// </summary>
    public async Task<string> CardIdAsync(string? cardOption, string contactId, bool required)
    {
        if (cardOption is not null) return cardOption;
        var card = (await GetContactAsync(contactId)).Card;
        if (card is null)
            return required ? throw new CliException($"contact {contactId} has no handoff card") : "";
        Console.WriteLine($"current card of {contactId}: {card.CardId} (version {card.Version}, {ProtoEnum.Code(card.Status)})");
        return card.CardId;
    }

    public void Dispose() => _channel?.Dispose();
}
