namespace Handoff.Domain.Outreach;

/// <summary>
/// A contact's outbound queue: messages waiting to be sent, held or released by the <see cref="SendGate"/> as the
/// contact's controls change (nothing is deleted for a hold), each handed out once when claimed. At most
/// <c>maxWaiting</c> messages wait; of the claimed ones the newest <c>maxClaimedKept</c> are kept, to answer a repeated
/// id and to show what went out.
/// </summary>
public sealed class OutreachQueue
{
    private readonly List<OutreachMessage> messages;
    private readonly int maxWaiting;
    private readonly int maxClaimedKept;

    public OutreachQueue(IEnumerable<OutreachMessage> messages, int maxWaiting, int maxClaimedKept)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWaiting);
        ArgumentOutOfRangeException.ThrowIfNegative(maxClaimedKept);
        this.messages = messages.ToList();
        this.maxWaiting = maxWaiting;
        this.maxClaimedKept = maxClaimedKept;
    }

    /// <summary>In the order queued.</summary>
    public IReadOnlyList<OutreachMessage> Messages => messages;

    /// <summary>
    /// Queues the message, held when the gate says so under <paramref name="controls"/>. A message id queued before
    /// answers with the message queued then; a full queue answers with no message.
    /// </summary>
    public (QueueOutcome Outcome, OutreachMessage? Message) Queue(OutreachRequest request, OutreachControls controls, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MessageId.Length > 0 && messages.Find(m => m.MessageId == request.MessageId) is { } existing)
        {
            return (QueueOutcome.AlreadyQueued, existing);
        }

        if (messages.Count(m => m.Status != OutreachStatus.Claimed) >= maxWaiting)
        {
            return (QueueOutcome.Full, null);
        }

        var hold = SendGate.Check(controls, request.Source);
        var queued = new OutreachMessage
        {
            MessageId = request.MessageId.Length > 0 ? request.MessageId : Guid.NewGuid().ToString("N"),
            Source = request.Source,
            Channel = request.Channel,
            Subject = request.Subject,
            Body = request.Body,
            Status = hold is null ? OutreachStatus.Queued : OutreachStatus.Held,
            HoldReason = hold,
            QueuedAt = now,
            SendAfter = request.SendAfter ?? now,
            QueuedByUserId = request.ActorUserId,
        };
        messages.Add(queued);
        return (QueueOutcome.Queued, queued);
    }

    /// <summary>Marks and returns up to <paramref name="max"/> queued messages due by <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<OutreachMessage> ClaimDue(int max, DateTimeOffset now)
    {
        var due = messages
            .Select((message, index) => (message, index))
            .Where(x => x.message.Status == OutreachStatus.Queued && x.message.SendAfter <= now)
            .OrderBy(x => x.message.SendAfter).ThenBy(x => x.index)
            .Take(max)
            .ToList();
        var claimed = new List<OutreachMessage>(due.Count);
        foreach (var (message, index) in due)
        {
            messages[index] = message with { Status = OutreachStatus.Claimed, ClaimedAt = now };
            claimed.Add(messages[index]);
        }

        ForgetOldClaims();
        return claimed;
    }

    /// <summary>Holds or releases every waiting message by what the send gate says now. Nothing is deleted.</summary>
    public void RefreshHolds(OutreachControls controls)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Status == OutreachStatus.Claimed)
            {
                continue;
            }

            var hold = SendGate.Check(controls, message.Source);
            messages[i] = message with { Status = hold is null ? OutreachStatus.Queued : OutreachStatus.Held, HoldReason = hold };
        }
    }

    /// <summary>Up to <paramref name="pageSize"/> messages from <paramref name="offset"/>, in queue order, and the offset of the next page (0: none).</summary>
    public (IReadOnlyList<OutreachMessage> Messages, int NextOffset) Page(int offset, int pageSize)
    {
        var page = messages.Skip(offset).Take(pageSize).ToList();
        return (page, offset + page.Count < messages.Count ? offset + page.Count : 0);
    }

    private void ForgetOldClaims()
    {
        var excess = messages.Count(m => m.Status == OutreachStatus.Claimed) - maxClaimedKept;
        for (var i = 0; excess > 0 && i < messages.Count;)
        {
            if (messages[i].Status == OutreachStatus.Claimed)
            {
                messages.RemoveAt(i);
                excess--;
            }
            else
            {
                i++;
            }
        }
    }
}
