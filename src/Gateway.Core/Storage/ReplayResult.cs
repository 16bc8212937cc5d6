namespace Gateway.Core.Storage;

/// <summary>What a replay of dead letters did.</summary>
/// <param name="Replayed">Deliveries put back to pending.</param>
/// <param name="NotAgreed">Dead letters left as they are: no route agreement in effect lets their message reach the recipient.</param>
public sealed record ReplayResult(IReadOnlyList<long> Replayed, IReadOnlyList<long> NotAgreed);
