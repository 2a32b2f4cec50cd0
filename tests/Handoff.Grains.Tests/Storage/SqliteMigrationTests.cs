using System.Globalization;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Handoff.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// A SQLite file is brought to the schema version the host needs when the silo starts: a new file gets every script,
/// a file of version 1 (grain state only, what earlier builds created) gets the reminders of version 2 and keeps its
/// rows, and a current file is left alone.
/// </summary>
public sealed class SqliteMigrationTests
{
    [Fact]
    public void A_new_file_gets_every_version_and_a_current_file_is_left_as_it_is()
    {
        var path = HandoffTestCluster.NewDatabasePath();

        Assert.Equal(0, SqliteDatabase.EnsureCreated(path, SqliteDatabase.Migrations()));
        Assert.Equal(SqliteDatabase.SchemaVersion, SqliteDatabase.ReadSchemaVersion(path));
        Assert.Equal([1L, 2L], Column<long>(path, "SELECT Version FROM HandoffSchema ORDER BY Version"));
        Assert.True(HasTable(path, "OrleansReminders"));

        // Every later start: nothing to do, nothing applied twice.
        Assert.Equal(2, SqliteDatabase.EnsureCreated(path, SqliteDatabase.Migrations()));
        Assert.Equal([1L, 2L], Column<long>(path, "SELECT Version FROM HandoffSchema ORDER BY Version"));
    }

    [Fact]
    public async Task A_version_1_file_gets_the_reminders_keeps_its_rows_and_then_escalates_cards()
    {
        // A file as the builds before reminders left it: version 1, grain state, one stored grain.
        var path = HandoffTestCluster.NewDatabasePath();
        SqliteDatabase.EnsureCreated(path, SqliteDatabase.Migrations().Where(m => m.Version == 1).ToList());
        Assert.Equal(1, SqliteDatabase.ReadSchemaVersion(path));
        Assert.False(HasTable(path, "OrleansReminders"));
        Assert.DoesNotContain("UpsertReminderRowKey", Column<string>(path, "SELECT QueryKey FROM OrleansQuery"));
        Execute(path, """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES (1, 2, 3, 4, 'kept', '', 'handoff-tests', x'0102', '2026-01-01T00:00:00Z', 7);
            """);

        // The silo starts on it: the host's wiring migrates the file before Orleans reads its statements.
        var cluster = await HandoffTestCluster.StartAsync(path);
        try
        {
            Assert.Equal(2, SqliteDatabase.ReadSchemaVersion(path));
            Assert.Equal([1L, 2L], Column<long>(path, "SELECT Version FROM HandoffSchema ORDER BY Version"));
            Assert.Equal([7L], Column<long>(path, "SELECT Version FROM OrleansStorage WHERE GrainTypeString = 'kept'"));
            Assert.Contains("UpsertReminderRowKey", Column<string>(path, "SELECT QueryKey FROM OrleansQuery"));

            // Reminders work on the migrated file: a card raised now escalates when its SLA has passed.
            var tenant = Scenarios.NewTenantId();
            var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, Scenarios.NewUserId("owner"));
            // The index hears of the card after the acknowledgement, and then registers its reminder.
            await Wait.UntilAsync(
                () => Column<string>(path, "SELECT ReminderName FROM OrleansReminders").SequenceEqual([TenantHandoffIndexGrain.EscalationReminder]),
                () => $"the tenant's escalation reminder; the table holds [{string.Join(", ", Column<string>(path, "SELECT ReminderName FROM OrleansReminders"))}]");
            cluster.Clock.Advance(TimeSpan.FromHours(4));
            var escalation = await Wait.ForAsync(
                async () => (await cluster.Grains.Inbox(tenant, InboxAddress.Team).NotificationsAbout(handoff.ContactId)).SingleOrDefault(),
                "the escalation in the team inbox",
                eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
            Assert.Equal(NotificationKind.Escalation, escalation.Notice.Kind);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<T> Column<T>(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add((T)Convert.ChangeType(reader.GetValue(0), typeof(T), CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static bool HasTable(string path, string name) =>
        Column<long>(path, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'").Single() > 0;
}
