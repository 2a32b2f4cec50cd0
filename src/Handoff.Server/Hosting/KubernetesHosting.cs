using Orleans.Hosting.Kubernetes;

namespace Handoff.Server.Hosting;

/// <summary>
/// The Orleans Kubernetes hosting integration, on when <c>Handoff:Server:Silo:Kubernetes</c> is true
/// (deploy/kubernetes/ sets it). Clustering stays on the database; Kubernetes only tells Orleans which pod a silo is.
/// </summary>
public static class KubernetesHosting
{
    /// <summary>
    /// With <see cref="SiloOptions.Kubernetes"/> on: the silo is named after its pod (POD_NAME), advertises the pod's
    /// address (POD_IP) unless <c>AdvertisedIPAddress</c> is set, listens on every address, and two silos of the
    /// cluster watch the pods so that a silo whose pod is gone is declared dead at once (and a dead silo's pod is deleted)
    /// instead of after missed heartbeats. Off: nothing is added.
    /// </summary>
    public static ISiloBuilder AddHandoffKubernetesHosting(this ISiloBuilder silo, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Kubernetes)
        {
            return silo;
        }

        // Orleans takes the cluster and service ids from ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID when they are set, and
        // finds the other silos' pods by the labels of the same names. The Handoff options name the rows in the shared
        // database. Two different answers would make a silo watch one cluster and join another: refuse to start.
        EnsureSame(KubernetesHostingOptions.ClusterIdEnvironmentVariable, "Handoff:Server:Silo:ClusterId", options.ClusterId);
        EnsureSame(KubernetesHostingOptions.ServiceIdEnvironmentVariable, "Handoff:Server:Silo:ServiceId", options.ServiceId);

        return silo.UseKubernetesHosting();
    }

    private static void EnsureSame(string variable, string key, string configured)
    {
        var fromPod = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(fromPod) && !string.Equals(fromPod, configured, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{variable} is '{fromPod}' but {key} is '{configured}'. Set both from the same pod label (see deploy/kubernetes/deployment.yaml).");
        }
    }
}
