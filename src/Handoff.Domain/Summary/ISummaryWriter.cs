namespace Handoff.Domain.Summary;

/// <summary>Writes the 2-4 sentence brief on a handoff card.</summary>
public interface ISummaryWriter
{
    ValueTask<string> WriteAsync(SummaryInput input, CancellationToken cancellationToken);
}
