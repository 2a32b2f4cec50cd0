using Handoff.Domain.Model;
using Handoff.Domain.Outreach;

namespace Handoff.Domain.Tests.Outreach;

public sealed class OutreachQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly OutreachControls Open = new(Unsubscribed: false, OutreachPaused: false, HandoffActive: false, AutoEngage: true);
    private static readonly OutreachControls Paused = Open with { OutreachPaused = true };
    private static readonly OutreachControls HandoffActive = Open with { HandoffActive = true };

    private static OutreachQueue Empty(int maxWaiting = 10, int maxClaimedKept = 10) => new([], maxWaiting, maxClaimedKept);

    private static OutreachRequest Si(string id = "", DateTimeOffset? sendAfter = null) =>
        new() { MessageId = id, Source = MessageSource.Si, Channel = Channel.Email, Body = "Hi", SendAfter = sendAfter };

    private static OutreachRequest Manual(string id = "") =>
        new() { MessageId = id, Source = MessageSource.Manual, Channel = Channel.Sms, Body = "Hello", ActorUserId = "rep" };

    [Fact]
    public void A_message_the_gate_lets_through_waits_queued_until_its_time()
    {
        var queue = Empty();

        var (outcome, message) = queue.Queue(Si("m-1"), Open, Now);

        Assert.Equal(QueueOutcome.Queued, outcome);
        Assert.Equal(("m-1", OutreachStatus.Queued, null, Now, Now), (message!.MessageId, message.Status, message.HoldReason, message.QueuedAt, message.SendAfter));
    }

    [Fact]
    public void A_message_the_gate_stops_is_held_with_the_reason()
    {
        var (_, message) = Empty().Queue(Si(), HandoffActive, Now);

        Assert.Equal((OutreachStatus.Held, DenialReason.HandoffActive), (message!.Status, message.HoldReason));
        Assert.Equal(32, message.MessageId.Length);
    }

    [Fact]
    public void An_id_queued_before_answers_with_the_first_message_and_changes_nothing()
    {
        var queue = Empty();
        var (_, first) = queue.Queue(Si("m-1"), Open, Now);

        var (outcome, again) = queue.Queue(Manual("m-1"), Paused, Now.AddMinutes(1));

        Assert.Equal(QueueOutcome.AlreadyQueued, outcome);
        Assert.Same(first, again);
        Assert.Single(queue.Messages);
    }

    [Fact]
    public void A_full_queue_takes_no_more_waiting_messages_but_claimed_ones_do_not_count()
    {
        var queue = Empty(maxWaiting: 2);
        queue.Queue(Si("a"), Open, Now);
        queue.Queue(Si("b"), Open, Now);

        Assert.Equal((QueueOutcome.Full, null), queue.Queue(Si("c"), Open, Now));
        Assert.Equal(QueueOutcome.AlreadyQueued, queue.Queue(Si("a"), Open, Now).Outcome);

        queue.ClaimDue(1, Now);
        Assert.Equal(QueueOutcome.Queued, queue.Queue(Si("c"), Open, Now).Outcome);
    }

    [Fact]
    public void A_pause_holds_every_waiting_message_and_its_end_releases_them()
    {
        var queue = Empty();
        queue.Queue(Si("si"), Open, Now);
        queue.Queue(Manual("manual"), Open, Now);

        queue.RefreshHolds(Paused);
        Assert.All(queue.Messages, m => Assert.Equal((OutreachStatus.Held, DenialReason.OutreachPaused), (m.Status, m.HoldReason)));

        queue.RefreshHolds(HandoffActive);
        Assert.Equal(
            [("si", OutreachStatus.Held, (DenialReason?)DenialReason.HandoffActive), ("manual", OutreachStatus.Queued, null)],
            queue.Messages.Select(m => (m.MessageId, m.Status, m.HoldReason)));
    }

    [Fact]
    public void Claims_due_queued_messages_earliest_first_once_each_and_never_held_ones()
    {
        var queue = Empty();
        queue.Queue(Si("later", sendAfter: Now.AddMinutes(10)), Open, Now);
        queue.Queue(Si("first", sendAfter: Now.AddMinutes(-5)), Open, Now);
        queue.Queue(Si("second"), Open, Now);
        queue.Queue(Si("held"), HandoffActive, Now);

        var claimed = queue.ClaimDue(10, Now);

        Assert.Equal(["first", "second"], claimed.Select(m => m.MessageId));
        Assert.All(claimed, m => Assert.Equal((OutreachStatus.Claimed, Now), (m.Status, m.ClaimedAt)));
        Assert.Empty(queue.ClaimDue(10, Now));
        Assert.Equal(["later"], queue.ClaimDue(10, Now.AddMinutes(10)).Select(m => m.MessageId));
    }

    [Fact]
    public void A_claimed_message_is_not_held_again()
    {
        var queue = Empty();
        queue.Queue(Si("sent"), Open, Now);
        queue.ClaimDue(1, Now);

        queue.RefreshHolds(Paused);

        Assert.Equal(OutreachStatus.Claimed, queue.Messages.Single().Status);
    }

    [Fact]
    public void Keeps_only_the_newest_claimed_messages()
    {
        var queue = Empty(maxClaimedKept: 1);
        queue.Queue(Si("a"), Open, Now);
        queue.ClaimDue(1, Now);
        queue.Queue(Si("b"), Open, Now);
        queue.Queue(Si("waiting", sendAfter: Now.AddHours(1)), Open, Now);

        queue.ClaimDue(1, Now);

        Assert.Equal(["b", "waiting"], queue.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Pages_in_queue_order_until_the_last()
    {
        var queue = Empty();
        foreach (var id in new[] { "a", "b", "c" })
        {
            queue.Queue(Si(id), Open, Now);
        }

        var first = queue.Page(0, 2);
        var last = queue.Page(first.NextOffset, 2);

        Assert.Equal(["a", "b"], first.Messages.Select(m => m.MessageId));
        Assert.Equal(2, first.NextOffset);
        Assert.Equal(["c"], last.Messages.Select(m => m.MessageId));
        Assert.Equal(0, last.NextOffset);
    }
}
