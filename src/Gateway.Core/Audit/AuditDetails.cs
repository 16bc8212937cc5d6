using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Audit;

/// <summary>
/// The typed details of an audit entry. Stored, and hashed by the chain, as the compact JSON this type writes (format
/// version <see cref="CurrentVersion"/>, fields in declaration order, absent fields left out); docs/audit-format.md lists
/// which fields each kind of entry carries. Codes, ids, agencies and times only: never content or personal data. The one
/// free text, an operator's <see cref="Justification"/>, is a <see cref="SealedText"/> that the store seals under the
/// entry's sequence before the entry is hashed (<see cref="SealJustification"/>).
/// </summary>
public sealed record AuditDetails
{
    /// <summary>2: <see cref="Justification"/> may be sealed (an object); in version 1 it is always a string.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The format version; 0 for an entry written before details were typed (its text is in <see cref="Legacy"/>).</summary>
    public int V { get; init; } = CurrentVersion;

    /// <summary>The gRPC method of the call the entry is about.</summary>
    public string? Rpc { get; init; }

    /// <summary>The gRPC status code's name a refused call was answered with, e.g. InvalidArgument.</summary>
    public string? Code { get; init; }

    /// <summary>The machine-readable reason of a refusal, e.g. route_not_agreed.</summary>
    public string? Reason { get; init; }

    /// <summary>The paths of the fields at fault, never their values.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>What an operator call was about (a filter, delivery ids).</summary>
    public string? Scope { get; init; }

    public MessageKind? Kind { get; init; }

    public string? Case { get; init; }

    public IReadOnlyList<string>? Recipients { get; init; }

    public MessageState? State { get; init; }

    /// <summary>The state the deliveries created with a message start in.</summary>
    public DeliveryState? Deliveries { get; init; }

    public string? HoldReleaseParty { get; init; }

    /// <summary>The message whose acceptance caused this entry (a reply, a withdrawal, a hold's release).</summary>
    public string? By { get; init; }

    public long? Delivery { get; init; }

    public string? Recipient { get; init; }

    public long? Attempt { get; init; }

    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The error of a failed attempt, as the dispatcher classified it (no content).</summary>
    public string? Error { get; init; }

    public string? Sender { get; init; }

    public DateTimeOffset? ReplyBy { get; init; }

    /// <summary>The call through which an operator was shown a message's content.</summary>
    public string? Via { get; init; }

    /// <summary>The reason an operator or agency gave for a replay, a review decision or reading content; sealed when stored with data keys.</summary>
    public SealedText? Justification { get; init; }

    /// <summary>Where suppressed refusals came from: a remote address, or "other".</summary>
    public string? Source { get; init; }

    public DateTimeOffset? WindowStart { get; init; }

    public DateTimeOffset? WindowEnd { get; init; }

    public long? Count { get; init; }

    /// <summary>The text of an entry written before details were typed.</summary>
    public string? Legacy { get; init; }

    /// <summary>The SHA-256 of a directory snapshot's canonical form (<c>DirectoryCanonicalForm</c>), lower-case hex.</summary>
    public string? ContentHash { get; init; }

    /// <summary>Agency ids a directory snapshot added against the one it replaced (all of them at start-up).</summary>
    public IReadOnlyList<string>? AgenciesAdded { get; init; }

    public IReadOnlyList<string>? AgenciesRemoved { get; init; }

    /// <summary>Agency ids kept by a directory snapshot with other content (name, kind, endpoint, kinds).</summary>
    public IReadOnlyList<string>? AgenciesChanged { get; init; }

    /// <summary>Route agreement ids a directory snapshot added (all of them at start-up).</summary>
    public IReadOnlyList<string>? RoutesAdded { get; init; }

    public IReadOnlyList<string>? RoutesRemoved { get; init; }

    public IReadOnlyList<string>? RoutesChanged { get; init; }

    /// <summary>The message a notice, or a recipient's answer to a delivery, is about.</summary>
    public string? About { get; init; }

    /// <summary>Where an accepted message was routed and why: one per recipient, in the order of <see cref="Recipients"/>.</summary>
    public IReadOnlyList<AuditRoute>? Routes { get; init; }

    /// <summary>How long the endpoint call that carried a delivery attempt took, in microseconds, as the dispatcher measured it.</summary>
    public long? DurationUs { get; init; }

    /// <summary>The client certificate a call was refused for (mutual TLS), as far as it could be read.</summary>
    public AuditCertificate? Certificate { get; init; }

    // Free text (an operator's justification, in clear without data keys) may be in any script: it is stored as written,
    // not as \u escapes, and so is the '+' of a time's offset. The JSON is never embedded in HTML, which is what the
    // stricter default guards.
    private static readonly AuditDetailsJson Json = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    });

    /// <summary>
    /// The details as a store with data keys writes them: the justification sealed under the active key and bound to the
    /// entry's sequence and the field, so that it opens in no other entry and the chain hashes the sealed bytes.
    /// </summary>
    public AuditDetails SealJustification(DataKeyRing keys, long sequence) =>
        Justification is { IsSealed: false } justification ? this with { Justification = justification.Seal(keys, JustificationData(sequence)) } : this;

    /// <summary>The details with the justification opened, or shown as a marker when it cannot be (<see cref="SealedText.Open"/>).</summary>
    public AuditDetails OpenJustification(DataKeyRing keys, long sequence) =>
        Justification is { IsSealed: true } justification ? this with { Justification = justification.Open(keys, JustificationData(sequence)) } : this;

    /// <summary>The stored form, which the audit chain hashes.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, Json.AuditDetails);

    /// <summary>Two details are equal when their stored forms are.</summary>
    public bool Equals(AuditDetails? other) => other is not null && Serialize() == other.Serialize();

    public override int GetHashCode() => Serialize().GetHashCode(StringComparison.Ordinal);

    /// <summary>Reads a stored form back; text that is not JSON (a store older than typed details) comes back as <see cref="Legacy"/>.</summary>
    public static AuditDetails Parse(string stored) =>
        stored.StartsWith('{')
            ? JsonSerializer.Deserialize(stored, Json.AuditDetails) ?? throw new FormatException("Audit details are null.")
            : new AuditDetails { V = 0, Legacy = stored };

    private static byte[] JustificationData(long sequence) =>
        Encoding.UTF8.GetBytes("audit.justification\n" + sequence.ToString(CultureInfo.InvariantCulture));
}

[JsonSerializable(typeof(AuditDetails))]
[JsonSerializable(typeof(AuditRoute))]
[JsonSerializable(typeof(AuditCertificate))]
internal sealed partial class AuditDetailsJson : JsonSerializerContext;
