using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Shared;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.Extensions.Configuration;

namespace Gateway.Bench.Identity;

/// <summary>
/// What mutual TLS costs intake (<c>--scenario tls</c>): SubmitReferral on two gateways configured alike but for
/// identity, one in development mode (h2c, the caller named by a header) and one in MutualTls mode (https, the caller
/// known by its client certificate), with the same receipt signing key and data key, in alternated windows of the same
/// run so that load from other processes on a shared machine falls on both. Connections are long-lived, as the intake
/// scenario's: the handshakes happen before the first window, and what is measured is TLS's cost per call.
/// </summary>
internal static class MutualTlsBench
{
    private const int Pairs = 3;
    private const int MaxChannels = 4;
    private const int GoalCallers = 64;
    private const double GoalMaxCostPercent = 15;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, int seconds, int[] concurrencies)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDir.FullName, "tls"));
        using var pki = TestPki.CreateAuthority("Liaison Bench Agency CA");
        string[] alike =
        [
            "--Gateway:Delivery:Enabled=false",
            $"--Gateway:Receipts:SigningKeyPath={WriteEcKey(Path.Combine(folder.FullName, "receipt-signing.key"))}",
            "--Gateway:Encryption:Keys:0:Id=bench-k1",
            $"--Gateway:Encryption:Keys:0:Value={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
            "--Gateway:Encryption:ActiveKey=bench-k1",
        ];
        var (identity, caller) = MutualTlsIdentity(pki, folder.FullName);

        await using var plain = await BenchGateway.StartAsync(Path.Combine(dataDir.FullName, "plain.db"), synchronous, alike);
        await using var tls = await BenchGateway.StartAsync(Path.Combine(dataDir.FullName, "tls.db"), synchronous, [.. alike, .. identity]);

        // What the handshakes agreed on, for the report: known by the time the server's certificate is checked.
        var negotiated = (Protocol: SslProtocols.None, CipherSuite: default(TlsCipherSuite));
        var clientTls = new SslClientAuthenticationOptions
        {
            ClientCertificates = [caller],
            RemoteCertificateValidationCallback = (sender, certificate, _, errors) =>
            {
                negotiated = (((SslStream)sender).SslProtocol, ((SslStream)sender).NegotiatedCipherSuite);
                return IssuedBy(pki.Authority, certificate, errors);
            },
        };
        var plainChannels = Enumerable.Range(0, MaxChannels).Select(_ => Program.OpenChannel(plain.Address)).ToArray();
        var tlsChannels = Enumerable.Range(0, MaxChannels).Select(_ => Program.OpenChannel(tls.Address, clientTls)).ToArray();
        try
        {
            // In MutualTls mode the certificate names the caller; the development header is not sent.
            var modes = new[] { (Channels: plainChannels, Headers: ReferralFactory.CallerHeaders), (Channels: tlsChannels, Headers: (Metadata?)null) }
                .Select(m => (Clients: m.Channels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray(), m.Headers))
                .ToArray();
            Func<int, CancellationToken, Task> Submit(int mode, int used) =>
                (i, ct) => modes[mode].Clients[i % used].SubmitReferralAsync(
                    ReferralFactory.Create(), new CallOptions(modes[mode].Headers, cancellationToken: ct)).ResponseAsync;

            if (await VerifyAsync(modes[0].Clients[0], modes[0].Headers, modes[1].Clients[0]) is { } failure)
            {
                Console.Error.WriteLine($"verification failed: {failure}");
                return 1;
            }

            var top = concurrencies.Max();
            var (warmUpTook, settled) = await JitWarmUp.RunAsync(top, [Submit(0, Math.Min(top, MaxChannels)), Submit(1, Math.Min(top, MaxChannels))]);
            PrintHeader(synchronous, seconds, negotiated, caller, warmUpTook, settled);

            var errors = 0L;
            var atGoal = double.NaN;
            foreach (var callers in concurrencies)
            {
                var used = Math.Min(callers, MaxChannels);
                var pairs = new List<Pair>();
                for (var pair = 0; pair < Pairs; pair++)
                {
                    var off = await LoadRunner.RunAsync(callers, WarmUp, TimeSpan.FromSeconds(seconds), Submit(0, used));
                    var on = await LoadRunner.RunAsync(callers, WarmUp, TimeSpan.FromSeconds(seconds), Submit(1, used));
                    pairs.Add(new Pair(off, on));
                    foreach (var measurement in new[] { off, on }.Where(m => m.Errors > 0))
                    {
                        errors += measurement.Errors;
                        Console.WriteLine($"errors at {callers} callers: {measurement.Errors}, first: {measurement.FirstError}");
                    }
                }

                var cost = PrintRows(callers, pairs);
                atGoal = callers == GoalCallers ? cost : atGoal;
            }

            Console.WriteLine();
            Console.WriteLine(double.IsNaN(atGoal)
                ? $"Goal: TLS costs under {GoalMaxCostPercent:0} % of plaintext calls/s at {GoalCallers} callers: not measured at {GoalCallers} callers"
                : string.Create(CultureInfo.InvariantCulture,
                    $"Goal: TLS costs under {GoalMaxCostPercent:0} % of plaintext calls/s at {GoalCallers} callers: median {atGoal:0.0} % -> {(atGoal < GoalMaxCostPercent ? "MET" : "NOT MET")}"));

            // As for intake: the goal is reported; the exit code says whether the run was sound.
            return errors > 0 ? 1 : 0;
        }
        finally
        {
            foreach (var channel in plainChannels.Concat(tlsChannels))
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>
    /// The MutualTls gateway's settings: its server certificate, the agency CA as the one trust anchor with an (empty)
    /// CRL, a registered client certificate for every agency of the sample directory, and an operator token key (the
    /// mode takes operators by token only); with the certificate the benchmark's sender calls with.
    /// </summary>
    private static (string[] Settings, X509Certificate2 Caller) MutualTlsIdentity(TestPki pki, string folder)
    {
        var anchor = Path.Combine(folder, "agency-ca.pem");
        var crl = Path.Combine(folder, "agency-ca.crl");
        var (serverCertificate, serverKey) = (Path.Combine(folder, "gateway.pem"), Path.Combine(folder, "gateway.key"));
        pki.WriteAuthority(anchor);
        pki.WriteCrl(crl);
        using (var server = pki.IssueServer("Liaison Bench Gateway"))
        {
            TestPki.Write(server, serverCertificate, serverKey);
        }

        var operatorKey = Path.Combine(folder, "operator-signing.pub.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(operatorKey, key.ExportSubjectPublicKeyInfoPem());
        }

        var settings = new List<string>
        {
            // Given after BenchGateway's http://127.0.0.1:0: of two command-line values of one key the later one holds.
            "--urls", "https://127.0.0.1:0",
            "--Gateway:Identity:Mode=MutualTls",
            $"--Gateway:Identity:ServerCertificate:CertificatePath={serverCertificate}",
            $"--Gateway:Identity:ServerCertificate:KeyPath={serverKey}",
            $"--Gateway:Identity:AgencyTrustAnchors:0={anchor}",
            $"--Gateway:Identity:RevocationLists:0={crl}",
            "--Gateway:Operators:Jwt:Issuer=https://sso.bench.invalid/realms/liaison",
            "--Gateway:Operators:Jwt:Audience=liaison-gateway",
            $"--Gateway:Operators:Jwt:SigningKeys:0={operatorKey}",
        };
        X509Certificate2? caller = null;
        Directory.CreateDirectory(Path.Combine(folder, "agencies"));
        foreach (var (agency, index) in DirectoryAgencies())
        {
            var certificate = pki.IssueClient(agency);
            var registered = Path.Combine(folder, "agencies", agency.Replace('/', '-') + ".client.pem");
            TestPki.Write(certificate, registered);
            settings.Add($"--Gateway:Directory:Agencies:{index}:ClientCertificate={registered}");
            if (agency == ReferralFactory.Sender)
            {
                caller = certificate;
            }
            else
            {
                certificate.Dispose();
            }
        }

        return ([.. settings], caller ?? throw new InvalidOperationException($"The sample directory has no agency {ReferralFactory.Sender}."));
    }

    /// <summary>The agencies of the directory the gateway starts with (its appsettings.json), by their index in it.</summary>
    private static IEnumerable<(string Agency, string Index)> DirectoryAgencies() =>
        new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build()
            .GetSection("Gateway:Directory:Agencies").GetChildren()
            .Select(a => (a["Id"]!, a.Key));

    private static string WriteEcKey(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    /// <summary>The server certificate chains to the bench CA and names the address called; nothing else is trusted.</summary>
    private static bool IssuedBy(X509Certificate2 authority, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// Checks once that both gateways accept the referral, the TLS one from the certificate's agency without the header,
    /// and sign receipts with the same key, so that the windows compare like with like and not fast refusals.
    /// </summary>
    private static async Task<string?> VerifyAsync(
        ReferralService.ReferralServiceClient plain, Metadata? plainHeaders, ReferralService.ReferralServiceClient tls)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var plainReceipt = (await plain.SubmitReferralAsync(ReferralFactory.Create(), new CallOptions(plainHeaders, cancellationToken: timeout.Token))).Receipt;
            var tlsReceipt = (await tls.SubmitReferralAsync(ReferralFactory.Create(), new CallOptions(cancellationToken: timeout.Token))).Receipt;
            foreach (var receipt in new[] { plainReceipt, tlsReceipt })
            {
                if (receipt is null || receipt.State != MessageState.Accepted || receipt.Signature.IsEmpty)
                {
                    return $"unexpected receipt {receipt}";
                }
            }

            return plainReceipt.SigningKeyId == tlsReceipt.SigningKeyId
                ? null
                : $"receipts signed with different keys ({plainReceipt.SigningKeyId}, {tlsReceipt.SigningKeyId})";
        }
        catch (RpcException error)
        {
            return $"{error.StatusCode}: {error.Status.Detail}";
        }
    }

    private static void PrintHeader(string synchronous, int seconds, (SslProtocols Protocol, TlsCipherSuite CipherSuite) negotiated, X509Certificate2 caller, TimeSpan warmUpTook, bool settled)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Mutual TLS's cost: SubmitReferral ({ReferralFactory.Sender} to CN/FJPSD) on two gateways alike but for identity; synchronous {synchronous}, "
            + $"{seconds} s windows after {WarmUp.TotalSeconds:0} s warm-up, {Pairs} alternated pairs per row, channels = min(callers, {MaxChannels}), opened once"));
        Console.WriteLine("  plain  development mode: HTTP/2 without TLS (h2c), the caller named by the x-liaison-agency header");
        Console.WriteLine($"  tls    MutualTls mode: HTTP/2 over {negotiated.Protocol}, {negotiated.CipherSuite}, ECDSA P-256 certificates; the caller is the agency of its client certificate ({caller.Subject})");
        Console.WriteLine("  CPU    this process's CPU time per call answered in the window: the callers' TLS as well as the gateway's, both in this process");
        Console.WriteLine("  cost   what TLS loses in calls/s or adds in CPU per call, in % of the plaintext window of its pair; median: each column's over the pairs");
        Console.WriteLine(settled
            ? $"  JIT warm-up {warmUpTook.TotalSeconds:0} s"
            : $"  JIT warm-up not settled after {warmUpTook.TotalSeconds:0} s; the first windows may measure the JIT as well");
        Console.WriteLine();
        Console.WriteLine("| callers |   pair | plain calls/s | tls calls/s | calls/s cost | plain p50 / p99 ms | tls p50 / p99 ms | plain CPU µs/call | tls CPU µs/call | CPU cost |");
        Console.WriteLine("| ------: | -----: | ------------: | ----------: | -----------: | -----------------: | ---------------: | ----------------: | --------------: | -------: |");
    }

    /// <summary>Prints a row per pair and their medians; returns the median throughput cost in percent.</summary>
    private static double PrintRows(int callers, IReadOnlyList<Pair> pairs)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            var (plain, tls) = (pairs[i].Plain, pairs[i].Tls);
            PrintRow(callers, (i + 1).ToString(CultureInfo.InvariantCulture),
                plain.CallsPerSecond, tls.CallsPerSecond, pairs[i].RateCost,
                (plain.PercentileMs(0.50), plain.PercentileMs(0.99)), (tls.PercentileMs(0.50), tls.PercentileMs(0.99)),
                plain.CpuMicrosPerCall, tls.CpuMicrosPerCall, pairs[i].CpuCost);
        }

        double Median(Func<Pair, double> figure) => MedianOf(pairs.Select(figure));
        var rateCost = Median(p => p.RateCost);
        PrintRow(callers, "median",
            Median(p => p.Plain.CallsPerSecond), Median(p => p.Tls.CallsPerSecond), rateCost,
            (Median(p => p.Plain.PercentileMs(0.50)), Median(p => p.Plain.PercentileMs(0.99))),
            (Median(p => p.Tls.PercentileMs(0.50)), Median(p => p.Tls.PercentileMs(0.99))),
            Median(p => p.Plain.CpuMicrosPerCall), Median(p => p.Tls.CpuMicrosPerCall), Median(p => p.CpuCost));
        return rateCost;
    }

    private static void PrintRow(
        int callers, string pair, double plainRate, double tlsRate, double rateCost, (double P50, double P99) plainMs, (double P50, double P99) tlsMs,
        double plainCpu, double tlsCpu, double cpuCost) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {callers,7} | {pair,6} | {plainRate,13:0} | {tlsRate,11:0} | {rateCost,10:+0.0;-0.0} % | {$"{plainMs.P50:0.00} / {plainMs.P99:0.00}",18} | {$"{tlsMs.P50:0.00} / {tlsMs.P99:0.00}",16} | {plainCpu,17:0} | {tlsCpu,15:0} | {cpuCost,6:+0.0;-0.0} % |"));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One plaintext window and the TLS window right after it.</summary>
    private sealed record Pair(Measurement Plain, Measurement Tls)
    {
        /// <summary>Calls/s TLS loses, in percent of the plaintext window's.</summary>
        public double RateCost => 100 * (Plain.CallsPerSecond - Tls.CallsPerSecond) / Plain.CallsPerSecond;

        /// <summary>CPU per call TLS adds, in percent of the plaintext window's.</summary>
        public double CpuCost => 100 * (Tls.CpuMicrosPerCall - Plain.CpuMicrosPerCall) / Plain.CpuMicrosPerCall;
    }
}
