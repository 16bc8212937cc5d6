using System.CommandLine;
using Gateway.Cli.Demo;

namespace Gateway.Cli.Certs;

/// <summary>
/// <c>certs init</c>: a test PKI and the production-mode configuration that uses it, so that a newcomer can run the
/// gateway with mutual TLS, operator tokens, encryption at rest and signed receipts on one machine.
/// </summary>
internal static class CertsCommand
{
    private const string NotForProduction =
        "A TEST PKI FOR ONE MACHINE, not for production keys: the CA's private key lies next to what it signed.";

    public static Command Create(GlobalOptions global)
    {
        var certs = new Command("certs", "Test certificates and keys for running the gateway's production mode on one machine");
        certs.Add(Init(global));
        return certs;
    }

    private static Command Init(GlobalOptions global)
    {
        var command = new Command(
            "init",
            "Make a local test CA, the gateway's server and client certificates, a client and an endpoint certificate per agency of "
            + "the directory, an empty CRL, an operator token signing key, a data key and a receipt signing key, and write "
            + $"DIR/{CertsLayout.ConfigurationFile} that uses them. {NotForProduction}");
        var folder = new Option<DirectoryInfo>("--dir")
        {
            Description = "Where to write the files [default: ./certs]",
            HelpName = "DIR",
        };
        var directory = new Option<FileInfo>("--directory")
        {
            Description = "The agency directory to issue certificates for: an appsettings.json with Gateway:Directory, or a Gateway:DirectoryFile "
                + "[default: src/Gateway/appsettings.json of the checkout gatewayctl belongs to]",
            HelpName = "FILE",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite files a previous certs init wrote (every certificate and key is new)" };
        command.Add(folder);
        command.Add(directory);
        command.Add(force);
        CliContext.Bind(command, global, async cli =>
        {
            var source = cli.Get(directory)?.FullName ?? DefaultDirectory();
            var agencies = ProductionConfiguration.ReadDirectory(source);
            var layout = new CertsLayout(cli.Get(folder)?.FullName ?? "certs", ProductionConfiguration.AgencyIds(agencies));
            if (!cli.Get(force) && layout.Files().Where(File.Exists).ToArray() is { Length: > 0 } existing)
            {
                await cli.Error.WriteLineAsync($"gatewayctl: {layout.Folder} already holds {Output.Text.Plural(existing.Length, "file", "files")} certs init writes, e.g. {existing[0]}; nothing written.");
                await cli.Error.WriteLineAsync("Give --force to replace them all (the gateway, agencies and tokens then need the new ones), or another --dir.");
                return GatewayCtl.BadCommandLine;
            }

            LocalTestPki.Write(layout, TimeProvider.System);
            ProductionConfiguration.Write(layout.Configuration, ProductionConfiguration.Create(layout, agencies));
            await PrintAsync(cli.Out, layout, source);
            return GatewayCtl.Done;
        });
        return command;
    }

    private static string DefaultDirectory()
    {
        try
        {
            return Path.Combine(RepositoryBuilds.Locate(null).Root, "src", "Gateway", "appsettings.json");
        }
        catch (DemoException)
        {
            throw new UsageException("no checkout of the gateway found to take the directory from: give --directory FILE (an appsettings.json with Gateway:Directory)");
        }
    }

    private static async Task PrintAsync(TextWriter output, CertsLayout layout, string source)
    {
        await output.WriteLineAsync(NotForProduction);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"In {layout.Folder}:");
        await output.WriteLineAsync($"  agency-ca.pem, agency-ca.key         the test CA (trust anchor for agencies and endpoints)");
        await output.WriteLineAsync($"  agency-ca.crl                        its CRL, empty");
        await output.WriteLineAsync($"  gateway.pem, gateway.key             the gateway's server certificate (127.0.0.1, ::1, localhost)");
        await output.WriteLineAsync($"  gateway-client.pem, .key             the gateway's client certificate, to call endpoints");
        var example = layout.Agencies[0];
        await output.WriteLineAsync($"  agencies/                            per agency of the {layout.Agencies.Count} in {source}, e.g. {example}:");
        await output.WriteLineAsync($"  {"  " + Path.GetFileName(layout.AgencyClient(example).Certificate) + ", .key",-37}its client certificate (CN = {example}), registered in the directory");
        await output.WriteLineAsync($"  {"  " + Path.GetFileName(layout.AgencyEndpoint(example).Certificate) + ", .key",-37}its endpoint's server certificate (127.0.0.1, ::1, localhost)");
        await output.WriteLineAsync($"  operator-signing.key.pem, .pub.pem   ES256 key pair for operator tokens (gatewayctl token mint)");
        await output.WriteLineAsync($"  data-k1.key                          data key k1 for personal data at rest");
        await output.WriteLineAsync($"  receipt-signing.key, .pub.pem        the receipt signing key and its public key");
        await output.WriteLineAsync($"  {CertsLayout.ConfigurationFile,-37}the configuration that uses them all (absolute paths)");
        await output.WriteLineAsync("Private keys are readable by their owner only.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Next: start the gateway with this configuration:");
        await output.WriteLineAsync($"  dotnet run --project src/Gateway -- --config {layout.Configuration}");
        await output.WriteLineAsync("then mint an operator token:");
        await output.WriteLineAsync($"  gatewayctl token mint --config {layout.Configuration} --subject duty-officer-1 --role duty-operator");
    }
}
