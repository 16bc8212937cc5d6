using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>
/// The route agreements, deny by default: a message a sender addresses itself may go to a recipient only when some
/// agreement covers the sender, the recipient, the kind and the handling code. Case updates and replies are checked
/// against the same agreements by <see cref="DeliveryRoutes"/>, which decides every delivery the gateway creates.
/// </summary>
public sealed class RouteTable(IEnumerable<RouteAgreement> agreements)
{
    public static readonly RouteTable DenyAll = new([]);

    /// <summary>The agreements in configured order, for operators.</summary>
    public IReadOnlyList<RouteAgreement> Agreements { get; } = agreements.ToArray();

    /// <summary>The first agreement that covers the route, or null when none does.</summary>
    public RouteAgreement? FindAgreement(Agency sender, Agency recipient, MessageKind kind, HandlingCode handling) =>
        Agreements.FirstOrDefault(a => a.Covers(sender, recipient, kind, handling));

    /// <summary>
    /// The most restrictive handling code any agreement lets <paramref name="sender"/> use for <paramref name="kind"/>
    /// towards <paramref name="recipient"/>, or null when no agreement covers that route at any code.
    /// </summary>
    public HandlingCode? HighestAgreed(Agency sender, Agency recipient, MessageKind kind)
    {
        HandlingCode? highest = null;
        foreach (var agreement in Agreements)
        {
            if (agreement.From.Matches(sender) && agreement.To.Matches(recipient) && agreement.Kinds.Contains(kind)
                && (highest is null || agreement.MaxHandling > highest))
            {
                highest = agreement.MaxHandling;
            }
        }

        return highest;
    }

    public RouteVerdict Check(Agency sender, Agency recipient, MessageKind kind, HandlingCode handling) =>
        !recipient.AcceptsKind(kind) ? RouteVerdict.KindNotAccepted
        : !DeliveryRoutes.NeedsAgreement(kind) || FindAgreement(sender, recipient, kind, handling) is not null ? RouteVerdict.Allowed
        : RouteVerdict.NotAgreed;
}
