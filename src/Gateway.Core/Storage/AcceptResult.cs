namespace Gateway.Core.Storage;

/// <summary>Outcome of committing a message.</summary>
public enum AcceptStatus
{
    /// <summary>Committed now.</summary>
    Accepted = 1,

    /// <summary>The same id with the same content was committed before; nothing new was stored.</summary>
    Duplicate = 2,

    /// <summary>The id was committed before with different content; nothing was stored but the refusal's audit record.</summary>
    Conflict = 3,

    /// <summary>
    /// The message it answers is no longer in a state that allows it (a hold already released or cancelled, a
    /// request already withdrawn); nothing was stored but the refusal's audit record.
    /// </summary>
    PreconditionFailed = 4,
}

/// <summary>Outcome of committing a message, with its receipt when it was accepted or a duplicate.</summary>
public sealed record AcceptResult(AcceptStatus Status, AcceptanceReceipt? Receipt);
