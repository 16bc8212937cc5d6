using Gateway.Core.Storage;
using Gateway.Storage.Postgres.Internal;

namespace Gateway.Storage.Postgres;

/// <summary>The trace of messages: a message with its deliveries, its timeline, the flow of audit entries, searches.</summary>
public sealed partial class PostgresMessageStore : ITraceStore
{
    public Task<TracedMessage?> FindTracedMessageAsync(string messageId, CancellationToken cancellationToken) =>
        Guarded(() => _trace.FindTracedMessageAsync(messageId, cancellationToken));

    public Task<MessageTrace?> GetMessageTraceAsync(string messageId, CancellationToken cancellationToken) =>
        Guarded(() => _trace.GetMessageTraceAsync(messageId, cancellationToken));

    /// <summary>
    /// The committed head of the audit chain, whichever instance committed it: with <c>synchronous_commit = on</c> a
    /// committed entry is on disk, and no crash gives its sequence to another.
    /// </summary>
    public long DurableAuditSequence => _auditHead.Head;

    public Task WaitForAuditAfterAsync(long sequence, CancellationToken cancellationToken) => _auditHead.WaitAfterAsync(sequence, cancellationToken);

    public Task<IReadOnlyList<FlowEntry>> ReadFlowAsync(long afterSequence, long untilSequence, int limit, CancellationToken cancellationToken) =>
        Guarded(() => _trace.ReadFlowAsync(afterSequence, untilSequence, limit, cancellationToken));

    public Task<MessageSearchPage> SearchMessagesAsync(MessageSearch search, CancellationToken cancellationToken) =>
        Guarded(() => _trace.SearchMessagesAsync(search, cancellationToken));
}
