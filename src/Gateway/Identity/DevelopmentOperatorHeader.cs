using Gateway.Audit;
using Gateway.Identity.Operators;
using Gateway.Operations;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Development operators: trusts the operator named in the <c>x-liaison-operator</c> header, in the development
/// identity mode only (loopback only, like the agency header). An agency header does not make an operator. Every
/// operator so named may call every operator method: roles come with tokens.
/// </summary>
public sealed class DevelopmentOperatorHeader(ILogger<DevelopmentOperatorHeader> logger) : IOperatorAuthorizer
{
    private static readonly CallRefusal OperatorUnknown = new(
        StatusCode.Unauthenticated,
        "operator_unknown",
        $"The call does not identify an operator; send the '{IdentityOptions.OperatorHeader}' header with an operator name such as duty-officer-1 (lower-case letters, digits, '.', '_' and '-').",
        []);

    public Task<OperatorAuthorization> AuthorizeAsync(ServerCallContext context)
    {
        if (OperatorName.TryParse(context.RequestHeaders.GetValue(IdentityOptions.OperatorHeader), out var name))
        {
            return Task.FromResult(OperatorAuthorization.Allow(name));
        }

        OperationsLog.OperatorUnknown(logger, context.Method, IdentityOptions.OperatorHeader);
        return Task.FromResult(OperatorAuthorization.Refuse(OperatorUnknown));
    }
}
