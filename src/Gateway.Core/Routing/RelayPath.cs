using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Core.Routing;

/// <summary>
/// Checks the agencies a message passed through before the gateway (<c>header.relayed_by</c>, oldest first): the
/// path must stay within the hop limit and must not loop back to the sender, a recipient or an earlier relay.
/// </summary>
public static class RelayPath
{
    public const string Field = "header.relayed_by";
    public const string HopLimitReason = "hop_limit";
    public const string LoopReason = "routing_loop";

    /// <summary>Hops to reach the gateway: each relay, plus the sender's own.</summary>
    public static int HopCount(IReadOnlyCollection<string> relayedBy) => relayedBy.Count + 1;

    /// <returns>The refusal, or null when the path is acceptable.</returns>
    public static IntakeRefusal? Check(
        IReadOnlyCollection<string> relayedBy, AgencyId sender, IReadOnlyCollection<AgencyId> recipients, int maxHops)
    {
        if (HopCount(relayedBy) > maxHops)
        {
            return new IntakeRefusal(
                RefusalCode.InvalidArgument,
                HopLimitReason,
                $"The message passed through too many agencies; the gateway takes at most {maxHops} hops.",
                [new FieldError(Field, $"must list at most {maxHops - 1} relaying agencies")]);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var loops = relayedBy.Any(relay => !seen.Add(relay))
            || seen.Contains(sender.ToString())
            || recipients.Any(r => seen.Contains(r.ToString()));
        return loops
            ? new IntakeRefusal(
                RefusalCode.InvalidArgument,
                LoopReason,
                "The message would travel in a loop; send it on without routing it back through an agency it already passed.",
                [new FieldError(Field, "must not repeat an agency, nor name the sender or a recipient")])
            : null;
    }
}
