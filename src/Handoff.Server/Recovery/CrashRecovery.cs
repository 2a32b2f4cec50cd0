using System.Threading.Channels;
using Handoff.Grains;
using Handoff.Grains.Journal;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Recovery;

/// <summary>
/// Finishes what a crash interrupted. A contact writes a card transition together with the effects it owes (the
/// notification, the index entry that also schedules the card's escalation) and delivers them after the acknowledgement; a silo that dies
/// in between leaves them stored but undelivered, or the card in the journal only, and nothing would ask for that
/// contact again. So after a crash this wakes every contact with events journaled within
/// <see cref="RecoveryOptions.Window"/> before the last one: its activation replays the journal (deriving such a card
/// again, under the same id) and delivers what it still owes; a contact that owes nothing just activates.
/// A crash is noticed two ways:
/// - at start-up, when this silo is the only active one (a single-silo store restarted, or a whole cluster): the
///   previous process may have died; after a clean stop the wake-ups only warm those contacts up again;
/// - when the cluster declares a silo dead that was active (killed, not shut down); one silo does the work, the
///   active one with the lowest address.
/// </summary>
public sealed partial class CrashRecovery(IClusterMembershipService membership, ILocalSiloDetails localSilo, IEventJournal journal,
    IGrainFactory grains, IOptions<RecoveryOptions> options, TimeProvider time, ILogger<CrashRecovery> logger) : BackgroundService
{
    private readonly Channel<string> crashes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchMembershipAsync(stoppingToken), RecoverAsync(stoppingToken));

    private async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        var me = localSilo.SiloAddress;
        var startChecked = false;
        var lastSeen = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
                if (!startChecked && active.Contains(me))
                {
                    startChecked = true;
                    if (active.Count == 1)
                    {
                        crashes.Writer.TryWrite("start-up as the only active silo");
                    }
                }

                foreach (var member in snapshot.Members.Values)
                {
                    var wasActive = lastSeen.TryGetValue(member.SiloAddress, out var before) && before == SiloStatus.Active;
                    if (wasActive && member.Status == SiloStatus.Dead && IsFirst(me, active))
                    {
                        crashes.Writer.TryWrite($"silo {member.SiloAddress} died");
                    }

                    lastSeen[member.SiloAddress] = member.Status;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            crashes.Writer.TryComplete();
        }
    }

    private async Task RecoverAsync(CancellationToken stoppingToken)
    {
        await foreach (var crash in crashes.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (await journal.ReadLatestAppendAsync(stoppingToken) is not { } latest)
                {
                    continue;
                }

                var since = latest - options.Value.Window;
                var contacts = await journal.ReadContactsAppendedSinceAsync(since, stoppingToken);
                var failed = 0;
                await Parallel.ForEachAsync(
                    contacts,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentWakes, CancellationToken = stoppingToken },
                    async (contact, _) =>
                    {
                        try
                        {
                            await WakeAsync(contact.TenantId, contact.ContactId, stoppingToken);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            Interlocked.Increment(ref failed);
                            LogWakeFailed(e, contact.TenantId, contact.ContactId);
                        }
                    });
                LogRecovered(crash, contacts.Count - failed, contacts.Count, since);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRecoveryFailed(e, crash);
            }
        }
    }

    /// <summary>
    /// Wakes one contact, trying again while the cluster is still settling after the crash: a call can reach a contact
    /// whose activation the cluster still places on the dead silo, or a silo that is itself going away, and a contact
    /// left asleep would keep what it owes until something else calls it.
    /// </summary>
    private async Task WakeAsync(string tenantId, string contactId, CancellationToken cancellationToken)
    {
        var delay = options.Value.WakeRetryDelay;
        var giveUpAt = time.GetUtcNow() + options.Value.WakeRetryFor;
        while (true)
        {
            try
            {
                await grains.Contact(tenantId, contactId).Wake();
                return;
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException && time.GetUtcNow() < giveUpAt)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay = delay * 2 < options.Value.MaxWakeRetryDelay ? delay * 2 : options.Value.MaxWakeRetryDelay;
            }
        }
    }

    /// <summary>Whether this silo is the one of the active ones that recovers for the cluster.</summary>
    private static bool IsFirst(SiloAddress me, IReadOnlyList<SiloAddress> active) =>
        active.Count > 0 && active.MinBy(a => a.ToParsableString(), StringComparer.Ordinal)!.Equals(me);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crash recovery ({Crash}): woke {Woken} of {Contacts} contacts with events journaled since {Since:O}.")]
    private partial void LogRecovered(string crash, int woken, int contacts, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crash recovery could not wake contact {ContactId} of tenant {TenantId}; it delivers what it owes when next called.")]
    private partial void LogWakeFailed(Exception exception, string tenantId, string contactId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Crash recovery ({Crash}) failed.")]
    private partial void LogRecoveryFailed(Exception exception, string crash);
}
