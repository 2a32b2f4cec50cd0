namespace Handoff.Domain.Summary;

/// <summary>Writes the 2-4 sentence brief on a handoff card from the card's fact sheet, and from nothing else.</summary>
public interface ISummaryWriter
{
    ValueTask<string> WriteAsync(FactSheet facts, CancellationToken cancellationToken);
}
