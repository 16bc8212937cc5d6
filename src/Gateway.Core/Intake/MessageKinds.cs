namespace Gateway.Core.Intake;

/// <summary>Facts about message kinds that intake and delivery share.</summary>
public static class MessageKinds
{
    /// <summary>
    /// Replies answer an earlier message and go to its parties: the sender leaves the recipients empty and the
    /// gateway routes them; route agreements were checked on the message they answer.
    /// </summary>
    public static bool IsReply(this MessageKind kind) =>
        kind is MessageKind.LocationReport or MessageKind.Withdrawal or MessageKind.HoldRelease or MessageKind.HoldCancellation;
}
