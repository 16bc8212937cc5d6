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

    public string InboxPath => Path.Combine(DataDirectory, "inbox.db");

    public string ReceivedLogPath => Path.Combine(DataDirectory, "received.log");

    /// <summary>The default data folder of an agency: <c>data/partnersim-RU-MVD</c> for <c>RU/MVD</c>.</summary>
    public static string DefaultDataDirectory(string agency) => Path.Combine("data", "partnersim-" + agency.Replace('/', '-'));
}
