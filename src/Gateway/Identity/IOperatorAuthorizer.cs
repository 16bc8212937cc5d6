using Gateway.Identity.Operators;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Decides whether a call comes from an operator allowed to make it; every operator call passes here once. Development
/// mode believes a header (<see cref="DevelopmentOperatorHeader"/>), production checks a signed token and its roles
/// (<see cref="JwtOperatorAuthorizer"/>).
/// </summary>
public interface IOperatorAuthorizer
{
    /// <summary>The operator and, when the call is refused, why; asynchronous because a token is authenticated so.</summary>
    Task<OperatorAuthorization> AuthorizeAsync(ServerCallContext context);
}
