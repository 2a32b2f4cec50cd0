using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Evaluation;

/// <summary>The window keeps each event as values and its words in a store of its own: what goes in must come out.</summary>
public sealed class AppraisedWindowTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void Gives_back_every_field_of_an_event_as_it_arrived()
    {
        var booked = Ev.WithEveryField("See you then");
        var bare = Ev.At(EventType.EmailOpened, Now.AddHours(-1)) with { EventId = "e-bare" };
        var emptyText = Ev.At(EventType.EmailReplied, Now.AddHours(-2)) with { EventId = "", Text = "" };
        var window = new AppraisedWindow(new ScoringOptions());

        foreach (var e in new[] { bare, booked, emptyText })
        {
            window.Add(new AppraisedEvent(e, 1, Sentiment.Unknown, 0));
        }

        var events = window.Events;
        Assert.Equal([booked, emptyText, bare], events);
        Assert.Equal(booked.OccurredAt.Offset, events[0].OccurredAt.Offset);
        Assert.Equal(booked.AppointmentTime!.Value.Offset, events[0].AppointmentTime!.Value.Offset);
        Assert.Equal("", events[1].Text);
        Assert.Null(events[2].Text);
        Assert.Null(events[2].Channel);
        Assert.Null(events[2].AppointmentTime);
    }

    [Fact]
    public void Keeps_the_newest_events_and_their_words_through_many_arrivals_and_trims()
    {
        var options = new ScoringOptions { MaxRecentEvents = 5 };
        var window = new AppraisedWindow(options);
        var all = new List<EngagementEvent>();
        for (var i = 0; i < 300; i++)
        {
            // Words of every length, arriving out of order now and then, so the store fills, is rebuilt and refills.
            var e = Ev.At(EventType.SmsReceived, Now.AddMinutes(i % 7 == 0 ? i - 3 : i)) with
            {
                EventId = $"e-{i}",
                Text = new string((char)('a' + (i % 26)), i % 40),
                Feature = i % 3 == 0 ? $"feature {i}" : null,
            };
            all.Add(e);
            window.Add(new AppraisedEvent(e, i, Sentiment.Neutral, i % 4));
            window.Trim(Now.AddMinutes(i));

            Assert.Equal(RecentEventWindow.Trim(all, Now.AddMinutes(i), options), window.Events);
        }

        var last = window.Count - 1;
        Assert.Equal((299.0, Sentiment.Neutral, 3), (window[last].Weight, window[last].Tone, window[last].Judgements));
        Assert.Equal(window.EventAt(last).Text, window.TextAt(last));
        Assert.True(window.SameId(last, last));
        Assert.False(window.SameId(0, last));
    }
}
