using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Handoff.Grains.Contacts;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Handoff.Tests.Shared;

namespace Handoff.Grains.Tests.Contacts;

/// <summary>
/// A language model's summary reaches the card through ReplaceSummary, after the card was raised with the
/// deterministic one: only onto the same card at the same version, stored, in the audit trail and in the inbox.
/// </summary>
[Collection(GrainCollection.Name)]
public sealed class SummaryReplacementTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";
    private const string ModelText = "Brandon needs a person now. Brandon is an SQL in the WIN phase.";

    private async Task<(IContactGrain Contact, CardState Card)> RaiseAsync()
    {
        var contact = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        await contact.Upsert(new ProfileUpdate { DisplayName = "Brandon Lee", OwnerUserId = "alice", Stage = LifecycleStage.Sql, Phase = PipelinePhase.Win });
        await fixture.IngestAsync(contact, new Events(fixture.Now).RisingBuyer());
        return (contact, (await contact.Get()).Card!);
    }

    [Fact]
    public async Task A_card_is_raised_with_the_deterministic_summary_and_its_fact_sheet()
    {
        var (_, card) = await RaiseAsync();

        Assert.Equal((SummaryWriterKind.Deterministic, fixture.Now), (card.SummaryWriter, card.SummaryWrittenAt));
        var facts = Assert.IsType<FactSheetRecord>(card.Facts);
        Assert.Equal(("Brandon Lee", LifecycleStage.Sql, PipelinePhase.Win), (facts.Name, facts.Stage, facts.Phase));
        Assert.Equal(card.Reasons.Select(r => r.Reason).Order(), facts.Reasons.Select(r => r.Reason).Order());
        Assert.True(new SummaryGuard(new SummaryOptions()).Check(card.Summary, facts.ToDomain()).Passed);
    }

    [Fact]
    public async Task The_models_summary_replaces_the_current_cards_one_version_up()
    {
        var (contact, card) = await RaiseAsync();
        var writtenAt = fixture.Now.AddSeconds(3);

        Assert.True(await contact.ReplaceSummary(card.CardId, card.Version, ModelText, SummaryWriterKind.LanguageModel, writtenAt));

        var replaced = (await contact.Get()).Card!;
        Assert.Equal((card.CardId, 2, ModelText, SummaryWriterKind.LanguageModel, writtenAt),
            (replaced.CardId, replaced.Version, replaced.Summary, replaced.SummaryWriter, replaced.SummaryWrittenAt));
        Assert.Equal(FactSheetJson.Of(card.Facts!.ToDomain()), FactSheetJson.Of(replaced.Facts!.ToDomain()));
        var history = await contact.GetHistory(0, 50);
        Assert.Equal(HistoryKind.SummaryReplaced, history.Entries[^1].Kind);
        await Wait.UntilAsync(
            async () => (await fixture.Grains.Inbox(Tenant, new InboxAddress(InboxKind.User, "alice")).List(0, 100, unreadOnly: false)).Notifications
                .Any(n => n.Notice.CardId == card.CardId && n.Notice.Summary == ModelText && n.Notice.CardVersion == 2),
            "the inbox notification with the model's summary");
    }

    [Fact]
    public async Task A_summary_for_an_older_version_or_another_card_is_dropped()
    {
        var (contact, card) = await RaiseAsync();
        await fixture.IngestAsync(contact, [new Events(fixture.Now).AsksForAPerson(TimeSpan.FromMinutes(1))]);
        var updated = (await contact.Get()).Card!;

        Assert.False(await contact.ReplaceSummary(card.CardId, card.Version, ModelText, SummaryWriterKind.LanguageModel, fixture.Now));
        Assert.False(await contact.ReplaceSummary("another-card", updated.Version, ModelText, SummaryWriterKind.LanguageModel, fixture.Now));

        var after = (await contact.Get()).Card!;
        Assert.Equal((updated.Version, updated.Summary, SummaryWriterKind.Deterministic), (after.Version, after.Summary, after.SummaryWriter));
    }
}
