using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Bodies whose gRPC framing is broken: the client's fault, answered with the status the gRPC specification gives
/// (RESOURCE_EXHAUSTED for a length no server takes, INTERNAL for a flag or a compressed body it cannot read), audited
/// once as a transport refusal, and never logged as an error of the gateway (the fixture fails on one).
/// </summary>
public sealed class FramingRefusalTests(GatewayServer server) : IClassFixture<GatewayServer>, IDisposable
{
    private const string SubmitReferral = "/interagency.v1.ReferralService/SubmitReferral";

    private readonly RawGrpcCall _raw = new();

    public static TheoryData<string, byte[], string?, StatusCode> BrokenFrames => new()
    {
        { "message_too_large", [0x00, 0xFF, 0xFF, 0xFF, 0xFF], null, StatusCode.ResourceExhausted },
        { "malformed_frame", [0x7F, 0x00, 0x00, 0x00, 0x02, 0x0A, 0x00], null, StatusCode.Internal },
        { "undecompressable_message", [0x01, 0x00, 0x00, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF], "gzip", StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task A_broken_frame_gets_the_status_the_grpc_specification_gives_and_one_audit_entry(string reason, byte[] body, string? encoding, StatusCode expected)
    {
        var before = await server.Store.ReadAuditAsync(default).CountAsync();

        var (status, message) = await _raw.SendAsync(
            server.Address, SubmitReferral, body, [("x-liaison-agency", "CN/PLO-RU"), .. encoding is null ? [] : new[] { ("grpc-encoding", encoding) }]);

        Assert.True((StatusCode)status == expected, $"{reason}: {(StatusCode)status} {message}");
        Assert.False(string.IsNullOrWhiteSpace(message));
        var added = await server.Store.ReadAuditAsync(default).Skip(before).ToListAsync();
        var entry = Assert.Single(added);
        Assert.Equal(AuditKinds.IntakeRefused, entry.Kind);
        Assert.Equal("unauthenticated:CN/PLO-RU", entry.Actor);
        Assert.Equal((SubmitReferral, expected.ToString(), reason), (entry.Details.Rpc, entry.Details.Code, entry.Details.Reason));
    }

    [Fact]
    public async Task A_broken_frame_after_a_good_update_ends_the_stream_internal_audited_once_under_the_publisher()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0778");
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        var update = Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference).ToByteArray();
        var before = await server.Store.ReadAuditAsync(default).CountAsync();

        var (status, _) = await _raw.SendAsync(
            server.Address,
            "/interagency.v1.CaseUpdateService/PublishUpdates",
            [0, .. BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(update.Length)), .. update, 0x7F, 0, 0, 0, 0],
            ("x-liaison-agency", "AR/PFA"));

        Assert.Equal(StatusCode.Internal, (StatusCode)status);
        var refusal = Assert.Single(await server.Store.ReadAuditAsync(default).Skip(before).Where(a => a.Kind == AuditKinds.IntakeRefused).ToListAsync());
        Assert.Equal("AR/PFA", refusal.Actor);
        Assert.Equal(("/interagency.v1.CaseUpdateService/PublishUpdates", "Internal", "malformed_frame"), (refusal.Details.Rpc, refusal.Details.Code, refusal.Details.Reason));
    }

    [Theory]
    [InlineData("/interagency.v2.ReferralService/SubmitReferral", 12)]
    [InlineData("/NoSuchService/Foo", 12)]
    [InlineData("/nothing-here", null)]
    public async Task A_call_to_an_unknown_service_or_path_is_audited_once(string path, int? grpcStatus)
    {
        var before = await server.Store.ReadAuditAsync(default).CountAsync();

        if (grpcStatus is { } expected)
        {
            Assert.Equal(expected, (await _raw.SendAsync(server.Address, path, [0, 0, 0, 0, 0])).Status);
        }
        else
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, await _raw.SendPlainAsync(server.Address, path));
        }

        var entry = Assert.Single(await server.Store.ReadAuditAsync(default).Skip(before).ToListAsync());
        Assert.Equal(AuditKinds.IntakeRefused, entry.Kind);
        Assert.Equal((path, "Unimplemented"), (entry.Details.Rpc, entry.Details.Code));
    }

    public void Dispose() => _raw.Dispose();
}
