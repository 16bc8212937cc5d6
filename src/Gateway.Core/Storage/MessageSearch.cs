using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>
/// One page of a search over stored messages: the filter (null fields match everything), who may see what
/// (<see cref="VisibleTo"/>), the order by position, where the page starts and how many rows it may examine.
/// </summary>
/// <param name="VisibleTo">An agency that sees only what it sent or was addressed by; null for an operator.</param>
/// <param name="After">The position to continue after (0 for the first page); in the search's order.</param>
/// <param name="Examine">How many messages the page may examine: a filter not served by an index ends a page there.</param>
public sealed record MessageSearch(
    string? CaseReference,
    string? Sender,
    string? Recipient,
    MessageKind? Kind,
    DeliveryState? State,
    DateTimeOffset? AcceptedFrom,
    DateTimeOffset? AcceptedUntil,
    string? VisibleTo,
    bool NewestFirst,
    long After,
    int Limit,
    int Examine);

/// <summary>A page of a search, and where the next one continues (null when nothing is left to examine).</summary>
public sealed record MessageSearchPage(IReadOnlyList<TracedMessage> Messages, long? ContinueAfter);
