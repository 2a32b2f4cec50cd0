using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// Any RPC of the API called by its descriptor, with the bytes of any request: how the access and fuzz tests reach
/// every method with one piece of code, as a third-party client would, instead of through each generated client.
/// </summary>
public static class ApiCall
{
    public static readonly ServiceDescriptor[] Services =
    [
        ContactService.Descriptor, HandoffService.Descriptor, IngestService.Descriptor,
        NotificationService.Descriptor, OutreachService.Descriptor,
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>Every RPC of the five services, by its full name ("handoff.v1.ContactService/GetContact").</summary>
    public static IReadOnlyList<MethodDescriptor> Rpcs { get; } = Services.SelectMany(s => s.Methods).ToList();

    public static string FullName(MethodDescriptor rpc) => $"{rpc.Service.FullName}/{rpc.Name}";

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="rpc"/> and reads every answer, until the call ends or, for a
    /// server stream, until the first message (a stream the server accepted stays open). Returns the failure, or null
    /// when the call was answered.
    /// </summary>
    public static Task<RpcException?> CallAsync(CallInvoker invoker, MethodDescriptor rpc, IMessage request, Metadata? headers, TimeSpan? timeout = null) =>
        CallAsync(invoker, rpc, [request.ToByteArray()], headers, timeout);

    /// <summary>As <see cref="CallAsync(CallInvoker, MethodDescriptor, IMessage, Metadata?, TimeSpan?)"/> with raw message bodies (one per stream message).</summary>
    public static async Task<RpcException?> CallAsync(CallInvoker invoker, MethodDescriptor rpc, IReadOnlyList<byte[]> bodies, Metadata? headers, TimeSpan? timeout = null)
    {
        var method = new Method<byte[], byte[]>(TypeOf(rpc), rpc.Service.FullName, rpc.Name, Bytes, Bytes);
        var options = new CallOptions(headers, DateTime.UtcNow + (timeout ?? Streams.Patience));
        try
        {
            switch (method.Type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, bodies[0]);
                    break;
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, bodies[0]);
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    break;
                }

                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    await WriteAllAsync(call.RequestStream, bodies);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                    }

                    break;
                }
            }

            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    private static MethodType TypeOf(MethodDescriptor rpc) => (rpc.IsClientStreaming, rpc.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };

    /// <summary>Sends the messages; a server that has already answered (a refusal) ends the writing, not the call.</summary>
    private static async Task WriteAllAsync(IClientStreamWriter<byte[]> requests, IReadOnlyList<byte[]> bodies)
    {
        try
        {
            foreach (var body in bodies)
            {
                await requests.WriteAsync(body);
            }

            await requests.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The response stream has the status.
        }
    }
}
