using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Decides whether a call comes from an operator; every operator call passes here once. The seam where real operator
/// authentication will plug in.
/// </summary>
public interface IOperatorAuthorizer
{
    /// <summary>The calling operator, or null when the call does not prove one.</summary>
    OperatorName? Authorize(ServerCallContext context);
}
