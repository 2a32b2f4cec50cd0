using System.Net;
using Grpc.AspNetCore.Web;
using Handoff.Grains;
using Handoff.Server.Ingest;
using Handoff.Server.Interceptors;
using Handoff.Server.Observability;
using Handoff.Server.Recovery;
using Handoff.Server.Services;
using Handoff.Server.Storage;
using Handoff.Server.Summaries;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;

namespace Handoff.Server.Hosting;

/// <summary>
/// Builds the Handoff host: an Orleans silo and the gRPC services in one ASP.NET Core process.
/// Program.cs and the tests both start it through here, so tests run exactly what users run.
/// </summary>
public static class HandoffServer
{
    private const string CorsPolicy = "grpc-web";
    private const string MembershipSection = "Handoff:Server:Silo:Membership";
    private const string RemindersSection = "Handoff:Server:Silo:Reminders";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(HandoffServerOptions.Section).Get<HandoffServerOptions>() ?? new HandoffServerOptions();
        builder.Services.Configure<HandoffServerOptions>(builder.Configuration.GetSection(HandoffServerOptions.Section));
        builder.Services.Configure<IngestOptions>(builder.Configuration.GetSection(IngestOptions.Section));
        builder.Services.Configure<ApiOptions>(builder.Configuration.GetSection(ApiOptions.Section));
        builder.Services.Configure<RecoveryOptions>(builder.Configuration.GetSection(RecoveryOptions.Section));

        ConfigureKestrel(builder, options);
        ConfigureSilo(builder, options);
        builder.AddHandoffObservability();
        builder.Services.AddHandoffSummaries(builder.Configuration);
        builder.Services.AddHandoffGrainServices(builder.Configuration);

        builder.Services.AddSingleton<InFlightCalls>();
        // Drains in StoppingAsync, before any hosted service stops: running calls finish before the server and silo go.
        builder.Services.AddHostedService<ShutdownDrain>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<InFlightCallInterceptor>();
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<SiloHealthCheck>("silo");
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(options.CorsOrigins)
            .AllowAnyMethod()
            .AllowAnyHeader()
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")));
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<IngestAdmission>();
        builder.Services.AddHostedService<JournalPruning>();
        builder.Services.AddHostedService<CrashRecovery>();

        var app = builder.Build();
        app.UseHandoffObservability();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseCors();
        app.MapGrpcService<ContactGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<HandoffGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<IngestGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<NotificationGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<OutreachGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService().RequireCors(CorsPolicy);
        return app;
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, HandoffServerOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Cleartext HTTP/2 needs an HTTP/2-only endpoint (no TLS means no protocol negotiation); browsers
            // speak gRPC-Web over HTTP/1.1, so they get an endpoint of their own.
            Listen(kestrel, options.GrpcUrl, HttpProtocols.Http2);
            Listen(kestrel, options.GrpcWebUrl, HttpProtocols.Http1);
        });

        static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
        {
            var uri = new Uri(url);
            Action<ListenOptions> configure = listen => listen.Protocols = protocols;
            if (uri.Host is "localhost")
            {
                kestrel.ListenLocalhost(uri.Port, configure);
            }
            else if (uri.Host is "*" or "+" or "0.0.0.0")
            {
                kestrel.ListenAnyIP(uri.Port, configure);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port, configure);
            }
        }
    }

    private static void ConfigureSilo(WebApplicationBuilder builder, HandoffServerOptions options)
    {
        builder.UseOrleans(silo =>
        {
            // Storage and clustering go together: SQLite is one silo on localhost, PostgreSQL a cluster (Storage/).
            silo.UseHandoffStorage(options);
            silo.AddHandoffKubernetesHosting(options.Silo);
            silo.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = options.Silo.GrainIdleTimeout;
                o.EnableActivationSheddingOnMemoryPressure = options.Silo.ShedGrainsOnMemoryPressure;
                o.MemoryUsageLimitPercentage = options.Silo.MemoryUsageLimitPercentage;
                o.MemoryUsageTargetPercentage = options.Silo.MemoryUsageTargetPercentage;
            });
            // Failure detection (probe timeouts, votes) is Orleans' own ClusterMembershipOptions, settable here.
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(MembershipSection));
            // Orleans' ReminderOptions (minimum period, refresh period), settable here; the escalation reminder ticks at
            // the minimum period until it is removed.
            silo.Configure<Orleans.Hosting.ReminderOptions>(builder.Configuration.GetSection(RemindersSection));
        });
    }
}
