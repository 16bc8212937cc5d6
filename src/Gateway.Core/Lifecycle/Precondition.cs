namespace Gateway.Core.Lifecycle;

/// <summary>
/// A fact a transition was decided on that another writer may have changed since (a hold still open, a delivery still
/// leased by this worker). The store checks it inside the transaction that applies the change set. Each kind is a
/// sealed record in this folder; each store checks each kind.
/// </summary>
public abstract record Precondition;
