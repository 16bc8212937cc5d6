using System.CommandLine;

namespace Gateway.Cli.Demo;

/// <summary>The <c>demo</c> command of gatewayctl's command tree: its options bound to <see cref="DemoOptions"/>.</summary>
internal static class DemoCommandLine
{
    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Start a gateway and PartnerSim endpoints on a temporary store, play the three situations of the design brief, print each message's timeline, and stop everything");
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's folder (the gateway's store, the PartnerSims' inboxes and logs) and print its path" };
        var repository = new Option<DirectoryInfo>("--repository")
        {
            Description = "The checkout whose gateway and PartnerSim to run (default: the one gatewayctl was built in, else the current directory's)",
            HelpName = "DIR",
        };
        var production = new Option<bool>("--production")
        {
            Description = "Run the gateway in production mode: a test PKI as certs init makes it, agencies by mutual TLS with their own client certificates, "
                + "PartnerSims over TLS accepting the gateway's client certificate only, the operator by a signed token",
        };
        command.Add(keep);
        command.Add(repository);
        command.Add(production);
        command.SetAction((parse, cancellation) => DemoCommand.RunAsync(
            new DemoOptions { Keep = parse.GetValue(keep), Production = parse.GetValue(production), Repository = parse.GetValue(repository)?.FullName, Output = parse.InvocationConfiguration.Output },
            cancellation));
        return command;
    }
}
