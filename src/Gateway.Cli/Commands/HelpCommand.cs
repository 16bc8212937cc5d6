using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary><c>help [COMMAND]</c>, which the hand-written parser had: the same text as <c>--help</c>.</summary>
internal static class HelpCommand
{
    public static Command Create()
    {
        var command = new Command("help", "Show the commands, or one command's options (as --help does)");
        var name = new Argument<string?>("COMMAND") { Description = "The command to show", Arity = ArgumentArity.ZeroOrOne };
        command.Add(name);
        command.SetAction((parse, cancellation) =>
        {
            var root = parse.RootCommandResult.Command;
            if (parse.GetValue(name) is { } unknown && root.Subcommands.All(c => c.Name != unknown))
            {
                throw new UsageException($"there is no command '{unknown}'");
            }

            string[] args = parse.GetValue(name) is { } shown ? [shown, "--help"] : ["--help"];
            return root.Parse(args).InvokeAsync(parse.InvocationConfiguration, cancellation);
        });
        return command;
    }
}
