using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>The timeline of one message as the store holds it.</summary>
/// <param name="Message">The message; null when it was refused and never stored.</param>
/// <param name="Events">Every audit entry about it, in sequence order.</param>
/// <param name="LinkedFrom">Messages that link to it (replies, withdrawals, releases) and notices about it, in order of acceptance.</param>
public sealed record MessageTrace(TracedMessage? Message, IReadOnlyList<AuditRecord> Events, IReadOnlyList<string> LinkedFrom);
