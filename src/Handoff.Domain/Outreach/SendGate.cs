using Handoff.Domain.Model;

namespace Handoff.Domain.Outreach;

/// <summary>
/// May a message go out now (SPEC section 6)? The most fundamental reason wins: an unsubscribe is the
/// contact's choice, a pause is the owner's; an active handoff and Auto-Engage off hold only SI messages,
/// because a person writing by hand is exactly what a handoff asks for.
/// </summary>
public static class SendGate
{
    /// <summary>Null when the message may be sent, otherwise why not.</summary>
    public static DenialReason? Check(OutreachControls controls, MessageSource source)
    {
        ArgumentNullException.ThrowIfNull(controls);
        if (controls.Unsubscribed)
        {
            return DenialReason.Unsubscribed;
        }

        if (controls.OutreachPaused)
        {
            return DenialReason.OutreachPaused;
        }

        if (source == MessageSource.Si && controls.HandoffActive)
        {
            return DenialReason.HandoffActive;
        }

        if (source == MessageSource.Si && !controls.AutoEngage)
        {
            return DenialReason.AutoEngageOff;
        }

        return null;
    }
}
