using System.Net;
using System.Net.Http.Headers;

namespace Handoff.Cli;

/// <summary>
/// Who the CLI calls as. A bearer token given with --token or $HANDOFF_TOKEN is sent as it is; without one, the CLI
/// asks the server's development token endpoint (a server in Development, on this machine) for a token of --as USER
/// in --tenant with --role (every role by default), so the walkthrough needs no identity provider.
/// </summary>
internal sealed class Identity(string? token, string user, IReadOnlyList<string> requestedRoles)
{
    public const string DevelopmentTokenPath = "/dev/token";

    /// <summary>The roles a development token gets when none is named: the CLI plays every part of the walkthrough.</summary>
    public static readonly string[] AllRoles = ["agent", "admin", "ingest"];

    private string? _token = token;

    public string User => user;

    /// <summary>The roles named with --role; none means every role for the CLI's own token.</summary>
    public IReadOnlyList<string> RequestedRoles => requestedRoles;

    /// <summary>The token to send: the one given, or one from the development endpoint of <paramref name="server"/>.</summary>
    public async Task<string> TokenAsync(string server, string tenant, CancellationToken cancel)
    {
        if (_token is not null) return _token;
        return _token = await DevelopmentTokenAsync(server, tenant, user, requestedRoles.Count > 0 ? requestedRoles : AllRoles, cancel);
    }

    /// <summary>GET /dev/token on the server's gRPC port (HTTP/2 without TLS for http://, as gRPC speaks there).</summary>
    public static async Task<string> DevelopmentTokenAsync(string server, string tenant, string user, IEnumerable<string> roles, CancellationToken cancel)
    {
        var query = $"tenant={Uri.EscapeDataString(tenant)}&user={Uri.EscapeDataString(user)}" + string.Concat(roles.Select(r => $"&role={Uri.EscapeDataString(r)}"));
        var uri = new Uri(new Uri(server), $"{DevelopmentTokenPath}?{query}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = uri.Scheme == Uri.UriSchemeHttp ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {server} for a development token ({e.Message}); is the server running? (set --server or HANDOFF_SERVER)");
        }

        using (response)
        {
            var body = (await response.Content.ReadAsStringAsync(cancel)).Trim();
            return response.StatusCode switch
            {
                HttpStatusCode.OK => body,
                HttpStatusCode.BadRequest => throw new CliException($"the development token endpoint refused: {body}"),
                _ => throw new CliException(
                    $"no token: give one with --token or HANDOFF_TOKEN. The server at {server} issues development tokens only in Development, to this machine."),
            };
        }
    }
}
