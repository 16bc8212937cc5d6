using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Grpc.Core;

namespace Gateway.Audit;

/// <summary>
/// A refusal as the step that refuses states it, for the <see cref="RefusalBoundary"/> to audit and answer: the gRPC
/// code, a short machine-readable reason, a message for people and the fields at fault (their paths and what is
/// expected, never their values). A refusal that ends its call travels on the call as an HTTP feature of this type.
/// </summary>
public sealed record CallRefusal(StatusCode Code, string Reason, string Message, IReadOnlyList<FieldError> Violations)
{
    /// <summary>The id of the message refused, as sent; the audit keeps it only when it is a well-formed UUID.</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// Set by the identity check, which refused the agency the call claims: its audit names no agency. A refusal that
    /// comes before that check keeps the claim, as <c>unauthenticated:AGENCY</c>, since nothing refuted it yet.
    /// </summary>
    public bool ClaimRefused { get; init; }

    /// <summary>
    /// Audited within the refusal budget even for an identified agency, with the agency as its source: a refusal a caller
    /// can repeat at no cost and with nothing stored (asking for messages it may not see).
    /// </summary>
    public bool Budgeted { get; init; }

    /// <summary>The client certificate identity refused, as far as it could be read, for the audit entry.</summary>
    public AuditCertificate? Certificate { get; init; }

    /// <summary>
    /// A limit of the calling agency (<c>Gateway:AgencyLimits</c>): the first hit of a window per agency and
    /// <see cref="Reason"/> is audited, the rest counted, so a flooding agency cannot flood the audit log too.
    /// </summary>
    public bool AgencyLimit { get; init; }

    /// <summary>When the caller may try again, sent as <c>google.rpc.RetryInfo</c>.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>The refusal of a step of intake, with the gRPC code its <see cref="RefusalCode"/> stands for.</summary>
    public static CallRefusal From(IntakeRefusal refusal, string? messageId = null) =>
        new(ToCode(refusal.Code), refusal.Reason, refusal.Message, refusal.Violations) { MessageId = messageId, AgencyLimit = refusal.AgencyLimit };

    private static StatusCode ToCode(RefusalCode code) => code switch
    {
        RefusalCode.InvalidArgument => StatusCode.InvalidArgument,
        RefusalCode.PermissionDenied => StatusCode.PermissionDenied,
        RefusalCode.NotFound => StatusCode.NotFound,
        RefusalCode.AlreadyExists => StatusCode.AlreadyExists,
        RefusalCode.Unauthenticated => StatusCode.Unauthenticated,
        RefusalCode.FailedPrecondition => StatusCode.FailedPrecondition,
        RefusalCode.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
