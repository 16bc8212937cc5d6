using Interagency.V1;

namespace Gateway.Identity.Operators;

/// <summary>
/// Which roles may call which operator method: the one table of operator authorisation. A method it does not name is
/// allowed to no role.
/// </summary>
public static class OperatorPermissions
{
    private static readonly string[] Duty = [OperatorRoles.DutyOperator];

    private static readonly string[] Review = [OperatorRoles.LegalReviewer];

    private static readonly string[] DutyOrReview = [OperatorRoles.DutyOperator, OperatorRoles.LegalReviewer];

    private static readonly Dictionary<string, string[]> Table = new(StringComparer.Ordinal)
    {
        [Path(OperationsService.Descriptor, "ListDeadLetters")] = Duty,
        [Path(OperationsService.Descriptor, "ReplayDeadLetters")] = Duty,
        [Path(OperationsService.Descriptor, "ListHeldMessages")] = DutyOrReview,
        [Path(OperationsService.Descriptor, "ReviewHeldMessage")] = Review,
        [Path(OperationsService.Descriptor, "ListAgencies")] = Duty,
        [Path(OperationsService.Descriptor, "ListRoutes")] = Duty,
        [Path(OperationsService.Descriptor, "ListOverdue")] = Duty,
        // Re-encrypting stored rows under the newest data key is the operations side of a key rotation.
        [Path(OperationsService.Descriptor, "ReencryptStore")] = Duty,
        [Path(TraceService.Descriptor, "GetMessageTrace")] = Duty,
        [Path(TraceService.Descriptor, "SearchMessages")] = Duty,
        [Path(TraceService.Descriptor, "WatchFlow")] = Duty,
        [Path(TraceService.Descriptor, "GetMessageContent")] = Duty,
    };

    /// <summary>The roles that may call <paramref name="method"/> (a gRPC path, <c>/package.Service/Method</c>); empty for any other.</summary>
    public static IReadOnlyList<string> RolesFor(string method) => Table.TryGetValue(method, out var roles) ? roles : [];

    /// <summary>Whether an operator holding <paramref name="roles"/> may call <paramref name="method"/>.</summary>
    public static bool Allows(string method, IReadOnlySet<string> roles) => RolesFor(method).Any(roles.Contains);

    private static string Path(Google.Protobuf.Reflection.ServiceDescriptor service, string method) =>
        $"/{service.FullName}/{service.FindMethodByName(method)?.Name ?? throw new InvalidOperationException($"{service.FullName} has no method {method}.")}";
}
