using System.CommandLine;

namespace Gateway.Cli;

/// <summary>
/// The options every command takes, in the same spelling: where the gateway is, who calls, and how to print. One
/// instance per command tree, since a symbol records the commands it was added to.
/// </summary>
internal sealed class GlobalOptions
{
    public const string DefaultGateway = "http://127.0.0.1:5080";
    public const string DefaultOperator = "duty-officer";

    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = $"Gateway address: http:// (plaintext HTTP/2, as the development gateway listens) or https:// [default: {DefaultGateway}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> As { get; } = new("--as")
    {
        Description = "Calling agency (COUNTRY/CODE), sent in the x-liaison-agency header and, for a message, as its sender "
            + "(each message command has its own default). Trace commands call as this agency instead of as the operator.",
        HelpName = "AGENCY",
        Recursive = true,
    };

    public Option<string> Operator { get; } = new("--operator")
    {
        Description = $"Operator making an operator or trace call, sent in the x-liaison-operator header [default: {DefaultOperator}]",
        HelpName = "NAME",
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
        root.Add(Json);
    }
}
