using Interagency.V1;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A message that passed intake, ready to be committed with its deliveries and audit records.</summary>
/// <param name="ContentHash">SHA-256 of kind and payload: what makes a replay "the same message".</param>
/// <param name="Payload">The request as received, in protobuf encoding.</param>
/// <param name="Recipients">Resolved recipients; a withdrawal's are decided from its request's deliveries (see <see cref="Lifecycle.IntakeLifecycle"/>).</param>
public sealed record NewMessage(
    string MessageId,
    MessageKind Kind,
    string CaseReference,
    AgencyId Sender,
    IReadOnlyList<AgencyId> Recipients,
    byte[] ContentHash,
    byte[] Payload,
    DateTimeOffset CreatedAt,
    MessageState State,
    DeliveryState InitialDeliveryState)
{
    /// <summary>
    /// For a request that awaits a reply from each recipient: when it is due (<see cref="Deadlines.ReplyDeadlines"/>).
    /// Each recipient's deadline is stored with its delivery; passing it unanswered raises an overdue event for it.
    /// </summary>
    public DateTimeOffset? ReplyDue { get; init; }

    /// <summary>For a referral with a coordination hold: the only agency that may release it.</summary>
    public AgencyId? HoldReleaseParty { get; init; }

    /// <summary>For a reply-type message: the message it answers and how it acts on it.</summary>
    public MessageLink? Link { get; init; }

    /// <summary>The agency that opened the message's case; with the reference, it names the case.</summary>
    public AgencyId? CaseOwner { get; init; }

    /// <summary>Agencies the message makes parties of its case: those not yet parties among its sender and recipients.</summary>
    public IReadOnlyList<AgencyId> JoiningParties { get; init; } = [];

    /// <summary>
    /// A recipient sent a copy for information (the sending country's single point of contact): it gets the message but
    /// owes no reply, so it has no reply deadline.
    /// </summary>
    public AgencyId? CopiedTo { get; init; }

    /// <summary>
    /// Why each recipient was chosen, as intake and the router decided it; empty for a message that goes by its
    /// <see cref="Link"/>, whose every recipient is a party of the message it links to.
    /// </summary>
    public IReadOnlyList<Audit.AuditRoute> Routes { get; init; } = [];

    /// <summary>
    /// The W3C <c>traceparent</c> of the call that brought the message in (a notice: of the message it is about), stored
    /// with it so that every delivery attempt, after a restart too, continues that trace; null when the call had none.
    /// </summary>
    public string? TraceParent { get; init; }
}
