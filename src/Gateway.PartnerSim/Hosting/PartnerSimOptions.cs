using Interagency.V1;

namespace Gateway.PartnerSim.Hosting;

/// <summary>What the simulator plays and how badly it behaves; read once from the command line.</summary>
public sealed record PartnerSimOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5091";

    /// <summary>The agency this endpoint plays, as <c>COUNTRY/CODE</c>.</summary>
    public required string Agency { get; init; }

    /// <summary>The one address to listen on; loopback only, port 0 picks a free port.</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>Absolute folder of the inbox database and the received log.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Share of calls, 0 to 100, answered UNAVAILABLE without applying anything.</summary>
    public int FailPercent { get; init; }

    /// <summary>Time added before answering each call.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Every call is answered UNAVAILABLE for this long after start-up.</summary>
    public TimeSpan RefuseFor { get; init; }

    /// <summary>Payload kinds (as in the inbox, e.g. <c>referral</c>) the agency refuses: answered REFUSED, never applied.</summary>
    public IReadOnlySet<string> Refuse { get; init; } = new HashSet<string>();

    /// <summary>The reason given with each refusal.</summary>
    public EndpointRefusalReason RefuseReason { get; init; } = EndpointRefusalReason.NotCompetent;

    /// <summary>The explanation given with each refusal.</summary>
    public string RefuseText { get; init; } = DefaultRefuseText;

    /// <summary>Payload kinds the agency asks a question about: answered CLARIFICATION_REQUESTED, never applied.</summary>
    public IReadOnlySet<string> Clarify { get; init; } = new HashSet<string>();

    /// <summary>The question asked about each of them.</summary>
    public string Question { get; init; } = DefaultQuestion;

    /// <summary>Its server certificate and key (PEM files): it serves TLS when set, plaintext otherwise.</summary>
    public string? TlsCertificatePath { get; init; }

    public string? TlsKeyPath { get; init; }

    /// <summary>A CA certificate (PEM) callers' client certificates must chain to; when set, a client certificate is required.</summary>
    public string? ClientCaPath { get; init; }

    /// <summary>The gateway's client certificate (PEM): when set, it is the only client certificate accepted.</summary>
    public string? GatewayCertificatePath { get; init; }

    public const string DefaultRefuseText = "Refused by PartnerSim (--refuse).";

    public const string DefaultQuestion = "PartnerSim asks (--clarify): which unit of yours should we reply to?";

    public string InboxPath => Path.Combine(DataDirectory, "inbox.db");

    public string ReceivedLogPath => Path.Combine(DataDirectory, "received.log");

    /// <summary>The default data folder of an agency: <c>data/partnersim-RU-MVD</c> for <c>RU/MVD</c>.</summary>
    public static string DefaultDataDirectory(string agency) => Path.Combine("data", "partnersim-" + agency.Replace('/', '-'));
}
