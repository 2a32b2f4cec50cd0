namespace Handoff.Server.Interceptors;

/// <summary>The product's own methods (handoff.v1), as opposed to the health and reflection services beside them.</summary>
public static class ApiMethods
{
    public static bool IsApi(string method) => method.StartsWith("/handoff.", StringComparison.Ordinal);
}
