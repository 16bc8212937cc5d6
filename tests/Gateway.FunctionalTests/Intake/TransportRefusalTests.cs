using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Input that never reaches the services: oversized or undecodable payloads, unknown methods. gRPC refuses
/// it before any interceptor runs; it must still get a clear status and be audited.
/// </summary>
public class TransportRefusalTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private Task<byte[]> CallRaw(string service, string method, byte[] payload) =>
        server.Channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service, method, Raw, Raw),
            null,
            new CallOptions(GatewayServer.As("CN/PLO-RU")),
            payload).ResponseAsync;

    private async Task<AuditRecord> LastAudit() => await server.Store.ReadAuditAsync(default).LastAsync();

    [Fact]
    public async Task An_oversized_message_is_resource_exhausted_and_audited()
    {
        await StatusAssert.RefusedByTransport(
            () => CallRaw("interagency.v1.ReferralService", "SubmitReferral", new byte[2 * 1024 * 1024]), StatusCode.ResourceExhausted);

        var audit = await LastAudit();
        Assert.Equal(AuditKinds.IntakeRefused, audit.Kind);
        Assert.Contains("code=ResourceExhausted", audit.Detail);
    }

    [Fact]
    public async Task An_undecodable_message_is_refused_and_audited()
    {
        // grpc-dotnet decodes before any interceptor runs and logs the failure as an error of the handler.
        server.ExpectErrorLog("InvalidProtocolBufferException");
        var error = await Assert.ThrowsAsync<RpcException>(
            () => CallRaw("interagency.v1.ReferralService", "SubmitReferral", [0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        var audit = await LastAudit();
        Assert.Equal(AuditKinds.IntakeRefused, audit.Kind);
        Assert.Contains("rpc=/interagency.v1.ReferralService/SubmitReferral", audit.Detail);
        Assert.Contains($"code={error.StatusCode}", audit.Detail);
    }

    [Fact]
    public async Task A_call_to_a_service_not_served_yet_is_unimplemented_and_audited()
    {
        await StatusAssert.RefusedByTransport(() => CallRaw("interagency.v1.TraceService", "GetTrace", []), StatusCode.Unimplemented);

        var audit = await LastAudit();
        Assert.Contains("rpc=/interagency.v1.TraceService/GetTrace code=Unimplemented", audit.Detail);
    }
}
