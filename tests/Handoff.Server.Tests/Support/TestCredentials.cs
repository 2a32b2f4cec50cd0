using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Tests.Support;

/// <summary>
/// Bearer tokens for the clients of a host started with a shared signing key (Handoff:Auth:SigningKey), minted here
/// with the JWT library directly, as an identity provider would: the claims the host's docs name (tenant, sub, roles),
/// the default issuer and audience. Shared by the server tests, the cluster tests and the benchmark.
/// </summary>
public sealed class TestCredentials
{
    public const string Issuer = "handoff";
    public const string Audience = "handoff-api";
    public const string DefaultUser = "tester";

    /// <summary>Every role: what a test acting as "the system" holds, so that only the tests about access meet a refusal.</summary>
    public static readonly string[] AllRoles = ["agent", "admin", "ingest"];

    private readonly SymmetricSecurityKey key;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> tenantTokens = new(StringComparer.Ordinal);

    public TestCredentials(string? signingKey = null)
    {
        SigningKey = signingKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        key = new SymmetricSecurityKey(Convert.FromBase64String(SigningKey));
    }

    /// <summary>The base64 key, as the host's Handoff:Auth:SigningKey setting takes it.</summary>
    public string SigningKey { get; }

    /// <summary>The host setting that makes it accept these tokens.</summary>
    public string Setting => $"Handoff:Auth:SigningKey={SigningKey}";

    /// <summary>A token of <paramref name="user"/> of <paramref name="tenant"/> with <paramref name="roles"/> (every role when none is given).</summary>
    public string Token(string tenant, string user = DefaultUser, params string[] roles) =>
        Token(tenant, user, roles.Length == 0 ? AllRoles : roles, DateTimeOffset.UtcNow, TimeSpan.FromHours(1), key);

    /// <summary>A token with every claim chosen: for expired tokens, and tokens signed with another key.</summary>
    public static string Token(string tenant, string user, IEnumerable<string> roles, DateTimeOffset notBefore, TimeSpan lifetime, SecurityKey signingKey,
        string issuer = Issuer, string audience = Audience)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = (notBefore + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey,
                signingKey is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : signingKey is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["tenant"] = tenant, ["sub"] = user, ["roles"] = roles.ToArray() },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The authorization header of a token of <paramref name="user"/> of <paramref name="tenant"/> with <paramref name="roles"/>.</summary>
    public Metadata Headers(string tenant, string user = DefaultUser, params string[] roles) => Bearer(Token(tenant, user, roles));

    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    /// <summary>
    /// Clients on <paramref name="invoker"/> send, on every call that carries no authorization header, a token with every
    /// role for the tenant the request names (tenant_id). A stream sent by the client names its tenant only in its
    /// messages, so such calls pass <see cref="Headers"/> themselves.
    /// </summary>
    public CallInvoker ForRequestTenant(CallInvoker invoker) => invoker.Intercept(new RequestTenantToken(this));

    /// <summary>Clients on <paramref name="invoker"/> call as <paramref name="user"/> of <paramref name="tenant"/> with <paramref name="roles"/>.</summary>
    public CallInvoker As(CallInvoker invoker, string tenant, string user, params string[] roles) =>
        invoker.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {Token(tenant, user, roles)}");
            return metadata;
        });

    private sealed class RequestTenantToken(TestCredentials credentials) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation) => continuation(request, WithToken(request, context));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
            BlockingUnaryCallContinuation<TRequest, TResponse> continuation) => continuation(request, WithToken(request, context));

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
            ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(request, context));

        private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class where TResponse : class
        {
            if (context.Options.Headers?.Any(h => h.Key == "authorization") == true
                || request is not IMessage message
                || message.Descriptor.FindFieldByName("tenant_id")?.Accessor.GetValue(message) is not string { Length: > 0 } tenant)
            {
                return context;
            }

            var headers = new Metadata();
            foreach (var entry in context.Options.Headers ?? [])
            {
                headers.Add(entry);
            }

            headers.Add("authorization", $"Bearer {credentials.tenantTokens.GetOrAdd(tenant, t => credentials.Token(t))}");
            return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
        }
    }
}
