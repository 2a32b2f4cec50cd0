using System.Diagnostics;
using Grpc.Net.Client;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>
/// GetContact at a fixed rate while ingest runs, as salespeople opening sidebars would: open loop (call i is due at
/// start + i / rate whether or not earlier calls have answered; its latency counts from when it was due), on a channel
/// of its own, for contacts of batches already acknowledged (so each read finds a contact, and hot contacts are read
/// more often). A failed read fails the run.
/// </summary>
public sealed class ContactReader
{
    private readonly List<string> acknowledgedContacts = [];
    private readonly IReadOnlyList<IngestEventsRequest> batches;

    public ContactReader(IReadOnlyList<IngestEventsRequest> batches) => this.batches = batches;

    /// <summary>Called by the ingest driver for each acknowledged batch.</summary>
    public void Acknowledged(int batchIndex)
    {
        lock (acknowledgedContacts)
        {
            // One contact per acknowledged batch event would weigh reads exactly like writes; a sample of 8 per batch
            // keeps the list small and keeps the skew.
            var events = batches[batchIndex].Events;
            for (var n = 0; n < events.Count; n += Math.Max(1, events.Count / 8))
            {
                acknowledgedContacts.Add(events[n].ContactId);
            }
        }
    }

    public async Task<Stats> RunAsync(GrpcChannel channel, double perSecond, int seed, CancellationToken stop)
    {
        var client = new ContactService.ContactServiceClient(channel);
        var random = new Random(seed);
        var latencies = new List<double>();
        var calls = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i / perSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            string contactId;
            lock (acknowledgedContacts)
            {
                if (acknowledgedContacts.Count == 0)
                {
                    continue;
                }

                contactId = acknowledgedContacts[random.Next(acknowledgedContacts.Count)];
            }

            calls.Add(ReadAsync(contactId, due));
        }

        await Task.WhenAll(calls);
        return Stats.Of(latencies);

        async Task ReadAsync(string contactId, long due)
        {
            var reply = await client.GetContactAsync(
                new GetContactRequest { TenantId = Workload.Tenant, ContactId = contactId }, deadline: DateTime.UtcNow.AddMinutes(1));
            var elapsed = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            if (reply.Contact.ContactId != contactId)
            {
                throw new InvalidOperationException($"GetContact({contactId}) answered {reply.Contact.ContactId}.");
            }

            lock (latencies)
            {
                latencies.Add(elapsed);
            }
        }
    }

    /// <summary>Active cards of the tenant, counted through ListActiveHandoffs page by page.</summary>
    /// <summary>
    /// The tenant's active cards once the count has settled: cards are stored before the acknowledgement, but reach the
    /// tenant's list a moment later (card effects are delivered in the background).
    /// </summary>
    public static async Task<int> CountSettledActiveCardsAsync(GrpcChannel channel)
    {
        var settleFor = TimeSpan.FromSeconds(1);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var count = await CountActiveCardsAsync(channel);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(settleFor);
            var again = await CountActiveCardsAsync(channel);
            if (again == count)
            {
                return count;
            }

            count = again;
        }

        throw new TimeoutException($"The tenant's active cards did not settle within 2 minutes (last count {count:N0}).");
    }

    public static async Task<int> CountActiveCardsAsync(GrpcChannel channel)
    {
        var client = new HandoffService.HandoffServiceClient(channel);
        var request = new ListActiveHandoffsRequest { TenantId = Workload.Tenant, PageSize = 500 };
        var count = 0;
        do
        {
            var page = await client.ListActiveHandoffsAsync(request, deadline: DateTime.UtcNow.AddMinutes(1));
            count += page.Handoffs.Count;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return count;
    }
}
