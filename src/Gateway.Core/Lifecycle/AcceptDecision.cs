using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>What <see cref="IntakeLifecycle.Accept"/> decided: the change set that accepts a message, or a refusal.</summary>
public sealed class AcceptDecision
{
    private readonly string _messageId = string.Empty;
    private readonly IReadOnlyList<string> _recipients = [];
    private readonly MessageState _state;
    private readonly int _receiptAuditIndex;

    private AcceptDecision(IntakeRefusal refusal) => Refusal = refusal;

    private AcceptDecision(ChangeSet changes, string messageId, IReadOnlyList<string> recipients, MessageState state, int receiptAuditIndex)
    {
        Changes = changes;
        _messageId = messageId;
        _recipients = recipients;
        _state = state;
        _receiptAuditIndex = receiptAuditIndex;
    }

    /// <summary>Why the message cannot be accepted in the state read; null when <see cref="Changes"/> accepts it.</summary>
    public IntakeRefusal? Refusal { get; }

    public ChangeSet? Changes { get; }

    public static AcceptDecision Refused(IntakeRefusal refusal) => new(refusal);

    public static AcceptDecision Accepted(ChangeSet changes, string messageId, IReadOnlyList<string> recipients, MessageState state, int receiptAuditIndex) =>
        new(changes, messageId, recipients, state, receiptAuditIndex);

    /// <summary>The sender's receipt once <see cref="Changes"/> is applied: the transaction's time and the sequence of the entry that records the message.</summary>
    public AcceptanceReceipt ReceiptOf(ChangeOutcome outcome) =>
        outcome.Applied
            ? new AcceptanceReceipt(_messageId, _recipients, outcome.At, outcome.AuditSequences[_receiptAuditIndex], _state)
            : throw new InvalidOperationException("A change set that was not applied has no receipt.");
}
