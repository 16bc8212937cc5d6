using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Interagency.V1;

namespace Gateway.PartnerSim.Hosting;

/// <summary>Reads <c>--name value</c> (or <c>--name=value</c>) options; every mistake is told with what to do instead.</summary>
public static partial class PartnerSimCommandLine
{
    public const string Usage = """
        usage: Gateway.PartnerSim --agency COUNTRY/CODE [options]
          --agency COUNTRY/CODE      the agency this endpoint plays (required), e.g. RU/MVD
          --urls URL                 where to listen, loopback only (default http://127.0.0.1:5091; port 0 picks a free port);
                                     https:// with --tls-cert
          --tls-cert FILE            serve TLS with this server certificate (PEM); needs --tls-key
          --tls-key FILE             the server certificate's private key (PEM)
          --client-ca FILE           require a client certificate chaining to this CA certificate (PEM); needs --tls-cert
          --gateway-certificate FILE accept only this client certificate (PEM), the gateway's; needs --client-ca
          --data DIR                 folder of inbox.db and received.log (default data/partnersim-COUNTRY-CODE)
          --fail-percent N           answer N% of calls UNAVAILABLE, applying nothing (0-100, default 0)
          --delay-ms N               wait N ms before answering each call (default 0)
          --refuse-for-seconds N     answer every call UNAVAILABLE for the first N seconds after start-up (default 0)
          --refuse KINDS             refuse deliveries of these payload kinds (comma-separated, e.g. referral,location_request)
          --refuse-reason REASON     reason given with a refusal: not_competent, legal_grounds, malformed or other (default not_competent)
          --refuse-text TEXT         explanation given with a refusal (default: says it is PartnerSim's)
          --clarify KINDS            ask the sender a question about deliveries of these payload kinds instead of applying them
          --question TEXT            the question asked (default: which unit to reply to)
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

        if (!TryReadTls(values, out var tls, out error))
        {
            return false;
        }

        var scheme = tls.Certificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        var url = values.Remove("urls", out var urls) ? urls : PartnerSimOptions.DefaultUrl.Replace("http:", scheme + ":", StringComparison.Ordinal);
        if (!IsLoopback(url, scheme))
        {
            error = tls.Certificate is null
                ? $"--urls '{url}' is not allowed: give one plaintext http:// address on loopback, e.g. http://127.0.0.1:5091 (port 0 picks a free port), or https:// with --tls-cert and --tls-key."
                : $"--urls '{url}' is not allowed with --tls-cert: give one https:// address on loopback, e.g. https://127.0.0.1:5091 (port 0 picks a free port).";
            return false;
        }

        var data = values.Remove("data", out var folder) ? folder : PartnerSimOptions.DefaultDataDirectory(agency);
        if (!TryReadNumber(values, "fail-percent", 100, out var failPercent, out error)
            || !TryReadNumber(values, "delay-ms", int.MaxValue, out var delayMs, out error)
            || !TryReadNumber(values, "refuse-for-seconds", int.MaxValue, out var refuseSeconds, out error))
        {
            return false;
        }

        if (!TryReadKinds(values, "refuse", out var refuse, out error)
            || !TryReadKinds(values, "clarify", out var clarify, out error)
            || !TryReadReason(values, out var reason, out error)
            || !TryReadText(values, "refuse-text", PartnerSimOptions.DefaultRefuseText, out var refuseText, out error)
            || !TryReadText(values, "question", PartnerSimOptions.DefaultQuestion, out var question, out error))
        {
            return false;
        }

        if (refuse.Overlaps(clarify))
        {
            error = $"--refuse and --clarify both name {refuse.Intersect(clarify).First()}: a delivery gets one answer, so name each kind once.";
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
            Refuse = refuse,
            RefuseReason = reason,
            RefuseText = refuseText,
            Clarify = clarify,
            Question = question,
            TlsCertificatePath = tls.Certificate,
            TlsKeyPath = tls.Key,
            ClientCaPath = tls.ClientCa,
            GatewayCertificatePath = tls.Gateway,
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

    /// <summary>
    /// Payload kinds by their field name in DeliverRequest (<c>location_request</c>); the message name
    /// (<c>LocationRequest</c>) is taken too.
    /// </summary>
    private static bool TryReadKinds(Dictionary<string, string> values, string name, out HashSet<string> kinds, [NotNullWhen(false)] out string? error)
    {
        kinds = new HashSet<string>(StringComparer.Ordinal);
        error = null;
        if (!values.Remove(name, out var text))
        {
            return true;
        }

        var known = DeliverRequest.Descriptor.Oneofs.Single().Fields.Select(f => f.Name).ToArray();
        foreach (var kind in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var field = known.FirstOrDefault(k => string.Equals(k.Replace("_", "", StringComparison.Ordinal), kind.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                error = $"--{name} takes payload kinds separated by commas, each one of {string.Join(", ", known)}.";
                return false;
            }

            kinds.Add(field);
        }

        return true;
    }

    private static bool TryReadReason(Dictionary<string, string> values, out EndpointRefusalReason reason, [NotNullWhen(false)] out string? error)
    {
        reason = EndpointRefusalReason.NotCompetent;
        error = null;
        if (!values.Remove("refuse-reason", out var text))
        {
            return true;
        }

        var reasons = EndpointRefusal.Descriptor.FindFieldByNumber(EndpointRefusal.ReasonFieldNumber).EnumType.Values.Where(v => v.Number != 0).ToArray();
        var match = reasons.FirstOrDefault(v => string.Equals(
            v.Name["ENDPOINT_REFUSAL_REASON_".Length..].Replace("_", "", StringComparison.Ordinal),
            text.Replace("_", "", StringComparison.Ordinal),
            StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            error = "--refuse-reason must be one of not_competent, legal_grounds, malformed, other.";
            return false;
        }

        reason = (EndpointRefusalReason)match.Number;
        return true;
    }

    /// <summary>Free text sent to the gateway, within the contract's 2,000 characters.</summary>
    private static bool TryReadText(Dictionary<string, string> values, string name, string fallback, out string text, [NotNullWhen(false)] out string? error)
    {
        error = null;
        text = values.Remove(name, out var given) ? given : fallback;
        if (text.Length is > 0 and <= 2000)
        {
            return true;
        }

        error = $"--{name} must be 1 to 2000 characters.";
        return false;
    }

    /// <summary>The TLS files, absolute; each needs the one before it (a key needs a certificate, a pin needs a CA).</summary>
    private static bool TryReadTls(
        Dictionary<string, string> values, out (string? Certificate, string? Key, string? ClientCa, string? Gateway) tls, [NotNullWhen(false)] out string? error)
    {
        string? Read(string name) => values.Remove(name, out var path) ? Path.GetFullPath(path) : null;
        tls = (Read("tls-cert"), Read("tls-key"), Read("client-ca"), Read("gateway-certificate"));
        error = (tls.Certificate is null) != (tls.Key is null) ? "--tls-cert and --tls-key go together: give both PEM files, or neither for plaintext."
            : tls.ClientCa is not null && tls.Certificate is null ? "--client-ca needs --tls-cert and --tls-key: client certificates are asked for over TLS only."
            : tls.Gateway is not null && tls.ClientCa is null ? "--gateway-certificate needs --client-ca, the CA the gateway's certificate chains to."
            : new[] { tls.Certificate, tls.Key, tls.ClientCa, tls.Gateway }.FirstOrDefault(p => p is not null && !File.Exists(p)) is { } missing
                ? $"The file {missing} does not exist."
                : null;
        return error is null;
    }

    private static bool IsLoopback(string url, string scheme) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == scheme
        && uri.AbsolutePath == "/"
        && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
        && IPAddress.IsLoopback(address);

    [GeneratedRegex("^(?:[A-Z]{2}|INT)/[A-Z0-9-]{1,32}$")]
    private static partial Regex AgencyPattern();
}
