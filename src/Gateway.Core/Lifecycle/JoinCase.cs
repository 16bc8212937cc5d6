namespace Gateway.Core.Lifecycle;

/// <summary>
/// Makes <paramref name="Parties"/> parties of the case (<paramref name="CaseReference"/>, <paramref name="Owner"/>);
/// one that already is stays as it is. Memberships only grow, so this needs no precondition: a decision taken on a stale
/// read of them equals one taken in some serial order.
/// </summary>
public sealed record JoinCase(string CaseReference, string Owner, IReadOnlyList<string> Parties) : RowChange;
