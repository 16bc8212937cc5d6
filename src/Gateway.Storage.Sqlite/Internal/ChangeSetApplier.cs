using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Applies a change set inside the writer's transaction: checks its preconditions, then writes its rows and appends its
/// audit entries, exactly as Core decided them. Every precondition is checked before the first write, so a change set
/// that fails one leaves nothing behind in the batch it shares with others.
/// </summary>
internal static class ChangeSetApplier
{
    public static ChangeOutcome Apply(WriterSession session, ChangeSet changes)
    {
        foreach (var precondition in changes.Preconditions)
        {
            if (!Holds(session, precondition))
            {
                return new ChangeOutcome(precondition, session.Now, []);
            }
        }

        foreach (var row in changes.Rows)
        {
            Write(session, row);
        }

        var sequences = new long[changes.Audit.Count];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = session.AppendAudit(changes.Audit[i]);
        }

        return new ChangeOutcome(null, session.Now, sequences);
    }

    private static bool Holds(WriterSession session, Precondition precondition) => precondition switch
    {
        // intake
        MessageIdFree free => !IntakeRows.MessageExists(session, free.MessageId),
        HoldOpen open => IntakeRows.HoldIn(session, open.ReferralMessageId, open.State),
        RequestNotWithdrawn request => IntakeRows.RequestNotWithdrawn(session, request.RequestMessageId),
        RequestNotAnswered request => IntakeRows.RequestNotAnswered(session, request.RequestMessageId),
        DeliveryUnchanged delivery => IntakeRows.DeliveryIs(session, delivery.DeliveryId, delivery.State, delivery.Attempts),
        _ => throw new NotSupportedException($"The SQLite store cannot check a {precondition.GetType().Name}."),
    };

    private static void Write(WriterSession session, RowChange row)
    {
        switch (row)
        {
            // intake
            case InsertMessage insert:
                IntakeRows.Insert(session, insert);
                break;
            case OpenHold hold:
                IntakeRows.Open(session, hold);
                break;
            case ResolveHold hold:
                IntakeRows.Resolve(session, hold);
                break;
            case WithdrawRequest request:
                IntakeRows.Withdraw(session, request);
                break;
            case AnswerRequest request:
                IntakeRows.Answer(session, request);
                break;
            case WithdrawDelivery delivery:
                IntakeRows.Withdraw(session, delivery);
                break;
            default:
                throw new NotSupportedException($"The SQLite store cannot write a {row.GetType().Name}.");
        }
    }
}
