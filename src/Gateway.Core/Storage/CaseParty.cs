namespace Gateway.Core.Storage;

/// <summary>
/// One agency's membership of a case. A case is its reference and its owner, the agency that opened it: two agencies
/// that pick the same reference open two cases, and a party of one learns nothing of the other.
/// </summary>
public sealed record CaseParty(string Owner, string Party);
