// The words the page shows for the API's enums: one table per enum, typed so that a value added to the protos and
// missing here fails the build (tsc), rather than showing a number.

import { Channel, DenialReason, HandoffReason, LifecycleStage, MessageSource, PipelinePhase, Trend } from "./gen/handoff/v1/common_pb";
import { MessageStatus } from "./gen/handoff/v1/outreach_service_pb";
import { NotificationChangeKind, NotificationResolution } from "./gen/handoff/v1/notification_service_pb";

export const reasonText: Record<HandoffReason, string> = {
  [HandoffReason.UNSPECIFIED]: "Other",
  [HandoffReason.BUYING_SIGNALS]: "Buying signals",
  [HandoffReason.AUTOMATION_EXHAUSTED]: "Automation exhausted",
  [HandoffReason.NEEDS_HUMAN_JUDGEMENT]: "Needs human judgement",
  [HandoffReason.CRITICAL_MOMENT]: "Critical moment",
};

export const stageText: Record<LifecycleStage, string> = {
  [LifecycleStage.UNSPECIFIED]: "Unknown",
  [LifecycleStage.LEAD]: "Lead",
  [LifecycleStage.MQL]: "MQL",
  [LifecycleStage.SQL]: "SQL",
  [LifecycleStage.OPPORTUNITY]: "Opportunity",
  [LifecycleStage.CUSTOMER]: "Customer",
};

export const phaseText: Record<PipelinePhase, string> = {
  [PipelinePhase.UNSPECIFIED]: "Unknown",
  [PipelinePhase.DISCOVER]: "Discover",
  [PipelinePhase.ENGAGE]: "Engage",
  [PipelinePhase.NURTURE]: "Nurture",
  [PipelinePhase.WIN]: "Win",
  [PipelinePhase.CLOSED]: "Closed",
};

export const trendText: Record<Trend, string> = {
  [Trend.UNSPECIFIED]: "no trend yet",
  [Trend.RISING]: "rising",
  [Trend.STEADY]: "steady",
  [Trend.FALLING]: "falling",
};

export const channelText: Record<Channel, string> = {
  [Channel.UNSPECIFIED]: "Message",
  [Channel.EMAIL]: "Email",
  [Channel.SMS]: "SMS",
  [Channel.CALL]: "Call",
  [Channel.WEB]: "Web",
  [Channel.MEETING]: "Meeting",
};

export const sourceText: Record<MessageSource, string> = {
  [MessageSource.UNSPECIFIED]: "unknown sender",
  [MessageSource.SI]: "SI",
  [MessageSource.MANUAL]: "manual",
};

export const denialText: Record<DenialReason, string> = {
  [DenialReason.UNSPECIFIED]: "held",
  [DenialReason.OUTREACH_PAUSED]: "outreach is paused",
  [DenialReason.HANDOFF_ACTIVE]: "a handoff card is active",
  [DenialReason.AUTO_ENGAGE_OFF]: "Auto-Engage is off",
  [DenialReason.UNSUBSCRIBED]: "the contact unsubscribed",
};

export const messageStatusText: Record<MessageStatus, string> = {
  [MessageStatus.UNSPECIFIED]: "Unknown",
  [MessageStatus.QUEUED]: "Queued",
  [MessageStatus.HELD]: "Held",
  [MessageStatus.CLAIMED]: "Sent to the sender",
};

export const resolutionText: Record<NotificationResolution, string> = {
  [NotificationResolution.UNSPECIFIED]: "Resolved",
  [NotificationResolution.CARD_RESOLVED]: "Resolved: the card was resolved",
  [NotificationResolution.REASSIGNED]: "Moved: the contact was assigned to someone else",
};

export const changeText: Record<NotificationChangeKind, string> = {
  [NotificationChangeKind.UNSPECIFIED]: "changed",
  [NotificationChangeKind.READ]: "marked read",
  [NotificationChangeKind.RESOLVED]: "resolved",
  [NotificationChangeKind.UPDATED]: "updated with a new reason",
  [NotificationChangeKind.REASSIGNED]: "moved to another inbox",
};
