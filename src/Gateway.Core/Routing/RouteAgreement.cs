using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>
/// An agreement that senders matching <paramref name="From"/> may send the listed message kinds to recipients matching
/// <paramref name="To"/>, at handling codes up to <paramref name="MaxHandling"/> (H0 least, H3 most restrictive).
/// </summary>
public sealed record RouteAgreement(PartyPattern From, PartyPattern To, IReadOnlyList<MessageKind> Kinds, HandlingCode MaxHandling)
{
    /// <summary>Names the agreement when the directory's changes are audited; unique within a directory.</summary>
    public string Id { get; init; } = DefaultId(From.Text, To.Text);

    /// <summary>The id of an agreement configured without one.</summary>
    public static string DefaultId(string from, string to) => $"{from} -> {to}";

    public bool Covers(Agency sender, Agency recipient, MessageKind kind, HandlingCode handling) =>
        From.Matches(sender) && To.Matches(recipient) && Kinds.Contains(kind) && HandlingCodes.IsWithin(handling, MaxHandling);

    public override string ToString() =>
        $"{From} -> {To}: {string.Join(", ", Kinds)} up to {HandlingCodes.Name(MaxHandling)}";
}
