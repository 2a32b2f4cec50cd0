using Handoff.Grains;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Security;

/// <summary>
/// Authentication and authorization of the host: bearer JWTs validated by ASP.NET Core's JwtBearer handler, the
/// role policies the services name, the request-scope rule, and gRPC statuses for refused calls. See docs/security.md.
/// </summary>
public static class HandoffSecurity
{
    /// <summary>Registers token validation and the policies. Fails the start-up, naming the setting, without usable key settings.</summary>
    public static WebApplicationBuilder AddHandoffSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddValidatedOptions<AuthOptions>(builder.Configuration, AuthOptions.Section);
        var keys = ResolveKeys(options, builder.Environment);
        builder.Services.AddSingleton(keys);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            // Claims keep the names the token gives them ("sub", "tenant", "roles"), not WS-Federation URIs.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = keys.FromAuthority ? null : options.Issuer,
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = options.ClockSkew,
                IssuerSigningKey = keys.ValidationKey,
                NameClaimType = options.Claims.User,
                RoleClaimType = options.Claims.Roles,
            };
            if (keys.FromAuthority)
            {
                jwt.Authority = NullIfEmpty(options.Authority);
                jwt.MetadataAddress = options.MetadataAddress.Length > 0 ? options.MetadataAddress : null!;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }

            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (Caller.From(context.Principal!, options.Claims) is { } caller)
                    {
                        context.HttpContext.Features.Set(caller);
                    }
                    else
                    {
                        var missing = new MissingCallerClaimsException(options.Claims);
                        context.HttpContext.Features.Set(new TokenRejection(missing));
                        context.Fail(missing);
                    }

                    return Task.CompletedTask;
                },
                // ASP.NET Core keeps only a successful result; the refusal says what was wrong with the token.
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Features.Set(new TokenRejection(context.Exception));
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization(HandoffPolicies.Add);
        builder.Services.AddSingleton<IAuthorizationHandler, RequestScopeHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>
    /// Exactly one key source, or none in Development (a key of its own under data/); anything else stops the start-up
    /// with the settings to set.
    /// </summary>
    private static ServerKeys ResolveKeys(AuthOptions options, IHostEnvironment environment)
    {
        const string Prefix = AuthOptions.Section + ":";
        var sources = new[]
        {
            (Set: options.SigningKey.Length > 0, Name: Prefix + nameof(AuthOptions.SigningKey)),
            (Set: options.PublicKeyPemPath.Length > 0, Name: Prefix + nameof(AuthOptions.PublicKeyPemPath)),
            (Set: options.Authority.Length > 0 || options.MetadataAddress.Length > 0, Name: Prefix + nameof(AuthOptions.Authority)),
        }.Where(s => s.Set).Select(s => s.Name).ToList();

        if (sources.Count > 1)
        {
            throw new HandoffStartupException($"{string.Join(" and ", sources)} are both set; set exactly one source of signing keys.");
        }

        if (options.SigningKey.Length > 0)
        {
            return new ServerKeys(SigningKeys.Symmetric(options.SigningKey, Prefix + nameof(AuthOptions.SigningKey)), CanIssue: true, FromAuthority: false);
        }

        if (options.PublicKeyPemPath.Length > 0)
        {
            return new ServerKeys(SigningKeys.PublicKeyFromPem(options.PublicKeyPemPath, Prefix + nameof(AuthOptions.PublicKeyPemPath)), CanIssue: false, FromAuthority: false);
        }

        if (sources.Count == 1)
        {
            return new ServerKeys(ValidationKey: null, CanIssue: false, FromAuthority: true);
        }

        if (!environment.IsDevelopment())
        {
            throw new HandoffStartupException(
                $"No signing key is configured, and only the Development environment makes one of its own. Set {Prefix}{nameof(AuthOptions.SigningKey)} " +
                $"(a shared base64 key of at least {SigningKeys.MinimumSymmetricKeyBytes} bytes), {Prefix}{nameof(AuthOptions.PublicKeyPemPath)} (the issuer's public key) " +
                $"or {Prefix}{nameof(AuthOptions.Authority)} (an OpenID Connect provider). See docs/security.md.");
        }

        var key = SigningKeys.DevelopmentKey(options.DevelopmentKeyPath);
        return new ServerKeys(SigningKeys.Symmetric(key, options.DevelopmentKeyPath), CanIssue: true, FromAuthority: false);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>
/// The key tokens are checked with (null when an OpenID Connect provider's key set is used), and whether this host may
/// sign tokens with it (a shared key: the development token endpoint).
/// </summary>
public sealed record ServerKeys(SecurityKey? ValidationKey, bool CanIssue, bool FromAuthority);

/// <summary>Why the bearer token of a request was not accepted (an HttpContext feature).</summary>
public sealed record TokenRejection(Exception Reason);

/// <summary>A token with a valid signature that does not say who the caller is.</summary>
public sealed class MissingCallerClaimsException(TokenClaims claims)
    : Exception($"The bearer token lacks the '{claims.Tenant}' or the '{claims.User}' claim.");
