using System.Reflection;
using Google.Protobuf.Reflection;
using DomainModel = Handoff.Domain.Model;
using GrainContacts = Handoff.Grains.Contacts;
using GrainHandoffs = Handoff.Grains.Handoffs;
using GrainNotifications = Handoff.Grains.Notifications;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Tests.Mapping;

/// <summary>
/// EnumMapper keeps an enum's number across the edge, so every domain/grain enum must share its numbers with the proto
/// enum of the same meaning, and each proto value (but UNSPECIFIED) must have a C# counterpart.
/// </summary>
public sealed class EnumAlignmentTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(DomainModel.LifecycleStage), typeof(V1.LifecycleStage) },
        { typeof(DomainModel.PipelinePhase), typeof(V1.PipelinePhase) },
        { typeof(DomainModel.Trend), typeof(V1.Trend) },
        { typeof(DomainModel.Sentiment), typeof(V1.Sentiment) },
        { typeof(DomainModel.Recommendation), typeof(V1.Recommendation) },
        { typeof(DomainModel.HandoffReason), typeof(V1.HandoffReason) },
        { typeof(DomainModel.Channel), typeof(V1.Channel) },
        { typeof(DomainModel.MessageSource), typeof(V1.MessageSource) },
        { typeof(DomainModel.DenialReason), typeof(V1.DenialReason) },
        { typeof(DomainModel.EventType), typeof(V1.EventType) },
        { typeof(GrainContacts.CardStatus), typeof(V1.CardStatus) },
        { typeof(GrainContacts.CardResolution), typeof(V1.CardResolution) },
        { typeof(GrainContacts.ActionKind), typeof(V1.ActionKind) },
        { typeof(GrainContacts.HistoryKind), typeof(V1.HistoryEntryKind) },
        { typeof(GrainContacts.MessageStatus), typeof(V1.MessageStatus) },
        { typeof(GrainNotifications.NotificationKind), typeof(V1.NotificationKind) },
        { typeof(GrainNotifications.NotificationPriority), typeof(V1.NotificationPriority) },
        { typeof(GrainNotifications.NotificationResolution), typeof(V1.NotificationResolution) },
        { typeof(GrainNotifications.NotificationChangeKind), typeof(V1.NotificationChangeKind) },
        { typeof(GrainNotifications.InboxKind), typeof(V1.InboxKind) },
        { typeof(GrainHandoffs.OwnerFilter), typeof(V1.OwnerFilter) },
        { typeof(Handoff.Domain.Summary.SummaryWriterKind), typeof(V1.SummaryWriter) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_csharp_enum_and_the_proto_enum_have_the_same_values_under_the_same_numbers(Type csharp, Type proto)
    {
        var protoValues = Values(proto);
        var csharpValues = Values(csharp);

        foreach (var (number, name) in csharpValues)
        {
            Assert.True(protoValues.TryGetValue(number, out var protoName),
                $"{csharp.FullName}.{name} = {number} has no value with that number in {proto.FullName}.");
            Assert.True(Normalize(name) == Normalize(protoName),
                $"{csharp.FullName}.{name} = {number}, but {proto.FullName} has {protoName} under that number.");
            var original = OriginalName(proto, protoName);
            Assert.True(Normalize(original).EndsWith(Normalize(name), StringComparison.Ordinal),
                $"{csharp.FullName}.{name} = {number}, but the proto value under that number is {original}.");
        }

        Assert.Equal("Unspecified", protoValues.GetValueOrDefault(0));
        foreach (var (number, protoName) in protoValues.Where(v => v.Key != 0))
        {
            Assert.True(csharpValues.ContainsKey(number),
                $"{proto.FullName}.{protoName} = {number} has no counterpart in {csharp.FullName}.");
        }

        Assert.False(csharpValues.ContainsKey(0), $"{csharp.FullName} uses 0, which the proto keeps for UNSPECIFIED.");
    }

    [Fact]
    public void Every_proto_enum_is_paired()
    {
        var paired = Pairs.Select(p => (Type)p[1]).ToHashSet();
        // The C# enums protoc generates for a oneof (WatchNotificationsResponse.EventOneofCase) are no proto enums.
        var protoEnums = typeof(V1.Contact).Assembly.GetTypes().Where(t =>
            t.IsEnum && t.Namespace == typeof(V1.Contact).Namespace && !(t.IsNested && t.Name.EndsWith("OneofCase", StringComparison.Ordinal)));

        Assert.Empty(protoEnums.Where(t => !paired.Contains(t)).Select(t => t.Name));
    }

    private static Dictionary<int, string> Values(Type enumType) =>
        Enum.GetValues(enumType).Cast<object>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => v.ToString()!);

    private static string OriginalName(Type protoEnum, string name) =>
        protoEnum.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<OriginalNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{protoEnum.Name}.{name} carries no [OriginalName].");

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
