using System.Runtime.CompilerServices;
using Handoff.Domain.Summary;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using DomainModel = Handoff.Domain.Model;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Mapping;

/// <summary>
/// Every enum conversion between the protos and the grain/domain types, one method per pair and direction. The C#
/// enums share their numbers with the protos (EnumAlignmentTests holds every pair to that), so a conversion keeps the
/// number, but only for a value both sides define: anything else throws rather than crossing the edge unnamed. A
/// proto's UNSPECIFIED has no domain value; requests that may leave a field unspecified are validated and mapped
/// before they get here.
/// </summary>
public static class EnumMapper
{
    public static V1.LifecycleStage ToProto(this DomainModel.LifecycleStage value) => Convert<DomainModel.LifecycleStage, V1.LifecycleStage>(value);

    public static DomainModel.LifecycleStage ToDomain(this V1.LifecycleStage value) => Convert<V1.LifecycleStage, DomainModel.LifecycleStage>(value);

    public static V1.PipelinePhase ToProto(this DomainModel.PipelinePhase value) => Convert<DomainModel.PipelinePhase, V1.PipelinePhase>(value);

    public static DomainModel.PipelinePhase ToDomain(this V1.PipelinePhase value) => Convert<V1.PipelinePhase, DomainModel.PipelinePhase>(value);

    public static V1.Trend ToProto(this DomainModel.Trend value) => Convert<DomainModel.Trend, V1.Trend>(value);

    public static V1.Sentiment ToProto(this DomainModel.Sentiment value) => Convert<DomainModel.Sentiment, V1.Sentiment>(value);

    public static V1.Recommendation ToProto(this DomainModel.Recommendation value) => Convert<DomainModel.Recommendation, V1.Recommendation>(value);

    public static V1.HandoffReason ToProto(this DomainModel.HandoffReason value) => Convert<DomainModel.HandoffReason, V1.HandoffReason>(value);

    public static V1.Channel ToProto(this DomainModel.Channel value) => Convert<DomainModel.Channel, V1.Channel>(value);

    public static DomainModel.Channel ToDomain(this V1.Channel value) => Convert<V1.Channel, DomainModel.Channel>(value);

    public static V1.MessageSource ToProto(this DomainModel.MessageSource value) => Convert<DomainModel.MessageSource, V1.MessageSource>(value);

    public static DomainModel.MessageSource ToDomain(this V1.MessageSource value) => Convert<V1.MessageSource, DomainModel.MessageSource>(value);

    public static V1.DenialReason ToProto(this DomainModel.DenialReason value) => Convert<DomainModel.DenialReason, V1.DenialReason>(value);

    public static DomainModel.EventType ToDomain(this V1.EventType value) => Convert<V1.EventType, DomainModel.EventType>(value);

    public static V1.EventType ToProto(this DomainModel.EventType value) => Convert<DomainModel.EventType, V1.EventType>(value);

    /// <summary>A card stored before its writer was recorded (0) says UNSPECIFIED: unknown, not an error; other undefined numbers throw.</summary>
    public static V1.SummaryWriter ToProto(this SummaryWriterKind value) =>
        value == default ? V1.SummaryWriter.Unspecified : Convert<SummaryWriterKind, V1.SummaryWriter>(value);

    public static V1.CardStatus ToProto(this CardStatus value) => Convert<CardStatus, V1.CardStatus>(value);

    public static V1.CardResolution ToProto(this CardResolution value) => Convert<CardResolution, V1.CardResolution>(value);

    public static V1.ActionKind ToProto(this ActionKind value) => Convert<ActionKind, V1.ActionKind>(value);

    public static V1.HistoryEntryKind ToProto(this HistoryKind value) => Convert<HistoryKind, V1.HistoryEntryKind>(value);

    public static V1.MessageStatus ToProto(this MessageStatus value) => Convert<MessageStatus, V1.MessageStatus>(value);

    public static V1.NotificationKind ToProto(this NotificationKind value) => Convert<NotificationKind, V1.NotificationKind>(value);

    public static V1.NotificationPriority ToProto(this NotificationPriority value) => Convert<NotificationPriority, V1.NotificationPriority>(value);

    public static V1.NotificationResolution ToProto(this NotificationResolution value) =>
        Convert<NotificationResolution, V1.NotificationResolution>(value);

    public static V1.NotificationChangeKind ToProto(this NotificationChangeKind value) =>
        Convert<NotificationChangeKind, V1.NotificationChangeKind>(value);

    public static InboxKind ToDomain(this V1.InboxKind value) => Convert<V1.InboxKind, InboxKind>(value);

    public static OwnerFilter ToDomain(this V1.OwnerFilter value) => Convert<V1.OwnerFilter, OwnerFilter>(value);

    /// <summary>The value of <typeparamref name="TTarget"/> under the number of <paramref name="value"/>; both must define it.</summary>
    private static TTarget Convert<TSource, TTarget>(TSource value)
        where TSource : struct, Enum
        where TTarget : struct, Enum
    {
        // Every enum of the API is int-based (protoc generates them so; the C# enums follow).
        var number = Unsafe.BitCast<TSource, int>(value);
        var target = Unsafe.BitCast<int, TTarget>(number);
        if (number == 0 || !Enum.IsDefined(value) || !Enum.IsDefined(target))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value,
                $"{typeof(TSource).FullName} value {number} has no counterpart in {typeof(TTarget).FullName}.");
        }

        return target;
    }
}
