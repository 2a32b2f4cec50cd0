using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;

namespace Handoff.Cluster.Tests.Storage;

/// <summary>
/// The embedded SQLite store serves one server, and a second server started on it, or on a port in use, is refused
/// before it touches anything, in one line that says why; the first server is unharmed. Real processes, as a user
/// would start them from two terminals.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OneServerPerStoreTests : IDisposable
{
    private const string Tenant = "one-store";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "handoff-store-lock-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_second_server_on_the_same_store_exits_in_one_line_naming_the_file_and_the_holder_and_the_first_is_unharmed()
    {
        var database = Path.Combine(folder, "handoff.db");
        await using var first = SiloProcess.StartOnSqlite("first", database);
        await first.WaitServingAsync(StartTimeout);
        await UpsertAsync(first, "c-1", "Brandon Lee");

        await using var second = SiloProcess.StartOnSqlite("second", database);
        var exitCode = await second.ExitCodeAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(Lines(second));
        Assert.StartsWith("Handoff cannot start.", line, StringComparison.Ordinal);
        Assert.Contains(database, line, StringComparison.Ordinal);
        Assert.Contains($"process {first.ProcessId}", line, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        Assert.Equal("Brandon Lee", (await GetAsync(first, "c-1")).DisplayName);
        await UpsertAsync(first, "c-1", "Brandon Lee Jr.");
        Assert.Equal("Brandon Lee Jr.", (await GetAsync(first, "c-1")).DisplayName);
    }

    [Fact]
    public async Task After_the_holder_is_killed_a_new_server_takes_the_store_and_finds_what_was_stored()
    {
        var database = Path.Combine(folder, "handoff.db");
        await using (var first = SiloProcess.StartOnSqlite("first", database))
        {
            await first.WaitServingAsync(StartTimeout);
            await UpsertAsync(first, "c-1", "Brandon Lee");
            first.Kill();
        }

        await using var next = SiloProcess.StartOnSqlite("next", database);
        await next.WaitServingAsync(StartTimeout);

        Assert.Equal("Brandon Lee", (await GetAsync(next, "c-1")).DisplayName);
    }

    [Fact]
    public async Task A_server_whose_port_is_taken_exits_in_one_line_naming_the_setting_before_its_silo_starts()
    {
        await using var first = SiloProcess.StartOnSqlite("first", Path.Combine(folder, "first.db"));
        await first.WaitServingAsync(StartTimeout);

        await using var second = SiloProcess.StartOnSqlite("second", Path.Combine(folder, "second.db"), $"Handoff:Server:GrpcUrl={first.GrpcUrl}");
        var exitCode = await second.ExitCodeAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(Lines(second));
        Assert.StartsWith("Handoff cannot start.", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{first.GrpcPort} (Handoff:Server:GrpcUrl) is already in use", line, StringComparison.Ordinal);
        // Refused before the store was opened: the second server left no database behind.
        Assert.False(File.Exists(Path.Combine(folder, "second.db")));
        Assert.False(first.HasExited);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string[] Lines(SiloProcess process) =>
        process.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static async Task UpsertAsync(SiloProcess host, string contactId, string name) =>
        await new ContactService.ContactServiceClient(host.Invoker).UpsertContactAsync(
            new UpsertContactRequest { TenantId = Tenant, ContactId = contactId, DisplayName = name }, deadline: DateTime.UtcNow.AddSeconds(30));

    private static async Task<Contact> GetAsync(SiloProcess host, string contactId) =>
        (await new ContactService.ContactServiceClient(host.Invoker).GetContactAsync(
            new GetContactRequest { TenantId = Tenant, ContactId = contactId }, deadline: DateTime.UtcNow.AddSeconds(30))).Contact;
}
