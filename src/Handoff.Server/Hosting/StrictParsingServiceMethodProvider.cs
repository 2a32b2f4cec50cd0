using System.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Handoff.Server.Errors;
using Microsoft.AspNetCore.Routing;

namespace Handoff.Server.Hosting;

/// <summary>
/// Binds every gRPC service as grpc-dotnet's own binder does (the generated BindService, the handler's attributes as
/// endpoint metadata, CORS preflight accepted), with one difference: a request body that is not a valid message of
/// the method's request type is answered INVALID_ARGUMENT with a correlation id and one log line, instead of UNKNOWN
/// "Exception was thrown by handler." with a stack trace at error level. grpc-dotnet parses a request before any
/// interceptor runs, so its marshaller is the one place to catch it; the choice of code is in docs/security.md.
/// </summary>
public sealed class StrictParsingServiceMethodProvider<TService>(IHttpContextAccessor http, ErrorLog log) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }

            var bindMethod = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static,
                [typeof(ServiceBinderBase), type]) ?? throw new InvalidOperationException($"{bind.BindType}.{bind.BindMethodName} was not found.");
            bindMethod.Invoke(null, [new Binder(context, type, this), null]);
            return;
        }
    }

    private Marshaller<T> Strict<T>(Marshaller<T> marshaller, string method) => new(marshaller.ContextualSerializer, deserialization =>
    {
        try
        {
            return marshaller.ContextualDeserializer(deserialization);
        }
        catch (Exception e) when (e is not RpcException)
        {
            var correlationId = http.HttpContext?.TraceIdentifier ?? "";
            var status = RichStatus.Create(Code.InvalidArgument,
                "The request body is not a valid protobuf message of this method's request type.", RichStatus.Reason("MALFORMED_REQUEST"));
            log.Answered(method, StatusCode.InvalidArgument, status.Message, correlationId);
            throw status.WithCorrelationId(correlationId).ToRpcException();
        }
    });

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType, StrictParsingServiceMethodProvider<TService> provider)
        : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Strict(method), metadata, invoker);
        }

        private Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
            new(method.Type, method.ServiceName, method.Name, provider.Strict(method.RequestMarshaller, method.FullName), method.ResponseMarshaller);

        /// <summary>The service's override of the method, its attributes (the service's first, the method's last, as grpc-dotnet orders them).</summary>
        private (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            var handler = Override(name, parameters) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        private MethodInfo? Override(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
                if (method is null)
                {
                    return null;
                }

                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == declaringType)
                {
                    return method;
                }
            }

            return null;
        }
    }
}
