namespace Gateway.Core.Intake;

/// <summary>A refused message: the code, a short machine-readable reason, a message for people and the fields at fault.</summary>
public sealed record IntakeRefusal(RefusalCode Code, string Reason, string Message, IReadOnlyList<FieldError> Violations)
{
    /// <summary>A limit of the calling agency (<c>Gateway:AgencyLimits</c>): audited once per window per agency and limit.</summary>
    public bool AgencyLimit { get; init; }

    public static IntakeRefusal Invalid(string reason, IReadOnlyList<FieldError> violations) =>
        new(RefusalCode.InvalidArgument, reason, "The message breaks the gateway's rules; see the field violations.", violations);
}
