using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Operations;

/// <summary>Every operator call passes one operator check; refused or allowed, it is audited.</summary>
public class OperatorAuthorizationTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly OperationsService.OperationsServiceClient _client = new(server.Channel);

    public static TheoryData<string, string?, string?> Refused => new()
    {
        { "no header at all", null, null },
        { "an agency header instead", "CN/MPS", null },
        { "an operator name with spaces and capitals", null, "Duty Officer" },
        { "an operator name too long", null, new string('a', 65) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_call_without_a_valid_operator_header_is_unauthenticated_and_audited(string why, string? agencyHeader, string? operatorHeader)
    {
        Assert.NotEmpty(why);
        var headers = new Metadata();
        if (agencyHeader is not null)
        {
            headers.Add("x-liaison-agency", agencyHeader);
        }

        if (operatorHeader is not null)
        {
            headers.Add("x-liaison-operator", operatorHeader);
        }

        var before = (await AuditAsync(server.Store, AuditKinds.OperatorCall)).Count;

        var status = await StatusAssert.Refused(
            () => _client.ListDeadLettersAsync(new ListDeadLettersRequest(), headers).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Equal("OPERATOR_UNKNOWN", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("x-liaison-operator", status.Message, StringComparison.Ordinal);
        var audit = await AuditAsync(server.Store, AuditKinds.OperatorCall);
        Assert.Equal(before + 1, audit.Count);
        Assert.Equal("unauthenticated", audit[^1].Actor);
        Assert.Equal(
            new AuditDetails { Rpc = "/interagency.v1.OperationsService/ListDeadLetters", Code = "Unauthenticated", Reason = "operator_unknown" },
            audit[^1].Details);
    }

    [Fact]
    public async Task A_refused_replay_replays_nothing()
    {
        var delivery = await DeadLetterAsync(server.Store, "CN/OPS-AUTH", "CASE-AUTH");

        await StatusAssert.Refused(
            () => _client.ReplayDeadLettersAsync(new() { DeliveryIds = { delivery.Text }, Reason = "try" }, GatewayServer.As("CN/MPS")).ResponseAsync,
            StatusCode.Unauthenticated);

        Assert.Equal(DeliveryState.DeadLettered, (await FindAsync(server.Store, delivery)).State);
    }

    [Fact]
    public async Task The_operator_check_comes_before_the_schema()
    {
        await StatusAssert.Refused(
            () => _client.ListDeadLettersAsync(new() { PageSize = 501 }).ResponseAsync, StatusCode.Unauthenticated);
    }

    [Fact]
    public async Task An_allowed_call_is_audited_with_the_operator_method_and_filter()
    {
        await _client.ListDeadLettersAsync(
            new() { Filter = new() { Recipient = "CN/FJPSD", CaseReference = "CN-FJ-2026-0042" }, PageSize = 10 }, AsOperator("auditor-7"));

        var audit = Assert.Single(await AuditAsync(server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:auditor-7");
        Assert.Equal(
            new AuditDetails { Rpc = "/interagency.v1.OperationsService/ListDeadLetters", Code = "OK", Scope = "recipient=CN/FJPSD case=CN-FJ-2026-0042 page_size=10" },
            audit.Details);
        Assert.Empty(audit.MessageId);
    }
}
