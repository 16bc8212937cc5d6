namespace Gateway.Core.Storage;

/// <summary>A message awaiting human review.</summary>
/// <param name="Position">Its place in the store's order of acceptance; pages run by it.</param>
/// <param name="HeldFor">The recipients whose deliveries wait for the decision.</param>
public sealed record HeldMessageRecord(long Position, StoredMessage Message, IReadOnlyList<string> HeldFor);
