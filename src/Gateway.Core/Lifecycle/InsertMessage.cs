using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// Stores a message as received, in <paramref name="State"/>, with one delivery per recipient in
/// <paramref name="DeliveryState"/>, in the order given.
/// </summary>
/// <param name="Message">The message as intake took it; <paramref name="State"/> and <paramref name="Recipients"/> are what the lifecycle decided, which for a reply or a withdrawal differ from what intake proposed.</param>
/// <param name="AuditIndex">The index, in the change set's audit entries, of the entry that records the message: its sequence is the message's (the receipt's).</param>
public sealed record InsertMessage(
    NewMessage Message, MessageState State, IReadOnlyList<string> Recipients, DeliveryState DeliveryState, int AuditIndex) : RowChange;
