using System.CommandLine;

namespace Handoff.Cli.Commands;

/// <summary>--card, taken by every command that acts on a card.</summary>
internal static class Card
{
    public static readonly Option<string> Option = Parameter.Text("--card", "ID", "the card to act on; default the contact's current card");
}
