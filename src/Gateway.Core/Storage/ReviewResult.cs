namespace Gateway.Core.Storage;

/// <summary>Whether a review decision was recorded.</summary>
public enum ReviewStatus
{
    /// <summary>Recorded: the held deliveries were released or refused.</summary>
    Decided = 1,

    /// <summary>No message has that id.</summary>
    NotFound = 2,

    /// <summary>The message is not awaiting review: never held, already decided on, or withdrawn by its sender.</summary>
    NotHeld = 3,
}

/// <summary>Outcome of a review decision, with the recipients it applied to when recorded.</summary>
public sealed record ReviewResult(ReviewStatus Status, IReadOnlyList<string> Recipients)
{
    /// <summary>On a release: recipients refused instead, because no route agreement in effect lets the message reach them.</summary>
    public IReadOnlyList<string> NotAgreed { get; init; } = [];
}
