using Gateway.Core.Agencies;
using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>
/// Which case a message belongs to. A case is its reference and the agency that opened it; its parties are that agency
/// and those that sent or were routed an accepted message of it. A message from X under reference R belongs to the one
/// case under R that X is a party of: naming a reference never makes anyone a party. With none, a message X addresses
/// opens a case of its own, and a case update has nowhere to go; with several (two owners picked the same reference and
/// both sent to X), X must use a reference of its own. Replies belong to the case of the message they answer.
/// </summary>
public static class CaseRules
{
    public const string Field = "header.case_reference";

    /// <summary>Answers alike whether no case has the reference or only other agencies' cases do: no leak of their cases.</summary>
    public static readonly IntakeRefusal UnknownCase = new(
        RefusalCode.NotFound,
        "unknown_case",
        "No message of this case was accepted by the gateway.",
        [new FieldError(Field, "must be the reference of a case the gateway carries messages for")]);

    public static readonly IntakeRefusal AmbiguousCase = new(
        RefusalCode.FailedPrecondition,
        "ambiguous_case_reference",
        "The case reference names more than one case; send the message under a reference of the calling agency's own.",
        [new FieldError(
            Field,
            "must name one case: the calling agency takes part in more than one case under this reference; use a reference of its own")]);

    /// <summary>The owners of the cases under the reference read that <paramref name="party"/> takes part in.</summary>
    public static IReadOnlyList<string> CasesOf(IReadOnlyList<CaseParty> memberships, AgencyId party)
    {
        var name = party.ToString();
        return [.. memberships.Where(m => m.Party == name).Select(m => m.Owner).Distinct()];
    }

    /// <summary>The parties of the case (reference read, <paramref name="owner"/>).</summary>
    public static IReadOnlyList<AgencyId> PartiesOf(IReadOnlyList<CaseParty> memberships, string owner) =>
        [.. memberships.Where(m => m.Owner == owner).Select(m => AgencyId.Parse(m.Party))];

    /// <summary>The case a message <paramref name="sender"/> addresses belongs to: the one it takes part in, or a new one it owns.</summary>
    public static (AgencyId? Owner, IntakeRefusal? Refusal) ForAddressed(IReadOnlyList<CaseParty> memberships, AgencyId sender) =>
        CasesOf(memberships, sender) switch
        {
            [] => (sender, null),
            [var owner] => (AgencyId.Parse(owner), null),
            _ => (null, AmbiguousCase),
        };

    /// <summary>The case a case update from <paramref name="sender"/> belongs to; it opens none.</summary>
    public static (AgencyId? Owner, IntakeRefusal? Refusal) ForUpdate(IReadOnlyList<CaseParty> memberships, AgencyId sender) =>
        CasesOf(memberships, sender) switch
        {
            [] => (null, UnknownCase),
            [var owner] => (AgencyId.Parse(owner), null),
            _ => (null, AmbiguousCase),
        };

    /// <summary>The agencies among <paramref name="agencies"/> not yet parties of the case (reference read, <paramref name="owner"/>).</summary>
    public static IReadOnlyList<AgencyId> Joining(IReadOnlyList<CaseParty> memberships, AgencyId owner, IEnumerable<AgencyId> agencies)
    {
        var parties = PartiesOf(memberships, owner.ToString()).ToHashSet();
        return [.. agencies.Distinct().Where(a => !parties.Contains(a))];
    }
}
