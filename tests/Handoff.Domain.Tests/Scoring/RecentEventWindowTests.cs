using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Scoring;

public sealed class RecentEventWindowTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void Sorts_by_time_then_event_id()
    {
        var tieB = Ev.At(EventType.EmailOpened, Now.AddHours(-1)) with { EventId = "b" };
        var tieA = Ev.At(EventType.EmailClicked, Now.AddHours(-1)) with { EventId = "a" };
        var older = Ev.DaysAgo(EventType.PageViewed, 2);

        var trimmed = RecentEventWindow.Trim([tieB, older, tieA], Now, new ScoringOptions());

        Assert.Equal([older, tieA, tieB], trimmed);
    }

    [Fact]
    public void Drops_events_older_than_the_window()
    {
        var options = new ScoringOptions { RecentEventWindow = TimeSpan.FromDays(30) };
        var edge = Ev.DaysAgo(EventType.EmailOpened, 30);
        var tooOld = Ev.At(EventType.EmailOpened, Now.AddDays(-30).AddSeconds(-1));

        Assert.Equal([edge], RecentEventWindow.Trim([tooOld, edge], Now, options));
    }

    [Fact]
    public void Keeps_only_the_newest_events()
    {
        var options = new ScoringOptions { MaxRecentEvents = 2 };
        var events = Enumerable.Range(1, 5).Select(h => Ev.HoursAgo(EventType.EmailOpened, h)).ToList();

        Assert.Equal([events[1], events[0]], RecentEventWindow.Trim(events, Now, options));
    }

    [Fact]
    public void Items_carrying_events_are_trimmed_by_the_same_rule_and_keep_what_they_carry()
    {
        var options = new ScoringOptions { MaxRecentEvents = 2, RecentEventWindow = TimeSpan.FromDays(30) };
        var tooOld = Ev.DaysAgo(EventType.EmailOpened, 31);
        var newest = Ev.HoursAgo(EventType.EmailClicked, 1);
        var middle = Ev.HoursAgo(EventType.PageViewed, 5);
        var oldest = Ev.HoursAgo(EventType.EmailOpened, 9);
        (string Tag, EngagementEvent Event)[] items = [("newest", newest), ("too-old", tooOld), ("oldest", oldest), ("middle", middle)];

        var trimmed = RecentEventWindow.Trim(items, item => item.Event, Now, options);

        Assert.Equal([("middle", middle), ("newest", newest)], trimmed);
        Assert.Equal(RecentEventWindow.Trim(items.Select(i => i.Event), Now, options), trimmed.Select(i => i.Event));
    }
}
