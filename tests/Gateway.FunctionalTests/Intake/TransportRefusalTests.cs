using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

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
        Assert.Equal("ResourceExhausted", audit.Details.Code);
    }

    [Fact]
    public async Task An_undecodable_message_is_invalid_argument_names_the_expected_message_and_is_audited()
    {
        var status = await StatusAssert.Refused(
            () => CallRaw("interagency.v1.ReferralService", "SubmitReferral", [0xFF, 0xFF, 0xFF, 0xFF]), StatusCode.InvalidArgument);

        Assert.Equal("UNDECODABLE_MESSAGE", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("interagency.v1.SubmitReferralRequest", status.Message);
        var audit = await LastAudit();
        Assert.Equal(AuditKinds.IntakeRefused, audit.Kind);
        Assert.Equal(
            ("/interagency.v1.ReferralService/SubmitReferral", "InvalidArgument", "undecodable_message"),
            (audit.Details.Rpc, audit.Details.Code, audit.Details.Reason));
    }

    [Fact]
    public async Task An_undecodable_message_never_echoes_the_bytes_it_was_sent()
    {
        // A length-delimited header field whose length runs past the end: the name inside must not come back.
        byte[] body = [0x0A, 0x40, .. "ZHANG Wei"u8];
        var status = await StatusAssert.Refused(() => CallRaw("interagency.v1.ReferralService", "SubmitReferral", body), StatusCode.InvalidArgument);

        Assert.DoesNotContain("ZHANG", status.ToString());
        Assert.DoesNotContain("ZHANG", (await LastAudit()).Detail);
    }

    [Fact]
    public async Task An_undecodable_update_ends_its_stream_with_invalid_argument_after_the_updates_before_it_are_acknowledged()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0777");
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(
            new Method<byte[], byte[]>(MethodType.DuplexStreaming, "interagency.v1.CaseUpdateService", "PublishUpdates", Raw, Raw),
            null,
            new CallOptions(GatewayServer.As("AR/PFA")));

        await call.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference).ToByteArray());
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(UpdateOutcome.Accepted, PublishUpdatesResponse.Parser.ParseFrom(call.ResponseStream.Current).Outcome);
        await call.RequestStream.WriteAsync([0xFF, 0xFF, 0xFF, 0xFF]);

        var end = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, end.StatusCode);
        Assert.Equal("UNDECODABLE_MESSAGE", end.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        var audit = await LastAudit();
        Assert.Equal(
            ("/interagency.v1.CaseUpdateService/PublishUpdates", "InvalidArgument", "undecodable_message"),
            (audit.Details.Rpc, audit.Details.Code, audit.Details.Reason));
        Assert.Equal("AR/PFA", audit.Actor);
    }

    [Fact]
    public async Task A_call_to_a_service_not_served_yet_is_unimplemented_and_audited()
    {
        await StatusAssert.RefusedByTransport(() => CallRaw("interagency.v1.TraceService", "GetTrace", []), StatusCode.Unimplemented);

        var audit = await LastAudit();
        Assert.Equal(("/interagency.v1.TraceService/GetTrace", "Unimplemented"), (audit.Details.Rpc, audit.Details.Code));
    }
}
