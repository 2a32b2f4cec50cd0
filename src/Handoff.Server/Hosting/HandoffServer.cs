using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server.Model;
using Grpc.AspNetCore.Web;
using Handoff.Grains;
using Handoff.Server.Errors;
using Handoff.Server.Ingest;
using Handoff.Server.Interceptors;
using Handoff.Server.Limits;
using Handoff.Server.Observability;
using Handoff.Server.Recovery;
using Handoff.Server.Security;
using Handoff.Server.Services;
using Handoff.Server.Summaries;
using Handoff.Server.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
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

    /// <summary>
    /// The host, configured by <paramref name="args"/> and then <paramref name="configure"/>. It stores on the store
    /// Handoff:Server:Storage configures, unless <paramref name="configureStorage"/> plugs in another (grain state,
    /// reminders and the event journal; the silo then runs alone on localhost): the benchmark's in-memory baseline,
    /// which is no store to ship.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<ISiloBuilder>? configureStorage = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        AddSecretFiles(builder.Configuration);

        var options = builder.Configuration.GetSection(HandoffServerOptions.Section).Get<HandoffServerOptions>() ?? new HandoffServerOptions();
        var api = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        builder.Services.AddValidatedOptions<HandoffServerOptions>(builder.Configuration, HandoffServerOptions.Section);
        builder.Services.AddValidatedOptions<IngestOptions>(builder.Configuration, IngestOptions.Section);
        builder.Services.AddValidatedOptions<AdaptiveLimitOptions>(builder.Configuration, AdaptiveLimitOptions.Section);
        builder.Services.AddValidatedOptions<ApiOptions>(builder.Configuration, ApiOptions.Section);
        builder.Services.AddValidatedOptions<RecoveryOptions>(builder.Configuration, RecoveryOptions.Section);
        builder.Services.AddValidatedOptions<LimitOptions>(builder.Configuration, LimitOptions.Section);
        builder.Services.AddValidatedOptions<WebPageOptions>(builder.Configuration, WebPageOptions.Section);

        ConfigureKestrel(builder, options, TlsCertificate.Load(options));
        PortAvailability.EnsureFree(options, Url);
        // Before the silo's configuration opens the store: a second server on the same SQLite file stops here. The
        // host owns the lock from then on (it is disposed with the host), or it is released at once if the build fails.
        var storeLock = configureStorage is null && options.Storage.Provider == StorageProvider.Sqlite ? SqliteStoreLock.Acquire(options.Storage.SqlitePath) : null;
        try
        {
            return Compose(builder, options, api, storeLock, configureStorage);
        }
        catch
        {
            storeLock?.Dispose();
            throw;
        }
    }

    private static WebApplication Compose(WebApplicationBuilder builder, HandoffServerOptions options, ApiOptions api, SqliteStoreLock? storeLock,
        Action<ISiloBuilder>? configureStorage)
    {
        if (storeLock is not null)
        {
            builder.Services.AddSingleton(_ => storeLock);
        }

        builder.Services.AddSingleton(new HostStore(configureStorage is null ? options.Storage : null));
        ConfigureSilo(builder, options, configureStorage);
        builder.AddHandoffObservability();
        builder.AddHandoffSecurity();
        builder.Services.AddHandoffSummaries(builder.Configuration);
        builder.Services.AddHandoffGrainServices(builder.Configuration);

        builder.Services.AddSingleton<InFlightCalls>();
        // Drains in StoppingAsync, before any hosted service stops: running calls finish before the server and silo go.
        builder.Services.AddHostedService<ShutdownDrain>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<StackTraceBudget>();
        builder.Services.AddSingleton<ErrorLog>();
        builder.Services.AddSingleton<CallerLimits>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = api.MaxReceiveMessageSize;
            // Outermost first: a draining server turns calls away before anything else; every error leaves through the
            // error mapping; a caller past its rate is stopped before its request is looked at.
            grpc.Interceptors.Add<InFlightCallInterceptor>();
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.Interceptors.Add<CallRateInterceptor>();
            grpc.Interceptors.Add<RequestScopeInterceptor>();
        });
        var reflection = options.Reflection ?? builder.Environment.IsDevelopment();
        if (reflection)
        {
            builder.Services.AddGrpcReflection();
        }

        builder.Services.AddGrpcHealthChecks().AddCheck<SiloHealthCheck>("silo");
        // Every service is bound with request parsing that answers a malformed body INVALID_ARGUMENT (instead of
        // grpc-dotnet's UNKNOWN); it replaces the standard binder, registered by the AddGrpc* calls above.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(StrictParsingServiceMethodProvider<>));
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(options.CorsOrigins)
            .AllowAnyMethod()
            .AllowAnyHeader()
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")));
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<IngestAdmission>();
        builder.Services.AddHostedService<JournalPruning>();
        builder.Services.AddHostedService<CrashRecovery>();

        // Last, once every logger provider (the console's, a test's) is registered.
        LogGuard.WrapAll(builder.Services);
        var app = builder.Build();
        // Built now, so that limits it cannot work with stop the start-up rather than the first call.
        app.Services.GetRequiredService<CallerLimits>();
        // Resolved, so that the container owns the store lock and releases it when the host is disposed.
        app.Services.GetService<SqliteStoreLock>();
        app.UseHandoffObservability();
        app.UseManagementListener(options);
        // The page's files need no token and are no gRPC call: answered before the API's middleware.
        app.UseWebPage(options);
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        // CORS answers a browser's preflight before authentication, which must not ask a preflight for a token.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        // Innermost: it sees what grpc-dotnet answered on its own before the answer leaves.
        app.UseFrameworkAnswers();
        app.MapGrpcService<ContactGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<HandoffGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<IngestGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<NotificationGrpcService>().RequireCors(CorsPolicy);
        app.MapGrpcService<OutreachGrpcService>().RequireCors(CorsPolicy);
        if (reflection)
        {
            app.MapGrpcReflectionService().AllowAnonymous();
        }

        app.MapGrpcHealthChecksService().RequireCors(CorsPolicy).AllowAnonymous();
        // A page served from another origin the options allow (Vite's development server) signs in and reads its
        // settings across origins too.
        app.MapDevelopmentTokens()?.RequireCors(CorsPolicy);
        app.MapWebPageConfig()?.RequireCors(CorsPolicy);
        return app;
    }

    /// <summary>
    /// Settings from the files of <see cref="HandoffServerOptions.SecretsPath"/>, placed after the appsettings files and
    /// before the environment and the command line.
    /// </summary>
    private static void AddSecretFiles(ConfigurationManager configuration)
    {
        var path = configuration[$"{HandoffServerOptions.Section}:{nameof(HandoffServerOptions.SecretsPath)}"] ?? new HandoffServerOptions().SecretsPath;
        if (!Directory.Exists(path))
        {
            return;
        }

        var source = new KeyPerFileConfigurationSource { FileProvider = new PhysicalFileProvider(Path.GetFullPath(path)), Optional = true };
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var afterFiles = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is FileConfigurationSource).i + 1;
        sources.Insert(afterFiles, source);
    }

    /// <summary>
    /// The management listener serves only what is meant for operators: <see cref="HandoffObservability.MetricsPath"/>
    /// (answered before this, when Prometheus is on) and the development token endpoint; never the API.
    /// </summary>
    private static void UseManagementListener(this WebApplication app, HandoffServerOptions options)
    {
        var port = Url(options.ManagementUrl).Port;
        var developmentTokens = DevelopmentTokens.Enabled(app);
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == port && !(developmentTokens && context.Request.Path == DevelopmentTokens.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, HandoffServerOptions options, X509Certificate2? certificate)
    {
        var ports = new[] { options.GrpcUrl, options.GrpcWebUrl, options.ManagementUrl }.Select(url => Url(url).Port).ToList();
        if (ports.Distinct().Count() != ports.Count)
        {
            throw new HandoffStartupException(
                $"{HandoffServerOptions.Section}: GrpcUrl, GrpcWebUrl and ManagementUrl need three different ports; they are {string.Join(", ", ports)}.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Cleartext HTTP/2 needs an HTTP/2-only endpoint (no TLS means no protocol negotiation); browsers speak
            // gRPC-Web over HTTP/1.1, so they get an endpoint of their own. With TLS, ALPN lets it offer HTTP/2 too.
            Listen(kestrel, options.GrpcUrl, HttpProtocols.Http2, certificate);
            Listen(kestrel, options.GrpcWebUrl, IsHttps(options.GrpcWebUrl) ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, certificate);
            Listen(kestrel, options.ManagementUrl, HttpProtocols.Http1, certificate);
        });

        static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, X509Certificate2? certificate)
        {
            var uri = Url(url);
            Action<ListenOptions> configure = listen =>
            {
                listen.Protocols = protocols;
                if (IsHttps(url))
                {
                    listen.UseHttps(certificate!);
                }
            };
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

        static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    private static Uri Url(string url) =>
        Uri.TryCreate(url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
            ? uri
            : throw new HandoffStartupException($"{HandoffServerOptions.Section}: '{url}' is not an http:// or https:// URL with a host and a port.");

    private static void ConfigureSilo(WebApplicationBuilder builder, HandoffServerOptions options, Action<ISiloBuilder>? configureStorage)
    {
        builder.UseOrleans(silo =>
        {
            // Storage and clustering go together: SQLite is one silo on localhost, PostgreSQL a cluster (HostStorage).
            silo.UseHandoffStorage(options, configureStorage);
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
            // Orleans' ReminderOptions (minimum period, refresh period), settable here; a tenant's escalation reminder
            // ticks at the minimum period while any of its cards awaits escalation.
            silo.Configure<Orleans.Hosting.ReminderOptions>(builder.Configuration.GetSection(RemindersSection));
        });
    }
}
