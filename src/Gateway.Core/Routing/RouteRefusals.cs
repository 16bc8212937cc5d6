using Gateway.Core.Intake;

namespace Gateway.Core.Routing;

/// <summary>What intake tells a sender about a refused route; never the values sent.</summary>
public static class RouteRefusals
{
    public const string NotAgreedReason = "route_not_agreed";

    /// <summary>The violation of the recipient at <paramref name="index"/>, or null when the route is allowed.</summary>
    public static FieldError? Violation(RouteVerdict verdict, int index) => verdict switch
    {
        RouteVerdict.KindNotAccepted => new FieldError(
            $"header.recipients[{index}]", "must be an agency that accepts this message kind"),
        RouteVerdict.NotAgreed => new FieldError(
            $"header.recipients[{index}]",
            "no route agreement lets this sender send this message kind to this recipient at this handling code"),
        _ => null,
    };

    public static IntakeRefusal NotAgreed(IReadOnlyList<FieldError> violations) => new(
        RefusalCode.PermissionDenied,
        NotAgreedReason,
        "The gateway has no route agreement for this message; ask the gateway operators to check the route agreements.",
        violations);
}
