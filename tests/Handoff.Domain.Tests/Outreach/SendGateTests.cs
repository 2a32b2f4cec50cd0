using Handoff.Domain.Model;
using Handoff.Domain.Outreach;

namespace Handoff.Domain.Tests.Outreach;

public sealed class SendGateTests
{
    [Theory]
    // unsubscribed, paused, handoff active, auto-engage, source => denial
    [InlineData(false, false, false, true, MessageSource.Si, null)]
    [InlineData(false, false, false, true, MessageSource.Manual, null)]
    [InlineData(true, true, true, false, MessageSource.Si, DenialReason.Unsubscribed)]
    [InlineData(true, true, true, false, MessageSource.Manual, DenialReason.Unsubscribed)]
    [InlineData(true, false, false, true, MessageSource.Manual, DenialReason.Unsubscribed)]
    [InlineData(false, true, true, false, MessageSource.Si, DenialReason.OutreachPaused)]
    [InlineData(false, true, false, true, MessageSource.Si, DenialReason.OutreachPaused)]
    [InlineData(false, true, false, true, MessageSource.Manual, DenialReason.OutreachPaused)]
    [InlineData(false, false, true, false, MessageSource.Si, DenialReason.HandoffActive)]
    [InlineData(false, false, true, true, MessageSource.Si, DenialReason.HandoffActive)]
    [InlineData(false, false, true, false, MessageSource.Manual, null)]
    [InlineData(false, false, false, false, MessageSource.Si, DenialReason.AutoEngageOff)]
    [InlineData(false, false, false, false, MessageSource.Manual, null)]
    public void Answers_with_the_most_fundamental_denial(
        bool unsubscribed, bool paused, bool handoffActive, bool autoEngage, MessageSource source, DenialReason? expected)
    {
        var controls = new OutreachControls(unsubscribed, paused, handoffActive, autoEngage);

        Assert.Equal(expected, SendGate.Check(controls, source));
    }
}
