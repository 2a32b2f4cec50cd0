using Handoff.Server.Hosting;
using Handoff.Server.Security;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Handoff.Server.Web;

/// <summary>
/// Serves the built page (web/) on the gRPC-Web listener, so the browser calls the API from the page's own origin and
/// needs no CORS: the files with their cache headers and a content security policy, and <see cref="ConfigPath"/>, which
/// tells the page how to sign in. See docs/web.md.
/// </summary>
public static class WebPage
{
    /// <summary>What the page reads first: the sign-in mode and the refresh interval.</summary>
    public const string ConfigPath = "/web-config.json";

    private const string AssetsPrefix = "/assets/";

    /// <summary>The folder of the page when it is served (on, and its built files present); else null.</summary>
    public static string? Root(WebApplication app)
    {
        var options = Settings(app);
        var root = Path.GetFullPath(options.RootPath, AppContext.BaseDirectory);
        return options.Enabled && File.Exists(Path.Combine(root, "index.html")) ? root : null;
    }

    /// <summary>
    /// The settings as configured, read while the host is put together: their checks run with every other section's
    /// when the host starts (ValidateOnStart), so that one start-up failure names every setting out of range.
    /// </summary>
    private static WebPageOptions Settings(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Configuration.GetSection(WebPageOptions.Section).Get<WebPageOptions>() ?? new WebPageOptions();
    }

    /// <summary>
    /// The page's files for the gRPC-Web listener, answered before the API's middleware (they need no token). A host
    /// built without them (Handoff:Web:Enabled off, or a build without Node.js) logs that and serves the API alone.
    /// </summary>
    public static void UseWebPage(this WebApplication app, HandoffServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = Settings(app);
        var root = Root(app);
        if (root is null)
        {
            if (options.Enabled)
            {
                app.Logger.LogWarning("The web page is not served: no built page in {Root} (docs/web.md says how it is built).",
                    Path.GetFullPath(options.RootPath, AppContext.BaseDirectory));
            }

            return;
        }

        var policy = ContentSecurityPolicy(options.SignIn);
        var files = new PhysicalFileProvider(root);
        var webPort = new Uri(server.GrpcWebUrl.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal)
            .Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal)).Port;
        app.UseWhen(context => context.Connection.LocalPort == webPort, page =>
        {
            page.Use((context, next) =>
            {
                // Every answer of the page's listener that is not an API call: the page, its files, its config.
                context.Response.OnStarting(() =>
                {
                    if (!context.Request.ContentType.IsGrpc())
                    {
                        SecurityHeaders(context.Response.Headers, policy);
                    }

                    return Task.CompletedTask;
                });
                return next(context);
            });
            page.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            page.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                ContentTypeProvider = new FileExtensionContentTypeProvider(),
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                    file.Context.Request.Path.StartsWithSegments(AssetsPrefix.TrimEnd('/'), StringComparison.Ordinal)
                        ? $"public, max-age={(long)options.AssetMaxAge.TotalSeconds}, immutable"
                        // index.html names the current assets: asked again every time, answered 304 while unchanged.
                        : "no-cache",
            });
        });
    }

    /// <summary>The page's settings, read by the page before it signs in: nothing secret, no token needed.</summary>
    public static IEndpointConventionBuilder? MapWebPageConfig(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Root(app) is null)
        {
            return null;
        }

        var developmentTokens = DevelopmentTokens.Enabled(app);
        return app.MapGet(ConfigPath, (HttpContext http, IOptions<WebPageOptions> webOptions, IOptions<AuthOptions> authOptions) =>
        {
            var options = webOptions.Value;
            var auth = authOptions.Value;
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new WebPageConfig(
                developmentTokens ? WebPageConfig.DevelopmentSignIn : options.SignIn.Authority.Length > 0 ? WebPageConfig.OidcSignIn : WebPageConfig.NoSignIn,
                developmentTokens ? DevelopmentTokens.Path : null,
                options.SignIn.Authority.Length > 0 ? new WebOidcConfig(options.SignIn.Authority, options.SignIn.ClientId, options.SignIn.Scope) : null,
                new WebClaimsConfig(auth.Claims.Tenant, auth.Claims.User, auth.Claims.Roles),
                (long)options.SidebarRefreshInterval.TotalMilliseconds));
        }).AllowAnonymous();
    }

    /// <summary>
    /// Only the page's own origin for scripts, styles and calls (the OIDC provider too, for its discovery and token
    /// endpoints), no inline script or style, no framing, no plugins.
    /// </summary>
    internal static string ContentSecurityPolicy(WebSignInOptions signIn)
    {
        var connect = "'self'";
        if (Uri.TryCreate(signIn.Authority, UriKind.Absolute, out var authority))
        {
            connect += " " + authority.GetLeftPart(UriPartial.Authority);
        }

        return string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            $"connect-src {connect}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'");
    }

    private static void SecurityHeaders(IHeaderDictionary headers, string policy)
    {
        headers[HeaderNames.ContentSecurityPolicy] = policy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
    }

    private static bool IsGrpc(this string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What <see cref="WebPage.ConfigPath"/> answers (camelCase JSON).</summary>
internal sealed record WebPageConfig(string SignIn, string? DevelopmentTokenPath, WebOidcConfig? Oidc, WebClaimsConfig Claims, long SidebarRefreshMilliseconds)
{
    public const string DevelopmentSignIn = "development";
    public const string OidcSignIn = "oidc";
    public const string NoSignIn = "none";
}

internal sealed record WebOidcConfig(string Authority, string ClientId, string Scope);

internal sealed record WebClaimsConfig(string Tenant, string User, string Roles);
