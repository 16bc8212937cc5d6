using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>
/// The route agreements, deny by default: a message a sender addresses itself may go to a recipient only when some
/// agreement covers the sender, the recipient, the kind and the handling code. Replies are not checked here; they go
/// back to the parties of the message they answer.
/// </summary>
public sealed class RouteTable(IEnumerable<RouteAgreement> agreements)
{
    public static readonly RouteTable DenyAll = new([]);

    /// <summary>The agreements in configured order, for operators.</summary>
    public IReadOnlyList<RouteAgreement> Agreements { get; } = agreements.ToArray();

    /// <summary>
    /// True for the kinds a sender addresses itself (referral, location request): they name their recipients and are
    /// route-checked. Replies and case updates go to the parties of the message or case they belong to.
    /// </summary>
    public static bool IsAddressedBySender(MessageKind kind) => !kind.IsRoutedByGateway();

    /// <summary>The first agreement that covers the route, or null when none does.</summary>
    public RouteAgreement? FindAgreement(Agency sender, Agency recipient, MessageKind kind, HandlingCode handling) =>
        Agreements.FirstOrDefault(a => a.Covers(sender, recipient, kind, handling));

    public RouteVerdict Check(Agency sender, Agency recipient, MessageKind kind, HandlingCode handling) =>
        !recipient.AcceptsKind(kind) ? RouteVerdict.KindNotAccepted
        : !IsAddressedBySender(kind) || FindAgreement(sender, recipient, kind, handling) is not null ? RouteVerdict.Allowed
        : RouteVerdict.NotAgreed;
}
