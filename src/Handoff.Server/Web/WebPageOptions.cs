using System.ComponentModel.DataAnnotations;

namespace Handoff.Server.Web;

/// <summary>
/// The contact sidebar page (web/) the host serves on its gRPC-Web listener, from the same origin as the API. Bound from
/// configuration section "Handoff:Web". See docs/web.md.
/// </summary>
public sealed class WebPageOptions
{
    public const string Section = "Handoff:Web";

    /// <summary>Serve the page at all (an API-only deployment, or a page served elsewhere, turns it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The folder of the built page (web/dist, copied next to the host's binary by the build), relative to the host's
    /// binary unless rooted.
    /// </summary>
    public string RootPath { get; set; } = "web";

    /// <summary>
    /// How long a browser may keep a file under /assets/ without asking again. Vite names those files by their content,
    /// so a new build is new names and a long time is safe; index.html is always asked again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan AssetMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How often an open sidebar asks for the contact again, for changes that reach no inbox the page watches (another
    /// person's pause, say). Changes made in another tab of the same browser, and every change the inbox stream announces,
    /// show at once whatever this is.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SidebarRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How to sign in outside Development, where the host hands out no tokens.</summary>
    public WebSignInOptions SignIn { get; set; } = new();
}

/// <summary>
/// The page signs people in with an OpenID Connect provider (authorization code with PKCE, a public client): the tokens
/// it gets are the ones Handoff:Auth validates. Unset: outside Development the page says that sign-in is not configured.
/// </summary>
public sealed class WebSignInOptions
{
    /// <summary>The provider (https://login.example.com/realms/sales); its discovery document names its endpoints.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The page's client id at the provider, registered with redirect URI {page origin}/.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The scopes asked for; the access token must carry the tenant, user and role claims of Handoff:Auth:Claims.</summary>
    public string Scope { get; set; } = "openid profile";
}
