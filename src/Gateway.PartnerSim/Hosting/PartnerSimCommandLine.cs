using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Gateway.PartnerSim.Hosting;

/// <summary>Reads <c>--name value</c> (or <c>--name=value</c>) options; every mistake is told with what to do instead.</summary>
public static partial class PartnerSimCommandLine
{
    public const string Usage = """
        usage: Gateway.PartnerSim --agency COUNTRY/CODE [options]
          --agency COUNTRY/CODE      the agency this endpoint plays (required), e.g. RU/MVD
          --urls URL                 where to listen, loopback only (default http://127.0.0.1:5091; port 0 picks a free port)
          --data DIR                 folder of inbox.db and received.log (default data/partnersim-COUNTRY-CODE)
          --fail-percent N           answer N% of calls UNAVAILABLE, applying nothing (0-100, default 0)
          --delay-ms N               wait N ms before answering each call (default 0)
          --refuse-for-seconds N     answer every call UNAVAILABLE for the first N seconds after start-up (default 0)
        """;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out PartnerSimOptions? options, [NotNullWhen(false)] out string? error)
    {
        options = null;
        if (!TryReadPairs(args, out var values, out error))
        {
            return false;
        }

        if (!values.Remove("agency", out var agency) || !AgencyPattern().IsMatch(agency))
        {
            error = "--agency is required and must be COUNTRY/CODE in capitals, e.g. --agency RU/MVD.";
            return false;
        }

        var url = values.Remove("urls", out var urls) ? urls : PartnerSimOptions.DefaultUrl;
        if (!IsLoopbackHttp(url))
        {
            error = $"--urls '{url}' is not allowed: give one plaintext http:// address on loopback, e.g. http://127.0.0.1:5091 (port 0 picks a free port).";
            return false;
        }

        var data = values.Remove("data", out var folder) ? folder : PartnerSimOptions.DefaultDataDirectory(agency);
        if (!TryReadNumber(values, "fail-percent", 100, out var failPercent, out error)
            || !TryReadNumber(values, "delay-ms", int.MaxValue, out var delayMs, out error)
            || !TryReadNumber(values, "refuse-for-seconds", int.MaxValue, out var refuseSeconds, out error))
        {
            return false;
        }

        if (values.Count > 0)
        {
            error = $"Unknown option --{values.Keys.First()}.";
            return false;
        }

        options = new PartnerSimOptions
        {
            Agency = agency,
            Url = url,
            DataDirectory = Path.GetFullPath(data),
            FailPercent = failPercent,
            Delay = TimeSpan.FromMilliseconds(delayMs),
            RefuseFor = TimeSpan.FromSeconds(refuseSeconds),
        };
        return true;
    }

    private static bool TryReadPairs(string[] args, out Dictionary<string, string> values, [NotNullWhen(false)] out string? error)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
            {
                error = $"Unexpected argument '{args[i]}': options are written --name value.";
                return false;
            }

            var (name, value) = args[i].IndexOf('=', StringComparison.Ordinal) is var equals and > 0
                ? (args[i][2..equals], args[i][(equals + 1)..])
                : (args[i][2..], i + 1 < args.Length ? args[++i] : null);
            if (value is null)
            {
                error = $"--{name} needs a value.";
                return false;
            }

            if (!values.TryAdd(name, value))
            {
                error = $"--{name} is given twice.";
                return false;
            }
        }

        return true;
    }

    private static bool TryReadNumber(Dictionary<string, string> values, string name, int max, out int number, [NotNullWhen(false)] out string? error)
    {
        number = 0;
        error = null;
        if (!values.Remove(name, out var text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number <= max)
        {
            return true;
        }

        error = $"--{name} must be a whole number from 0 to {max}, not '{text}'.";
        return false;
    }

    private static bool IsLoopbackHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && uri.AbsolutePath == "/"
        && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
        && IPAddress.IsLoopback(address);

    [GeneratedRegex("^(?:[A-Z]{2}|INT)/[A-Z0-9-]{1,32}$")]
    private static partial Regex AgencyPattern();
}
