namespace Handoff.Grains.Notifications;

public enum InboxKind { User = 1, Unassigned = 2, Team = 3 }

/// <summary>Which inbox of a tenant: a user's, the unassigned one, or the team's.</summary>
[GenerateSerializer, Immutable, Alias("handoff.InboxAddress")]
public sealed record InboxAddress([property: Id(0)] InboxKind Kind, [property: Id(1)] string UserId)
{
    public static InboxAddress Unassigned { get; } = new(InboxKind.Unassigned, "");
    public static InboxAddress Team { get; } = new(InboxKind.Team, "");

    /// <summary>The owner's inbox, or the unassigned inbox when there is no owner.</summary>
    public static InboxAddress ForOwner(string ownerUserId) =>
        ownerUserId.Length == 0 ? Unassigned : new(InboxKind.User, ownerUserId);

    /// <summary>The id part of the inbox grain key; the kinds cannot collide because user keys carry a prefix.</summary>
    public string KeySuffix => Kind switch
    {
        InboxKind.User => "user:" + UserId,
        InboxKind.Unassigned => "unassigned",
        InboxKind.Team => "team",
        _ => throw new InvalidOperationException($"Inbox kind {Kind} has no grain key."),
    };
}
