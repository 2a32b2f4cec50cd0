using Google.Rpc;
using Grpc.Core;
using Handoff.Server.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Security;

/// <summary>
/// A gRPC call refused by the authorization middleware gets a gRPC status instead of HTTP 401/403: UNAUTHENTICATED
/// saying what is wrong with the token (missing, expired, not signed by a trusted key), PERMISSION_DENIED naming the
/// roles the method needs. Both carry the correlation id of their log line. Other requests are answered as ASP.NET Core does.
/// </summary>
public sealed class GrpcAuthorizationResultHandler(ErrorLog log) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded || !TrailersOnlyResponse.IsGrpc(context.Request))
        {
            return standard.HandleAsync(next, context, policy, authorizeResult);
        }

        var status = authorizeResult.Challenged
            ? RichStatus.Create(Code.Unauthenticated, WhatIsWrong(context.Features.Get<TokenRejection>()?.Reason),
                RichStatus.Reason("UNAUTHENTICATED"))
            : RichStatus.Create(Code.PermissionDenied, $"This method needs one of the roles {string.Join(", ", NeededRoles(policy))}.",
                RichStatus.Reason("ROLE_REQUIRED", ("roles", string.Join(",", NeededRoles(policy)))));
        var correlationId = context.TraceIdentifier;
        log.Answered(context.Request.Path, (StatusCode)status.Code, status.Message, correlationId);
        return TrailersOnlyResponse.WriteAsync(context, status.WithCorrelationId(correlationId));
    }

    private static IEnumerable<string> NeededRoles(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct();

    /// <summary>What the caller can fix, without the validator's internals.</summary>
    private static string WhatIsWrong(Exception? rejection) => rejection switch
    {
        null => "This call needs a bearer token: send the header 'authorization: Bearer <JWT>'.",
        SecurityTokenExpiredException => "The bearer token has expired; get a new one.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet; check the issuer's clock.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The bearer token is not signed by a key this server trusts.",
        SecurityTokenInvalidIssuerException => "The bearer token was issued by an issuer this server does not trust.",
        SecurityTokenInvalidAudienceException => "The bearer token is meant for another audience.",
        SecurityTokenNoExpirationException => "The bearer token has no expiry; this server accepts only tokens that expire.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a well-formed JWT.",
        MissingCallerClaimsException missing => missing.Message,
        _ => "The bearer token is not valid.",
    };
}
