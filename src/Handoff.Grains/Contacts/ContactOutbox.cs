using Handoff.Domain.Outreach;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The contact's outbound queue: messages waiting to be sent, held or released by the send gate as the contact's
/// controls change (nothing is deleted), each claimed once; the claimed ones are kept up to
/// <see cref="ContactOptions.MaxClaimedMessagesKept"/>, the waiting ones limited to <see cref="ContactOptions.MaxPendingMessages"/>.
/// </summary>
internal sealed class ContactOutbox(List<OutreachMessageState> messages, ContactOptions options)
{
    public int Count => messages.Count;

    /// <summary>
    /// Queues the message, held when the gate says so; a message id queued before returns the message queued then.
    /// </summary>
    /// <exception cref="OutboxFullException">As many messages wait as may.</exception>
    public OutreachMessageState Queue(NewOutreachMessage message, OutreachControls controls, DateTimeOffset now)
    {
        if (message.MessageId.Length > 0 && messages.Find(m => m.MessageId == message.MessageId) is { } existing)
        {
            return existing;
        }

        if (messages.Count(m => m.Status != MessageStatus.Claimed) >= options.MaxPendingMessages)
        {
            throw new OutboxFullException(options.MaxPendingMessages);
        }

        var hold = SendGate.Check(controls, message.Source);
        var queued = new OutreachMessageState
        {
            MessageId = message.MessageId.Length > 0 ? message.MessageId : Guid.NewGuid().ToString("N"),
            Source = message.Source,
            Channel = message.Channel,
            Subject = message.Subject,
            Body = message.Body,
            Status = hold is null ? MessageStatus.Queued : MessageStatus.Held,
            HoldReason = hold,
            QueuedAt = now,
            SendAfter = message.SendAfter ?? now,
            QueuedByUserId = message.ActorUserId,
        };
        messages.Add(queued);
        return queued;
    }

    /// <summary>Marks and returns up to <paramref name="max"/> queued messages due by <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<OutreachMessageState> ClaimDue(int max, DateTimeOffset now)
    {
        var due = messages
            .Select((message, index) => (message, index))
            .Where(x => x.message.Status == MessageStatus.Queued && x.message.SendAfter <= now)
            .OrderBy(x => x.message.SendAfter).ThenBy(x => x.index)
            .Take(max)
            .ToList();
        foreach (var (message, index) in due)
        {
            messages[index] = message with { Status = MessageStatus.Claimed, ClaimedAt = now };
        }

        ForgetOldClaims();
        return due.Select(x => x.message with { Status = MessageStatus.Claimed, ClaimedAt = now }).ToList();
    }

    /// <summary>Holds or releases every waiting message by what the send gate says now. Nothing is deleted.</summary>
    public void RefreshHolds(OutreachControls controls)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Status == MessageStatus.Claimed)
            {
                continue;
            }

            var hold = SendGate.Check(controls, message.Source);
            messages[i] = message with { Status = hold is null ? MessageStatus.Queued : MessageStatus.Held, HoldReason = hold };
        }
    }

    /// <summary>Up to <paramref name="pageSize"/> messages from <paramref name="offset"/>, in queue order.</summary>
    public OutboxPage Page(int offset, int pageSize)
    {
        var page = messages.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < messages.Count ? offset + page.Count : 0;
        return new OutboxPage(page, next);
    }

    private void ForgetOldClaims()
    {
        var claimed = messages.Count(m => m.Status == MessageStatus.Claimed);
        var excess = claimed - options.MaxClaimedMessagesKept;
        for (var i = 0; excess > 0 && i < messages.Count;)
        {
            if (messages[i].Status == MessageStatus.Claimed)
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
