namespace Gateway.Core.Lifecycle;

/// <summary>
/// One write of a change set, named for what it does to the lifecycle (insert a message, set a delivery's state), not
/// for a table. Each kind is a sealed record in this folder; each store applies each kind as it is, deciding nothing.
/// </summary>
public abstract record RowChange;
