using Handoff.Domain.Model;

namespace Handoff.Domain.Tests.EventModel;

/// <summary>
/// The fields only some events carry are kept apart from the rest (to keep the many events in memory small); the event
/// must still behave as the plain record it was: equal by value, and a <c>with</c> copy independent of its original.
/// </summary>
public sealed class EngagementEventTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static EngagementEvent Booking() => new()
    {
        EventId = "e-1",
        Type = EventType.AppointmentBooked,
        OccurredAt = At,
        AppointmentTime = At.AddDays(2),
        Feature = "Webinars",
        Stage = LifecycleStage.Sql,
        Phase = PipelinePhase.Engage,
        OwnerUserId = "owner-1",
    };

    [Fact]
    public void Events_with_the_same_fields_are_equal_and_differ_when_one_detail_differs()
    {
        Assert.Equal(Booking(), Booking());
        Assert.Equal(Booking().GetHashCode(), Booking().GetHashCode());
        Assert.NotEqual(Booking(), Booking() with { Phase = PipelinePhase.Win });
        Assert.NotEqual(Booking(), Booking() with { AppointmentTime = At.AddDays(3) });
    }

    [Fact]
    public void A_with_copy_changes_a_detail_without_changing_its_original()
    {
        var original = Booking();
        var moved = original with { Stage = LifecycleStage.Opportunity, OwnerUserId = "owner-2" };

        Assert.Equal(LifecycleStage.Sql, original.Stage);
        Assert.Equal("owner-1", original.OwnerUserId);
        Assert.Equal(LifecycleStage.Opportunity, moved.Stage);
        Assert.Equal("owner-2", moved.OwnerUserId);
        Assert.Equal(original.Feature, moved.Feature);
        Assert.Equal(original.AppointmentTime, moved.AppointmentTime);
    }

    [Fact]
    public void An_event_whose_details_are_all_cleared_equals_one_built_without_them()
    {
        var plain = new EngagementEvent { EventId = "e-1", Type = EventType.AppointmentBooked, OccurredAt = At };
        var cleared = Booking() with { AppointmentTime = null, Feature = null, Stage = null, Phase = null, OwnerUserId = null };

        Assert.Equal(plain, cleared);
        Assert.Equal(plain.GetHashCode(), cleared.GetHashCode());
        Assert.Null(cleared.Feature);
    }
}
