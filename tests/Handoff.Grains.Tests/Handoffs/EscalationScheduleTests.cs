using Handoff.Grains.Handoffs;

namespace Handoff.Grains.Tests.Handoffs;

/// <summary>The tenant's escalation times without a cluster: one time per contact, taken out in order once come.</summary>
public sealed class EscalationScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Times_that_have_come_are_taken_out_earliest_first_and_the_rest_stay()
    {
        var schedule = new EscalationSchedule();
        schedule.Set("c-late", Noon.AddHours(2));
        schedule.Set("c-first", Noon.AddMinutes(-5));
        schedule.Set("c-now", Noon);

        Assert.Equal(["c-first", "c-now"], schedule.TakeDue(Noon));
        Assert.Equal(Noon.AddHours(2), schedule.Earliest);
        Assert.Empty(schedule.TakeDue(Noon));
    }

    [Fact]
    public void A_contact_holds_one_time_and_a_new_one_replaces_it()
    {
        var schedule = new EscalationSchedule();
        schedule.Set("c-1", Noon);
        schedule.Set("c-1", Noon.AddHours(1));

        Assert.Empty(schedule.TakeDue(Noon));
        Assert.Equal(["c-1"], schedule.TakeDue(Noon.AddHours(1)));
        Assert.True(schedule.IsEmpty);
    }

    [Fact]
    public void No_time_and_a_removal_both_leave_the_contact_out()
    {
        var schedule = new EscalationSchedule();
        schedule.Set("c-1", Noon);
        schedule.Set("c-2", Noon);
        schedule.Set("c-1", null);
        schedule.Remove("c-2");
        schedule.Remove("c-unknown");

        Assert.True(schedule.IsEmpty);
        Assert.Null(schedule.Earliest);
        Assert.Empty(schedule.TakeDue(Noon.AddDays(1)));
    }

    [Fact]
    public void Contacts_due_at_the_same_moment_are_all_kept()
    {
        var schedule = new EscalationSchedule();
        schedule.Set("c-b", Noon);
        schedule.Set("c-a", Noon);

        Assert.Equal(["c-a", "c-b"], schedule.TakeDue(Noon));
    }
}
