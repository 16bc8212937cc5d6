using Gateway.FunctionalTests.Infrastructure;
using Gateway.Identity.Operators;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operators.JwtOperatorGateway;

namespace Gateway.FunctionalTests.Operators;

/// <summary>A signing key replaced on disk is in effect for the next call, without a restart; one that cannot be read leaves the keys as they were.</summary>
public class SigningKeyRotationTests(JwtOperatorGateway gateway) : IClassFixture<JwtOperatorGateway>
{
    [Fact]
    public async Task A_replaced_key_file_takes_effect_for_the_next_call_and_an_unreadable_one_keeps_the_keys_in_effect()
    {
        var operations = new OperationsService.OperationsServiceClient(gateway.Server.Channel);
        using var next = TestTokenIssuer.Es256();
        string[] duty = [OperatorRoles.DutyOperator];
        await operations.ListRoutesAsync(new ListRoutesRequest(), Bearer(gateway.Issuer.Mint("rotating.1", duty)));

        next.WritePublicKey(gateway.EcKeyPath);

        var old = await StatusAssert.Refused(
            () => operations.ListRoutesAsync(new ListRoutesRequest(), Bearer(gateway.Issuer.Mint("rotating.1", duty))).ResponseAsync,
            StatusCode.Unauthenticated);
        Assert.Equal("OPERATOR_TOKEN_INVALID", old.GetDetail<ErrorInfo>()?.Reason);
        await operations.ListRoutesAsync(new ListRoutesRequest(), Bearer(next.Mint("rotating.1", duty)));

        File.WriteAllText(gateway.EcKeyPath, "half a file");

        await operations.ListRoutesAsync(new ListRoutesRequest(), Bearer(next.Mint("rotating.1", duty)));
    }
}
