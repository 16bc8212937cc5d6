using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>
/// One recipient's reply deadline on a request, and what has become of it: the facts Core decides an overdue event on.
/// The request's kind and payload give the header its notice to the sender is made from.
/// </summary>
public sealed record AwaitedReply(
    string MessageId, MessageKind Kind, byte[] Payload, string Sender, string Recipient, DateTimeOffset Due, bool Closed, bool Overdue)
{
    /// <summary>The trace context stored with the request: its overdue notice joins the request's trace.</summary>
    public string? TraceParent { get; init; }
}
