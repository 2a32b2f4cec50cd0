using System.Diagnostics.Metrics;
using System.Reflection;
using Handoff.Grains;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Handoff.Server.Observability;

/// <summary>
/// Metrics and log format of the host, from <see cref="ObservabilityOptions"/> ("Handoff:Observability"):
/// the "Handoff" meter (ingest and card instruments), Orleans' own meter (activations, storage latency, messaging),
/// ASP.NET Core (HTTP/gRPC requests) and the .NET runtime, exported through OpenTelemetry to a Prometheus scrape
/// endpoint, an OTLP collector, or both. See docs/operations.md.
/// </summary>
public static class HandoffObservability
{
    /// <summary>The meter Orleans records its instruments on (orleans-catalog-*, orleans-storage-*, ...).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Where Prometheus scrapes, on the management listener.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The name the OpenTelemetry SDK registers its metrics listener under (IMetricsBuilder rules).</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    /// <summary>Registers the instruments, the exporters and the console log format. Call before the host is built.</summary>
    public static WebApplicationBuilder AddHandoffObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(ObservabilityOptions.Section);
        var options = section.Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        builder.Services.AddValidatedOptions<ObservabilityOptions>(builder.Configuration, ObservabilityOptions.Section);
        builder.Services.AddSingleton<IngestMetrics>();

        if (options.JsonLogs)
        {
            // One JSON object per line, with the message template's values as fields and the scopes (gRPC method,
            // request and trace ids) alongside: what log collectors parse without a custom pattern.
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var otlp = OtlpEndpoint(options);
        if (!options.Prometheus && otlp is null)
        {
            return builder;
        }

        // The Handoff instruments are taken from this host's own meter factory only (MeterScope.Local), so that two
        // hosts in one process (tests) never report each other's counts. Orleans' meter is process-wide anyway.
        builder.Metrics.EnableMetrics(CardMetrics.MeterName, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                options.ServiceName,
                serviceVersion: typeof(HandoffObservability).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrleansMeter);
                // The language model's calls (Microsoft.Extensions.AI's OpenTelemetry client: tokens, durations), when it is on.
                metrics.AddMeter(Summaries.SummaryServiceCollectionExtensions.TelemetrySource);
                metrics.AddAspNetCoreInstrumentation();
                metrics.AddRuntimeInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = otlp;
                        exporter.Protocol = options.OtlpProtocol == OtlpTransport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
                    });
                }
            });
        return builder;
    }

    /// <summary>Serves <see cref="MetricsPath"/> on the management listener when Prometheus is on. Call first on the built app.</summary>
    public static WebApplication UseHandoffObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.Prometheus)
        {
            return app;
        }

        // By the port the request came in on rather than the Host header, which a proxy may rewrite: the public
        // listeners never serve it.
        var port = new Uri(app.Services.GetRequiredService<IOptions<HandoffServerOptions>>().Value.ManagementUrl).Port;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == port && context.Request.Path == MetricsPath);
        return app;
    }

    /// <summary>
    /// The collector URL, or null when none is set. With HTTP/protobuf an endpoint without a path gets the metrics path
    /// "/v1/metrics" (what OTEL_EXPORTER_OTLP_ENDPOINT would do); a URL that is not one stops the start-up.
    /// </summary>
    private static Uri? OtlpEndpoint(ObservabilityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new HandoffStartupException(
                $"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.OtlpEndpoint)} must be an absolute http or https URL " +
                $"such as http://otel-collector:4317; it is '{options.OtlpEndpoint}'.");
        }

        if (options.OtlpExportInterval <= TimeSpan.Zero || options.OtlpExportInterval.TotalMilliseconds > int.MaxValue)
        {
            throw new HandoffStartupException(
                $"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.OtlpExportInterval)} must be positive; it is {options.OtlpExportInterval}.");
        }

        return options.OtlpProtocol == OtlpTransport.HttpProtobuf && uri.AbsolutePath is "" or "/"
            ? new Uri(uri, "v1/metrics")
            : uri;
    }
}
