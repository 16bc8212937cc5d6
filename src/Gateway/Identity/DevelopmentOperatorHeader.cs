using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Development operators: trusts the operator named in the <c>x-liaison-operator</c> header, in the development
/// identity mode only (loopback only, like the agency header). An agency header does not make an operator.
/// </summary>
public sealed class DevelopmentOperatorHeader : IOperatorAuthorizer
{
    public OperatorName? Authorize(ServerCallContext context) =>
        OperatorName.TryParse(context.RequestHeaders.GetValue(IdentityOptions.OperatorHeader), out var name) ? name : null;
}
