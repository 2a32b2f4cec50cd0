using Google.Protobuf;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Security;

/// <summary>The request stays within what its caller may touch (<see cref="RequestScope"/>); resource: the request message.</summary>
public sealed class RequestScopeRequirement : IAuthorizationRequirement;

/// <summary>A reason a request was refused, with the field it names.</summary>
public sealed class ScopeFailureReason(IAuthorizationHandler handler, ScopeViolation violation)
    : AuthorizationFailureReason(handler, $"{violation.Field} {violation.Description}")
{
    public ScopeViolation Violation { get; } = violation;
}

/// <summary>Resource-based authorization of a request message against its caller's tenant, user and roles.</summary>
public sealed class RequestScopeHandler(IOptions<AuthOptions> auth) : AuthorizationHandler<RequestScopeRequirement, IMessage>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RequestScopeRequirement requirement, IMessage resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Caller.From(context.User, auth.Value.Claims) is not { } caller)
        {
            context.Fail(new AuthorizationFailureReason(this, "the token names no tenant or user"));
            return Task.CompletedTask;
        }

        var violations = RequestScope.Of(resource).Check(resource, caller);
        if (violations.Count == 0)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        foreach (var violation in violations)
        {
            context.Fail(new ScopeFailureReason(this, violation));
        }

        return Task.CompletedTask;
    }
}
