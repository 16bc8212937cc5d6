using System.CommandLine;

namespace Gateway.Cli;

/// <summary>
/// The options every command takes, in the same spelling: where the gateway is, who calls (development headers, or a
/// client certificate and an operator token over TLS), and how to print. One instance per command tree, since a symbol
/// records the commands it was added to.
/// </summary>
internal sealed class GlobalOptions
{
    public const string DefaultGateway = "http://127.0.0.1:5080";
    public const string DefaultOperator = "duty-officer";
    public const string TokenVariable = "GATEWAYCTL_TOKEN";

    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = $"Gateway address: http:// (plaintext HTTP/2, as the development gateway listens) or https:// [default: {DefaultGateway}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> As { get; } = new("--as")
    {
        Description = "Calling agency (COUNTRY/CODE), sent in the x-liaison-agency header and, for a message, as its sender "
            + "(each message command has its own default). Trace commands call as this agency instead of as the operator. With --profile, "
            + "the agency's client certificate is presented too.",
        HelpName = "AGENCY",
        Recursive = true,
    };

    public Option<string> Operator { get; } = new("--operator")
    {
        Description = $"Operator making an operator or trace call, sent in the x-liaison-operator header [default: {DefaultOperator}]",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<FileInfo> Ca { get; } = new("--ca")
    {
        Description = "CA certificate(s) (PEM) an https:// --gateway's server certificate must chain to, instead of the machine's trust store",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<FileInfo> Cert { get; } = new("--cert")
    {
        Description = "Client certificate (PEM) to present over https://, e.g. an agency's in the gateway's MutualTls mode (with --key)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<FileInfo> Key { get; } = new("--key")
    {
        Description = "Private key (PEM) of --cert",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<FileInfo> Profile { get; } = new("--profile")
    {
        Description = "A production.json written by 'certs init': --ca from its agency trust anchors and, with --as, the agency's client certificate and key",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = $"Operator token (JWT) sent as 'authorization: Bearer' on operator and operator trace calls, instead of the x-liaison-operator header [default: ${TokenVariable}]",
        HelpName = "JWT",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print each response in the proto's JSON form, one document per line, for scripts",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Gateway);
        root.Add(As);
        root.Add(Operator);
        root.Add(Ca);
        root.Add(Cert);
        root.Add(Key);
        root.Add(Profile);
        root.Add(Token);
        root.Add(Json);
    }
}
