using Gateway.Core.Intake;

namespace Gateway.Core.Limits;

/// <summary>The limits in force for one agency: its override laid over the defaults.</summary>
public sealed record AgencyLimit(
    int PermitsPerSecond, int Burst, int MaxConcurrentStreams, int MaxRecipients, IReadOnlyDictionary<MessageKind, int> MaxMessageBytes)
{
    /// <summary>The largest message of <paramref name="kind"/> the agency may send, or null when only the transport cap applies.</summary>
    public int? MaxBytes(MessageKind kind) => MaxMessageBytes.TryGetValue(kind, out var bytes) ? bytes : null;
}
