using Gateway.Core.Audit;
using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>One audit entry about a message, as the flow of events reads it, with what filters and access need of the message.</summary>
/// <param name="Message">The message the entry names; null for a refusal of an id never stored.</param>
public sealed record FlowEntry(AuditRecord Entry, FlowMessage? Message);

/// <summary>A message as a flow event names it: no content, its case, who sent it and every recipient of its deliveries.</summary>
public sealed record FlowMessage(MessageKind Kind, string CaseReference, string Sender, IReadOnlyList<string> Recipients);
