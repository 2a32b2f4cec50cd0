namespace Handoff.Domain.Model;

public enum LifecycleStage { Lead = 1, Mql = 2, Sql = 3, Opportunity = 4, Customer = 5 }

public enum PipelinePhase { Discover = 1, Engage = 2, Nurture = 3, Win = 4, Closed = 5 }

public enum Trend { Rising = 1, Steady = 2, Falling = 3 }

/// <summary>Sentiment of the contact's recent inbound messages; <see cref="Unknown"/> when there are none.</summary>
public enum Sentiment { Unknown = 1, Positive = 2, Neutral = 3, Negative = 4 }

public enum Recommendation { ContinueAutomation = 1, HumanHandoff = 2 }

public enum HandoffReason { BuyingSignals = 1, AutomationExhausted = 2, NeedsHumanJudgement = 3, CriticalMoment = 4 }

public enum Channel { Email = 1, Sms = 2, Call = 3, Web = 4, Meeting = 5 }

public enum MessageSource { Si = 1, Manual = 2 }

public enum DenialReason { OutreachPaused = 1, HandoffActive = 2, AutoEngageOff = 3, Unsubscribed = 4 }

public enum EventType
{
    EmailOpened = 1,
    EmailClicked = 2,
    EmailReplied = 3,
    SmsReceived = 4,
    CallAnswered = 5,
    AppointmentBooked = 6,
    AppointmentAttended = 7,
    AppointmentNoShow = 8,
    AppointmentCancelled = 9,
    PageViewed = 10,
    FormSubmitted = 11,
    ProposalViewed = 12,
    FeatureExplored = 13,
    SiTouchSent = 14,
    Unsubscribed = 15,
    StageChanged = 16,
    PhaseChanged = 17,
    OwnerChanged = 18,
}
