using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Identity.Operators;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;
using static Gateway.FunctionalTests.Operators.JwtOperatorGateway;

namespace Gateway.FunctionalTests.Operators;

/// <summary>The gateway reading Keycloak's realm roles (<c>RoleClaim</c> <c>realm_access.roles</c>).</summary>
public sealed class KeycloakOperatorGateway : JwtOperatorGateway
{
    protected override string? RoleClaim => "realm_access.roles";
}

/// <summary>Keycloak puts realm roles in a nested claim; the gateway reads them there, and a top-level one no longer counts.</summary>
public class KeycloakRoleTests(KeycloakOperatorGateway gateway) : IClassFixture<KeycloakOperatorGateway>
{
    [Fact]
    public async Task Realm_roles_allow_the_call_and_a_top_level_roles_claim_does_not()
    {
        var operations = new OperationsService.OperationsServiceClient(gateway.Server.Channel);
        var realmRoles = new Dictionary<string, object> { ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "offline_access", OperatorRoles.DutyOperator } } };

        await operations.ListOverdueAsync(new ListOverdueRequest(), Bearer(gateway.Issuer.Mint("kc-user-1", [], claims: realmRoles)));
        var status = await StatusAssert.Refused(
            () => operations.ListOverdueAsync(new ListOverdueRequest(), Bearer(gateway.Issuer.Mint("kc-user-2", [OperatorRoles.DutyOperator]))).ResponseAsync,
            StatusCode.PermissionDenied);

        Assert.Equal("OPERATOR_ROLE_MISSING", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("realm_access.roles", status.Message, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(gateway.Server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:kc-user-1" && r.Details.Code == "OK");
    }
}
