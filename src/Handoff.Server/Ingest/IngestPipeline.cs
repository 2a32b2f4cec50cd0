using Handoff.Domain.Model;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Handoff.Server.Hosting;
using Handoff.Server.Mapping;
using Handoff.Server.Observability;
using Handoff.Server.Validation;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Ingest;

/// <summary>What became of one batch.</summary>
public sealed record BatchOutcome(int Accepted, int Duplicates, IReadOnlyList<V1.RejectedEvent> Rejected);

/// <summary>
/// Validates a batch event by event, appends the valid ones to the event journal in one write (the durability point,
/// which also tells events sent before, tenant-wide), then groups them by contact and makes one grain call per
/// contact. Returns only once the batch is journaled and every contact has applied it (and stored any card it
/// raised), so the caller may acknowledge. Invalid events are reported by position and field; the valid ones of the
/// same batch are kept.
/// </summary>
public sealed class IngestPipeline(IGrainFactory grains, IEventJournal journal, IOptions<IngestOptions> ingest, IOptions<ApiOptions> api,
    IOptions<ContactOptions> contacts, TimeProvider time, IngestMetrics metrics)
{
    private readonly EventLimitMessages messages = new(ingest.Value, contacts.Value);

    /// <summary>One batch just received: validated, stored, and counted (handoff.ingest.* metrics). The outcome is the acknowledgement.</summary>
    public async Task<BatchOutcome> ProcessAsync(string tenantId, string batchId, IReadOnlyList<V1.EngagementEvent> events)
    {
        var timing = metrics.Received();
        try
        {
            ValidateBatch(tenantId, batchId, events.Count);
            var outcome = await IngestAsync(tenantId, events);
            timing.Acknowledged(outcome);
            return outcome;
        }
        catch (Exception e)
        {
            timing.Failed(e);
            throw;
        }
    }

    public void ValidateBatch(string tenantId, string batchId, int eventCount)
    {
        new RequestValidator(api.Value)
            .TenantId(tenantId)
            .OptionalId(batchId, "batch_id")
            .Check(eventCount <= ingest.Value.MaxBatchSize, "events", $"must hold at most {ingest.Value.MaxBatchSize} events")
            .ThrowIfInvalid();
    }

    public async Task<BatchOutcome> IngestAsync(string tenantId, IReadOnlyList<V1.EngagementEvent> events)
    {
        // The batch's append time: the contacts apply the batch as of it, and so does every replay of the journal.
        var appendedAt = JournalClock.Now(time);
        var rejected = new List<V1.RejectedEvent>();
        var entries = new List<JournalEntry>(events.Count);
        var idsInBatch = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var validator = ValidateEvent(e, i, appendedAt);
            if (!validator.IsValid)
            {
                var first = validator.Violations[0];
                rejected.Add(new V1.RejectedEvent { Index = i, EventId = e.EventId, Field = first.Field, Reason = first.Description });
                continue;
            }

            if (!idsInBatch.Add(e.EventId))
            {
                duplicates++;
                continue;
            }

            entries.Add(new JournalEntry(e.ContactId, e.ToJournaled(appendedAt)));
        }

        var holders = await journal.AppendAsync(tenantId, entries, appendedAt);
        var accepted = 0;
        for (var i = 0; i < holders.Count; i++)
        {
            if (holders[i] is null)
            {
                accepted++;
            }
        }

        await ApplyToContactsAsync(tenantId, ContactGroups.Of(entries, holders, appendedAt));
        return new BatchOutcome(accepted, duplicates + entries.Count - accepted, rejected);
    }

    /// <summary>
    /// Each contact's journaled events, one grain call per contact, all at once. While a silo shuts down or is being
    /// declared dead, calls to its grains are rejected; the calls rejected so are made again, and reach the contact's new
    /// activation, which skips the events it has already applied.
    /// </summary>
    private async Task ApplyToContactsAsync(string tenantId, IReadOnlyList<ContactGroup> groups)
    {
        var options = ingest.Value;
        var delay = options.SiloUnavailableRetryDelay;
        var giveUpAt = time.GetUtcNow() + options.SiloUnavailableRetryFor;
        while (true)
        {
            var calls = new Task[groups.Count];
            for (var i = 0; i < groups.Count; i++)
            {
                calls[i] = grains.Contact(tenantId, groups[i].ContactId).ApplyJournaled(groups[i].Events);
            }

            await Task.WhenAll(calls).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            List<ContactGroup>? rejected = null;
            for (var i = 0; i < calls.Length; i++)
            {
                if (calls[i].IsCompletedSuccessfully)
                {
                    continue;
                }

                var failure = calls[i].Exception?.InnerException;
                if (failure is not (SiloUnavailableException or OrleansMessageRejectionException) || time.GetUtcNow() >= giveUpAt)
                {
                    await calls[i];
                }

                (rejected ??= []).Add(groups[i]);
            }

            if (rejected is null)
            {
                return;
            }

            groups = rejected;
            await Task.Delay(delay, time);
            delay = delay * 2 < options.SiloUnavailableMaxRetryDelay ? delay * 2 : options.SiloUnavailableMaxRetryDelay;
        }
    }

    internal RequestValidator ValidateEvent(V1.EngagementEvent e, int index, DateTimeOffset now)
    {
        var limits = ingest.Value;
        var validator = new RequestValidator(api.Value, ("events", index))
            .Id(e.EventId, "event_id")
            .Id(e.ContactId, "contact_id")
            .Specified(e.Type, "type")
            .Time(e.OccurTime, "occur_time", required: true)
            .Known(e.Channel, "channel")
            .Check(e.Text.Length <= limits.MaxTextLength, "text", messages.TextTooLong)
            .OptionalId(e.Feature, "feature")
            .Check(e.Attributes.Count <= limits.MaxAttributesPerEvent, "attributes", messages.TooManyAttributes)
            .Check(e.Attributes.Count == 0 || AttributesFit(e.Attributes), "attributes", messages.AttributeTooLong)
            .OptionalId(e.OwnerUserId, "owner_user_id")
            .Known(e.Stage, "stage")
            .Known(e.Phase, "phase")
            .Time(e.AppointmentTime, "appointment_time", required: false)
            .Check(e.Type != V1.EventType.StageChanged || e.Stage != V1.LifecycleStage.Unspecified, "stage", "is required for STAGE_CHANGED")
            .Check(e.Type != V1.EventType.PhaseChanged || e.Phase != V1.PipelinePhase.Unspecified, "phase", "is required for PHASE_CHANGED");
        if (validator.IsValid)
        {
            var occurred = e.OccurTime.ToDateTimeOffset();
            validator
                .Check(occurred <= now + limits.MaxClockSkew, "occur_time", "is in the future")
                .Check(occurred >= now - contacts.Value.DedupeWindow, "occur_time", messages.OlderThanDedupeWindow);
        }

        return validator;
    }

    private bool AttributesFit(Google.Protobuf.Collections.MapField<string, string> attributes)
    {
        foreach (var (key, value) in attributes)
        {
            if (key.Length > ingest.Value.MaxAttributeKeyLength || value.Length > ingest.Value.MaxAttributeValueLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a rejected event is told about the configured limits, composed once rather than for every event checked.</summary>
    private sealed class EventLimitMessages(IngestOptions ingest, ContactOptions contacts)
    {
        public string TextTooLong { get; } = $"must be at most {ingest.MaxTextLength} characters";

        public string TooManyAttributes { get; } = $"must hold at most {ingest.MaxAttributesPerEvent} entries";

        public string AttributeTooLong { get; } =
            $"keys must be at most {ingest.MaxAttributeKeyLength} and values at most {ingest.MaxAttributeValueLength} characters";

        public string OlderThanDedupeWindow { get; } = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"is older than the {contacts.DedupeWindow.TotalDays:0.#}-day dedupe window, so it could not be told apart from a replay");
    }
}
