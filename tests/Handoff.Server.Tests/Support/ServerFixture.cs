namespace Handoff.Server.Tests.Support;

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}

/// <summary>One host shared by the tests of the collection; each test works in a tenant of its own.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerHost? host;

    public ServerHost Host => host ?? throw new InvalidOperationException("The host is not started.");

    public static string NewTenant() => $"t-{Guid.NewGuid():N}";

    public async Task InitializeAsync() => host = await ServerHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
