namespace Handoff.Storage;

/// <summary>The reminder table on a SQLite file, whose writes take their turn at the file's <see cref="SqliteWriter"/>.</summary>
public sealed class OneWriterReminderTable(IReminderTable table, SqliteWriter writer) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken) => table.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => table.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => table.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => table.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => table.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry) => writer.WriteAsync(() => table.UpsertRow(entry));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        writer.WriteAsync(() => table.RemoveRow(grainId, reminderName, eTag));

    public Task TestOnlyClearTable() => writer.WriteAsync(table.TestOnlyClearTable);
}
