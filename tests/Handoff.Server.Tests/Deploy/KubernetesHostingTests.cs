using Handoff.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting.Kubernetes;

namespace Handoff.Server.Tests.Deploy;

/// <summary>
/// Handoff:Server:Silo:Kubernetes switches the Orleans Kubernetes hosting integration on and nothing else does.
/// One class, so the tests that set ORLEANS_CLUSTER_ID never run at the same time as the others here.
/// </summary>
public sealed class KubernetesHostingTests
{
    [Fact]
    public void Off_by_default_and_then_adds_nothing()
    {
        var silo = new SiloBuilder();

        silo.AddHandoffKubernetesHosting(new SiloOptions());

        Assert.False(new SiloOptions().Kubernetes);
        Assert.Empty(silo.Services);
    }

    [Fact]
    public void On_adds_the_Orleans_Kubernetes_agent()
    {
        var silo = new SiloBuilder();

        silo.AddHandoffKubernetesHosting(new SiloOptions { Kubernetes = true });

        Assert.Contains(silo.Services, d => d.ImplementationType == typeof(KubernetesClusterAgent) || d.ServiceType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public void The_setting_binds_from_the_environment_variable_the_manifests_use()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Handoff:Server:Silo:Kubernetes"] = "true" })
            .Build();

        var options = configuration.GetSection(HandoffServerOptions.Section).Get<HandoffServerOptions>();

        Assert.True(options?.Silo.Kubernetes);
    }

    [Fact]
    public void A_cluster_id_from_the_pod_that_differs_from_the_configured_one_stops_the_start()
    {
        var previous = System.Environment.GetEnvironmentVariable(KubernetesHostingOptions.ClusterIdEnvironmentVariable);
        System.Environment.SetEnvironmentVariable(KubernetesHostingOptions.ClusterIdEnvironmentVariable, "other-cluster");
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                new SiloBuilder().AddHandoffKubernetesHosting(new SiloOptions { Kubernetes = true, ClusterId = "handoff" }));
            Assert.Contains("other-cluster", e.Message, StringComparison.Ordinal);

            // The same id is fine.
            new SiloBuilder().AddHandoffKubernetesHosting(new SiloOptions { Kubernetes = true, ClusterId = "other-cluster" });
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(KubernetesHostingOptions.ClusterIdEnvironmentVariable, previous);
        }
    }

    private sealed class SiloBuilder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
