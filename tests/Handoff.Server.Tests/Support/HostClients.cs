using Grpc.Core;
using Handoff.Protos.V1;

namespace Handoff.Server.Tests.Support;

/// <summary>The five API clients on one call invoker (one caller's token).</summary>
public sealed class HostClients(CallInvoker invoker)
{
    public ContactService.ContactServiceClient Contacts { get; } = new(invoker);

    public HandoffService.HandoffServiceClient Handoffs { get; } = new(invoker);

    public IngestService.IngestServiceClient Ingest { get; } = new(invoker);

    public NotificationService.NotificationServiceClient Notifications { get; } = new(invoker);

    public OutreachService.OutreachServiceClient Outreach { get; } = new(invoker);
}
