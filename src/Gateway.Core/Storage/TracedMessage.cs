namespace Gateway.Core.Storage;

/// <summary>A stored message with what its trace shows of it: its place in the store, what it links to, its deliveries.</summary>
/// <param name="Position">The message's row, which grows with every message stored.</param>
/// <param name="LinksTo">The message it answers, withdraws, releases or cancels the hold of; null when it links to none.</param>
/// <param name="Deliveries">Its deliveries in id order.</param>
public sealed record TracedMessage(long Position, StoredMessage Message, string? LinksTo, IReadOnlyList<DeliveryTraceRecord> Deliveries)
{
    /// <summary>Every agency the message was addressed to: its deliveries' recipients, replayed or not, in id order.</summary>
    public IEnumerable<string> Recipients => Deliveries.Select(d => d.Delivery.Recipient);
}
