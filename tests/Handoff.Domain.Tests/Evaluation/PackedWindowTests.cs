using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Evaluation;

/// <summary>A checkpoint stores the window packed: what it packs must read back as the same events, and what it did not pack must not read.</summary>
public sealed class PackedWindowTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void Reads_back_every_field_of_every_event_as_the_window_holds_it()
    {
        var booked = Ev.WithEveryField("Grüße 👋, see you then");
        var bare = Ev.At(EventType.EmailOpened, Now.AddHours(-1)) with { EventId = "e-bare" };
        var emptyWords = Ev.At(EventType.EmailReplied, Now.AddHours(-2)) with { EventId = "", Text = "", Feature = "", OwnerUserId = "" };
        // A word of more than 127 bytes takes two bytes of length.
        var longText = Ev.At(EventType.SmsReceived, Now.AddMinutes(-5)) with { EventId = "e-long", Text = new string('é', 300) };
        var window = new AppraisedWindow(new ScoringOptions());
        foreach (var e in new[] { bare, booked, emptyWords, longText })
        {
            window.Add(new AppraisedEvent(e, 1, Sentiment.Unknown, 0));
        }

        var read = PackedWindow.Unpack(PackedWindow.Pack(window));

        Assert.Equal([booked, emptyWords, bare, longText], read);
        Assert.Equal(window.Events, read);
        Assert.Equal(booked.OccurredAt.Offset, read[0].OccurredAt.Offset);
        Assert.Equal(booked.AppointmentTime!.Value.Offset, read[0].AppointmentTime!.Value.Offset);
        Assert.Equal(("", "", ""), (read[1].Text, read[1].Feature, read[1].OwnerUserId));
        Assert.Equal((null, null, null), (read[2].Text, read[2].Feature, read[2].OwnerUserId));
        Assert.Equal((null, null, null, null), (read[2].Channel, read[2].Stage, read[2].Phase, read[2].AppointmentTime));
    }

    [Fact]
    public void Reads_back_the_window_after_every_arrival_trim_and_store_rebuild()
    {
        var window = new AppraisedWindow(new ScoringOptions { MaxRecentEvents = 7 });
        Assert.Empty(PackedWindow.Unpack(PackedWindow.Pack(window)));
        for (var i = 0; i < 200; i++)
        {
            window.Add(new AppraisedEvent(Ev.At(EventType.SmsReceived, Now.AddMinutes(i % 5 == 0 ? i - 2 : i)) with
            {
                EventId = $"e-{i}",
                Text = i % 4 == 0 ? null : new string((char)('a' + (i % 26)), i % 50),
                OwnerUserId = i % 3 == 0 ? $"owner-{i}" : null,
            }, i, Sentiment.Neutral, 0));
            window.Trim(Now.AddMinutes(i));

            Assert.Equal(window.Events, PackedWindow.Unpack(PackedWindow.Pack(window)));
        }
    }

    [Fact]
    public void Refuses_bytes_cut_short_anywhere_of_another_format_or_with_bytes_after_the_last_event()
    {
        var window = new AppraisedWindow(new ScoringOptions());
        window.Add(new AppraisedEvent(Ev.At(EventType.AppointmentBooked, Now) with { AppointmentTime = Now.AddDays(1), Text = "Tuesday" }, 1, Sentiment.Unknown, 0));
        window.Add(new AppraisedEvent(Ev.At(EventType.SmsReceived, Now.AddMinutes(1)) with { Text = "ok" }, 1, Sentiment.Unknown, 0));
        var packed = PackedWindow.Pack(window);

        for (var length = 0; length < packed.Length; length++)
        {
            Assert.Throws<FormatException>(() => PackedWindow.Unpack(packed.AsSpan(0, length)));
        }

        var otherFormat = (byte[])packed.Clone();
        otherFormat[0] = 2;
        Assert.Throws<FormatException>(() => PackedWindow.Unpack(otherFormat));
        Assert.Throws<FormatException>(() => PackedWindow.Unpack([.. packed, 0]));
    }
}
