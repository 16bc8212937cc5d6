using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Core.Trace;

/// <summary>
/// The one rule of what a trace shows whom: an operator sees every message; an agency only the messages it sent or that
/// were addressed to it (a recipient of one of its deliveries), and in their timelines not the calls other agencies were
/// refused about them (who probed a message is the operators' business, not its parties'). Every trace call, search and
/// flow asks here, so a new identity source changes who the viewer is, never what it sees.
/// </summary>
public static class TraceVisibility
{
    public static bool MaySee(TraceViewer viewer, string sender, IEnumerable<string> recipients) =>
        viewer.IsOperator || sender == viewer.Agency || recipients.Contains(viewer.Agency);

    public static bool MaySee(TraceViewer viewer, TracedMessage message) =>
        MaySee(viewer, message.Message.Sender, message.Recipients);

    /// <summary>
    /// Whether the viewer may see a trace: its message's, or for an id refused and never stored, the refused caller's
    /// (and the operators').
    /// </summary>
    public static bool MaySee(TraceViewer viewer, MessageTrace trace, string tracePathPrefix) =>
        trace.Message is { } message
            ? MaySee(viewer, message)
            : trace.Events.Any(e => IsRefusalOfMessage(e, tracePathPrefix) && MaySeeUnstored(viewer, e));

    /// <summary>Whether the viewer may see an entry about a message id that names no stored message: a refusal of its caller's.</summary>
    public static bool MaySeeUnstored(TraceViewer viewer, AuditRecord entry) => viewer.IsOperator || entry.Actor == viewer.Actor;

    /// <summary>Whether an entry of a timeline the viewer may see is shown to it.</summary>
    public static bool Shows(TraceViewer viewer, AuditRecord entry) =>
        viewer.IsOperator || entry.Kind != AuditKinds.IntakeRefused || entry.Actor == viewer.Actor;

    /// <summary>
    /// Whether a refusal of a message id is a refusal of the message itself (its intake), not of a call that asked about
    /// it (a trace, a content request): only the former makes a timeline of a message never stored.
    /// </summary>
    public static bool IsRefusalOfMessage(AuditRecord entry, string tracePathPrefix) =>
        entry.Kind == AuditKinds.IntakeRefused && !(entry.Details.Rpc ?? string.Empty).StartsWith(tracePathPrefix, StringComparison.Ordinal);
}
