using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Handoff.Grains.Tests.Contacts;

/// <summary>
/// The contact's window across a write and a new activation: packed at each write, read from either stored form, and
/// never lost by a write of an activation that did not need its window.
/// </summary>
public sealed class StoredWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddHandoffGrainServices(new ConfigurationBuilder().Build())
        .AddSerializer(s => s.AddAssembly(typeof(ContactState).Assembly))
        .BuildServiceProvider();

    private static readonly HandoffEngine Engine = Services.GetRequiredService<HandoffEngine>();

    private static readonly List<EngagementEvent> Arrived =
    [
        new() { EventId = "e-2", Type = EventType.SmsReceived, OccurredAt = Now.AddHours(-1), Channel = Channel.Sms, Text = "Can you call me today?" },
        new() { EventId = "e-1", Type = EventType.PageViewed, OccurredAt = Now.AddHours(-3), Channel = Channel.Web, PricingPage = true },
        new() { EventId = "e-3", Type = EventType.EmailReplied, OccurredAt = Now.AddMinutes(-5), Channel = Channel.Email, Text = "Not interested, thanks.", OwnerUserId = "rep-9" },
    ];

    [Fact]
    public void A_window_stored_as_a_list_by_an_earlier_version_reads_and_is_written_back_packed_with_the_same_events()
    {
        var state = new ContactState { Exists = true, RecentEvents = [.. Arrived] };
        var model = new ContactModel(state, "acme", "c-1", Engine);
        var expected = Arrived.OrderBy(e => e.OccurredAt).ToList();

        Assert.Equal(expected, model.Window.Events);
        model.PrepareForWrite(Now);
        var written = Reread(state);
        model.ReleaseStoredForms();

        Assert.Empty(written.RecentEvents);
        Assert.NotNull(written.PackedRecentEvents);
        Assert.Null(state.PackedRecentEvents);
        var reactivated = new ContactModel(written, "acme", "c-1", Engine);
        Assert.Equal(expected, reactivated.Window.Events);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(
                (model.Window[i].Weight, model.Window[i].Tone, model.Window[i].Judgements),
                (reactivated.Window[i].Weight, reactivated.Window[i].Tone, reactivated.Window[i].Judgements));
        }
    }

    [Fact]
    public void A_write_of_an_activation_that_never_needed_its_window_keeps_the_window_stored()
    {
        var first = new ContactModel(new ContactState { Exists = true, RecentEvents = [.. Arrived] }, "acme", "c-1", Engine);
        _ = first.Window;
        first.PrepareForWrite(Now);
        var packed = Reread(first.State);

        var untouched = new ContactModel(packed, "acme", "c-1", Engine);
        untouched.PrepareForWrite(Now.AddMinutes(1));
        untouched.ReleaseStoredForms();
        var listed = new ContactModel(new ContactState { Exists = true, RecentEvents = [.. Arrived] }, "acme", "c-2", Engine);
        listed.PrepareForWrite(Now);
        listed.ReleaseStoredForms();

        var expected = Arrived.OrderBy(e => e.OccurredAt).ToList();
        Assert.Equal(expected, new ContactModel(Reread(untouched.State), "acme", "c-1", Engine).Window.Events);
        Assert.Equal(expected, new ContactModel(Reread(listed.State), "acme", "c-2", Engine).Window.Events);
    }

    /// <summary>The state as a new activation reads it back from storage.</summary>
    private static ContactState Reread(ContactState state)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<ContactState>(serializer.SerializeToArray(state))!;
    }
}
