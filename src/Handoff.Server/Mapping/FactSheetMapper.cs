using Handoff.Grains.Contacts;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Mapping;

/// <summary>A card's fact sheet as GetHandoffCard returns it.</summary>
public static class FactSheetMapper
{
    public static V1.FactSheet ToProto(this FactSheetRecord f)
    {
        var sheet = new V1.FactSheet
        {
            DisplayName = f.Name,
            Stage = f.Stage.ToProto(),
            Phase = f.Phase.ToProto(),
            Score = f.Score,
            Trend = f.Trend.ToProto(),
            TrendDelta = f.TrendDelta,
            Sentiment = f.Sentiment.ToProto(),
            SiOutreach = f.Outreach is { } o ? ToProto(o) : null,
            AsOfTime = ProtoMapper.Time(f.AsOf),
        };
        sheet.Events.AddRange(f.Events.Select(e => new V1.FactEvent
        {
            Kind = e.Kind.ToProto(),
            Count = e.Count,
            LastTime = ProtoMapper.Time(e.LastAt),
            PricingPage = e.PricingPage,
        }));
        sheet.Features.AddRange(f.Features);
        sheet.Reasons.AddRange(f.Reasons.Select(r =>
        {
            var reason = new V1.ReasonEvidence { Reason = r.Reason.ToProto() };
            reason.Evidence.AddRange(r.Evidence);
            return reason;
        }));
        return sheet;
    }

    private static V1.FactOutreach ToProto(FactOutreachRecord o)
    {
        var outreach = new V1.FactOutreach { Touches = o.Touches, LastTime = ProtoMapper.Time(o.LastAt) };
        outreach.Channels.AddRange(o.Channels.Select(c => c.ToProto()));
        return outreach;
    }
}
