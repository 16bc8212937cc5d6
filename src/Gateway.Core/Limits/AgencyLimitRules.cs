using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Core.Limits;

/// <summary>
/// The rules of per-agency limits as plain functions: which settings are valid, and whether a message keeps within its
/// agency's recipients and size. Refusals name the field and the limit, never a value the caller sent.
/// </summary>
public static class AgencyLimitRules
{
    public const string RecipientsExceeded = "agency_recipients_exceeded";

    public const string MessageTooLarge = "agency_message_too_large";

    /// <summary>The kind a <c>MaxMessageBytes</c> key names: a kind an agency submits (not Notice, which the gateway makes).</summary>
    public static MessageKind? ParseKind(string name) =>
        Enum.TryParse<MessageKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && kind != MessageKind.Notice
            && !int.TryParse(name, out _)
            ? kind
            : null;

    /// <summary>
    /// What is wrong with <paramref name="options"/>, one line per setting. An override for an agency the directory does
    /// not know is an error rather than a warning: it is most likely a typo, and the agency it meant would run on the
    /// defaults without anyone noticing.
    /// </summary>
    public static List<string> Validate(AgencyLimitsOptions options, Func<AgencyId, bool> isKnownAgency)
    {
        var failures = new List<string>();
        Check(failures, $"{AgencyLimitsOptions.Section}:Default", options.Default);
        foreach (var (id, settings) in options.Agencies)
        {
            var path = $"{AgencyLimitsOptions.Section}:Agencies:{id}";
            if (!AgencyId.TryParse(id, out var agency))
            {
                failures.Add($"{path} must be keyed by an agency id of the form COUNTRY/CODE, e.g. RU/MVD.");
            }
            else if (!isKnownAgency(agency))
            {
                failures.Add($"{path} names no agency of the directory; remove it or fix the id.");
            }

            Check(failures, path, settings);
        }

        return failures;
    }

    /// <summary>The refusal of a message that names more recipients than its agency may, or null.</summary>
    public static IntakeRefusal? CheckRecipients(AgencyLimit limit, int recipients) =>
        recipients <= limit.MaxRecipients
            ? null
            : new IntakeRefusal(
                RefusalCode.InvalidArgument,
                RecipientsExceeded,
                "The message names more recipients than the calling agency may; split it into several messages.",
                [new FieldError("header.recipients", $"must list at most {limit.MaxRecipients} recipients for the calling agency")])
            {
                AgencyLimit = true,
            };

    /// <summary>
    /// The refusal of a message larger than its agency may send, or null. RESOURCE_EXHAUSTED, as gRPC answers a message
    /// over the transport cap: a client tells a message too large by one code, whichever cap it met.
    /// </summary>
    public static IntakeRefusal? CheckSize(AgencyLimit limit, MessageKind kind, int bytes) =>
        limit.MaxBytes(kind) is not { } max || bytes <= max
            ? null
            : new IntakeRefusal(
                RefusalCode.ResourceExhausted,
                MessageTooLarge,
                "The message is larger than the calling agency may send for this kind; send the large content in smaller messages.",
                [new FieldError("(message)", $"must take at most {max} bytes for a {kind} of the calling agency")])
            {
                AgencyLimit = true,
            };

    private static void Check(List<string> failures, string path, AgencyLimitSettings settings)
    {
        Positive(failures, path, nameof(settings.PermitsPerSecond), settings.PermitsPerSecond);
        Positive(failures, path, nameof(settings.Burst), settings.Burst);
        Positive(failures, path, nameof(settings.MaxConcurrentStreams), settings.MaxConcurrentStreams);
        Positive(failures, path, nameof(settings.MaxRecipients), settings.MaxRecipients);
        foreach (var (kind, bytes) in settings.MaxMessageBytes)
        {
            if (ParseKind(kind) is null)
            {
                failures.Add($"{path}:MaxMessageBytes:{kind} is not a message kind an agency sends (Referral, LocationRequest, LocationReport, Withdrawal, CaseUpdate, HoldRelease, HoldCancellation, ReferralAnswer, ClarificationAnswer).");
            }

            Positive(failures, path, $"MaxMessageBytes:{kind}", bytes);
        }
    }

    private static void Positive(List<string> failures, string path, string name, int? value)
    {
        if (value is <= 0)
        {
            failures.Add($"{path}:{name} must be a positive number.");
        }
    }
}
