using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Agencies;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Cli.Certs;

/// <summary>gatewayctl certs init: the test PKI it makes, and the production.json that uses it in the shape the gateway binds.</summary>
public sealed class CertsInitTests
{
    private static readonly string[] SampleAgencies = [.. SampleDirectory.CreateOptions().Agencies.Select(a => a.Id)];

    // Owner-only is a Unix file mode; on Windows a file's access is its folder's ACL.
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task It_writes_every_file_with_private_keys_readable_by_their_owner_only()
    {
        using var folder = await CertsFolder.InitAsync();

        string[] keys = ["agency-ca.key", "gateway.key", "gateway-client.key", "operator-signing.key.pem", "data-k1.key", "receipt-signing.key"];
        string[] rest = ["agency-ca.pem", "agency-ca.crl", "gateway.pem", "gateway-client.pem", "operator-signing.pub.pem", "receipt-signing.pub.pem", "production.json"];
        var agencyKeys = SampleAgencies.SelectMany(id => new[] { $"agencies/{FileName(id)}.client.key", $"agencies/{FileName(id)}.endpoint.key" }).ToArray();
        var agencyCertificates = SampleAgencies.SelectMany(id => new[] { $"agencies/{FileName(id)}.client.pem", $"agencies/{FileName(id)}.endpoint.pem" });
        var expected = keys.Concat(agencyKeys).Concat(rest).Concat(agencyCertificates).Select(folder.In).Order().ToArray();

        Assert.Equal(expected, Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Order());
        Assert.All(keys.Concat(agencyKeys), key => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.In(key))));
    }

    [Fact]
    public async Task The_certificates_chain_to_its_ca_with_the_usage_and_names_each_needs_and_their_keys_load()
    {
        using var folder = await CertsFolder.InitAsync();
        using var authority = X509Certificate2.CreateFromPemFile(folder.In("agency-ca.pem"), folder.In("agency-ca.key"));

        Assert.True(authority.HasPrivateKey);
        Assert.True(authority.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        AssertIssued(folder, authority, "gateway", "liaison-gateway", TestPki.ServerAuth, loopbackNames: true);
        AssertIssued(folder, authority, "gateway-client", "liaison-gateway", TestPki.ClientAuth, loopbackNames: false);
        foreach (var agency in SampleAgencies)
        {
            AssertIssued(folder, authority, $"agencies/{FileName(agency)}.client", agency, TestPki.ClientAuth, loopbackNames: false);
            AssertIssued(folder, authority, $"agencies/{FileName(agency)}.endpoint", $"{agency} endpoint", TestPki.ServerAuth, loopbackNames: true);
        }
    }

    [Fact]
    public async Task Its_crl_is_empty_and_its_token_data_and_receipt_keys_are_what_the_gateway_reads()
    {
        using var folder = await CertsFolder.InitAsync();

        var crl = PemEncoding.Find(File.ReadAllText(folder.In("agency-ca.crl")));
        var crlText = File.ReadAllText(folder.In("agency-ca.crl"));
        Assert.Equal("X509 CRL", crlText[crl.Label]);
        CertificateRevocationListBuilder.Load(Convert.FromBase64String(crlText[crl.Base64Data]), out var crlNumber);
        Assert.Equal(1, crlNumber);

        using var operatorKey = ECDsa.Create();
        operatorKey.ImportFromPem(File.ReadAllText(folder.In("operator-signing.key.pem")));
        using var operatorPublic = ECDsa.Create();
        operatorPublic.ImportFromPem(File.ReadAllText(folder.In("operator-signing.pub.pem")));
        var signed = operatorKey.SignData("proof"u8, HashAlgorithmName.SHA256);
        Assert.True(operatorPublic.VerifyData("proof"u8, signed, HashAlgorithmName.SHA256));
        Assert.Equal(256, operatorKey.KeySize);

        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(folder.In("data-k1.key"))).Length);

        var receiptPem = File.ReadAllText(folder.In("receipt-signing.key"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", receiptPem);
        using var receiptKey = ECDsa.Create();
        receiptKey.ImportFromPem(receiptPem);
        using var receiptPublic = ECDsa.Create();
        receiptPublic.ImportFromPem(File.ReadAllText(folder.In("receipt-signing.pub.pem")));
        Assert.Equal(receiptKey.ExportSubjectPublicKeyInfo(), receiptPublic.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Production_json_binds_to_the_configuration_shape_with_absolute_paths_that_exist()
    {
        using var folder = await CertsFolder.InitAsync();
        var configuration = new ConfigurationBuilder().AddJsonFile(folder.Configuration).Build();

        string[] files =
        [
            "Gateway:Identity:ServerCertificate:CertificatePath", "Gateway:Identity:ServerCertificate:KeyPath",
            "Gateway:Identity:AgencyTrustAnchors:0", "Gateway:Identity:RevocationLists:0",
            "Gateway:Identity:ClientCertificate:CertificatePath", "Gateway:Identity:ClientCertificate:KeyPath",
            "Gateway:Identity:EndpointTrustAnchors:0", "Gateway:Operators:Jwt:SigningKeys:0",
            "Gateway:Encryption:Keys:0:Path", "Gateway:Receipts:SigningKeyPath",
        ];
        Assert.All(files, key => Assert.True(Path.IsPathRooted(configuration[key]) && File.Exists(configuration[key]), $"{key} = {configuration[key]}"));
        Assert.Equal(("MutualTls", "Jwt"), (configuration["Gateway:Identity:Mode"], configuration["Gateway:Operators:Mode"]));
        Assert.Equal(("liaison-gateway", "roles"), (configuration["Gateway:Operators:Jwt:Audience"], configuration["Gateway:Operators:Jwt:RoleClaim"]));
        Assert.False(string.IsNullOrEmpty(configuration["Gateway:Operators:Jwt:Issuer"]));
        Assert.Equal(("k1", "k1"), (configuration["Gateway:Encryption:ActiveKey"], configuration["Gateway:Encryption:Keys:0:Id"]));

        var directory = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!;
        var sample = SampleDirectory.CreateOptions();
        Assert.Equal(sample.Agencies.Select(a => (a.Id, a.Name, a.Kind, a.PostedIn, string.Join(",", a.CompetentFor))),
            directory.Agencies.Select(a => (a.Id, a.Name, a.Kind, a.PostedIn, string.Join(",", a.CompetentFor))));
        Assert.Equal(sample.Routes.Count, directory.Routes.Count);
        Assert.All(directory.Agencies.Zip(sample.Agencies), pair =>
        {
            var (written, original) = pair;
            Assert.Equal(new UriBuilder(original.Endpoint!) { Scheme = "https" }.Uri, new Uri(written.Endpoint!));
            Assert.Equal(folder.In($"agencies/{FileName(written.Id)}.client.pem"), written.ClientCertificate);
            Assert.Equal(folder.In($"agencies/{FileName(written.Id)}.endpoint.pem"), written.EndpointCertificate);
        });
        // The gateway's own directory rules accept it as it is.
        Assert.Equal(sample.Agencies.Count, AgencyDirectory.FromOptions(directory).Agencies.Count);
    }

    // Owner-only is a Unix file mode; on Windows a file's access is its folder's ACL.
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task It_refuses_to_overwrite_with_exit_code_2_and_replaces_everything_with_force()
    {
        using var folder = await CertsFolder.InitAsync();
        var authority = File.ReadAllText(folder.In("agency-ca.pem"));

        var again = await Gatewayctl.RunAsync("certs", "init", "--dir", folder.Path, "--directory", CertsFolder.SampleSettings);

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("nothing written", again.Error);
        Assert.Contains("--force", again.Error);
        Assert.Equal(authority, File.ReadAllText(folder.In("agency-ca.pem")));

        var forced = await Gatewayctl.RunAsync("certs", "init", "--dir", folder.Path, "--directory", CertsFolder.SampleSettings, "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(authority, File.ReadAllText(folder.In("agency-ca.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.In("agency-ca.key")));
    }

    [Fact]
    public async Task It_says_it_is_a_test_pki_and_what_to_run_next()
    {
        using var folder = await CertsFolder.InitAsync();
        var help = await Gatewayctl.RunAsync("certs", "init", "--help");
        var run = await Gatewayctl.RunAsync("certs", "init", "--dir", folder.In("again"), "--directory", CertsFolder.SampleSettings);

        Assert.Contains("TEST PKI FOR ONE MACHINE, not for production keys", help.Output.ReplaceLineEndings(" "));
        Assert.StartsWith("A TEST PKI FOR ONE MACHINE, not for production keys", run.Output);
        Assert.Contains($"gatewayctl token mint --config {folder.In("again/production.json")} --subject duty-officer-1 --role duty-operator", run.Lines);
    }

    [Fact]
    public async Task A_file_without_a_directory_is_a_command_line_error()
    {
        using var folder = await CertsFolder.InitAsync();
        File.WriteAllText(folder.In("empty.json"), "{ \"Gateway\": { } }");

        var run = await Gatewayctl.RunAsync("certs", "init", "--dir", folder.In("none"), "--directory", folder.In("empty.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds no Gateway:Directory:Agencies", run.Error);
        Assert.False(Directory.Exists(folder.In("none")));
    }

    private static void AssertIssued(CertsFolder folder, X509Certificate2 authority, string name, string commonName, string usage, bool loopbackNames)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(folder.In(name + ".pem"), folder.In(name + ".key"));
        Assert.True(certificate.HasPrivateKey, name);
        Assert.Equal(commonName, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal([usage], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        Assert.True(chain.Build(certificate), $"{name}: {string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation))}");
        Assert.Equal(authority.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
        if (loopbackNames)
        {
            Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names!.EnumerateIPAddresses());
            Assert.Equal(["localhost"], names.EnumerateDnsNames());
        }
        else
        {
            Assert.Null(names);
        }
    }

    private static string FileName(string agencyId) => agencyId.Replace('/', '-');
}
