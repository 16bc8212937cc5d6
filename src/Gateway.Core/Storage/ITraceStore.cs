namespace Gateway.Core.Storage;

/// <summary>
/// What the trace of messages reads: one message with its deliveries, and its timeline from the audit log. Reads only;
/// a consultation of content is audited through <see cref="IAuditLog"/> before the content is shown.
/// </summary>
public interface ITraceStore
{
    /// <summary>The message with its deliveries, in id order; null when no message has this id.</summary>
    Task<TracedMessage?> FindTracedMessageAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// The message, every audit entry about it in sequence order (refusals of its id included, even when it was never
    /// stored) and the messages that link to it, read at one moment; null when no message has this id and no refusal
    /// names it.
    /// </summary>
    Task<MessageTrace?> GetMessageTraceAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// The last audit sequence known to be on disk. A flow shows entries up to it only: an entry committed but not yet
    /// flushed could be taken back by a crash, and its sequence given to another.
    /// </summary>
    long DurableAuditSequence { get; }

    /// <summary>Completes once <see cref="DurableAuditSequence"/> is past <paramref name="sequence"/>.</summary>
    Task WaitForAuditAfterAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>
    /// The entries that name a message (stored or refused), with sequence after <paramref name="afterSequence"/> and at
    /// most <paramref name="untilSequence"/>, in order, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<FlowEntry>> ReadFlowAsync(long afterSequence, long untilSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Messages that match <paramref name="search"/>, with their deliveries, in its order, at most its limit; the page
    /// ends early, with where to continue, once it has examined <see cref="MessageSearch.Examine"/> messages.
    /// </summary>
    Task<MessageSearchPage> SearchMessagesAsync(MessageSearch search, CancellationToken cancellationToken);
}
