namespace Gateway.Core.Intake;

/// <summary>Facts about message kinds that intake and delivery share.</summary>
public static class MessageKinds
{
    /// <summary>
    /// Replies answer an earlier message and go to its parties: the sender leaves the recipients empty and the
    /// gateway routes them; route agreements were checked on the message they answer.
    /// </summary>
    public static bool IsReply(this MessageKind kind) =>
        kind is MessageKind.LocationReport or MessageKind.Withdrawal or MessageKind.HoldRelease or MessageKind.HoldCancellation
            or MessageKind.ReferralAnswer or MessageKind.ClarificationAnswer;

    /// <summary>
    /// Messages whose recipients the gateway decides, the sender leaving them empty: replies (to the parties of the
    /// message they answer) and case updates (to every party of the case).
    /// </summary>
    public static bool IsRoutedByGateway(this MessageKind kind) => kind.IsReply() || kind == MessageKind.CaseUpdate;
}
