using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Gateway.Cli.Commands;
using Gateway.Cli.Output;
using Grpc.Core;

namespace Gateway.Cli;

/// <summary>
/// gatewayctl: sends messages to a running gateway as an agency would, does the operators' work (dead letters, replay,
/// review, overdue replies, directory, message traces) and checks a store's audit chain.
/// Exit codes: 0 done, 1 the gateway refused or could not be reached (or the audit chain is broken), 2 the command line
/// was wrong.
/// </summary>
public static class GatewayCtl
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int BadCommandLine = 2;

    /// <summary>The whole command tree.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("gatewayctl: talk to a Liaison Gateway as an agency or as its duty operator, and check a store's audit log.");
        var global = new GlobalOptions();
        global.AddTo(root);
        foreach (var command in MessageCommands.Create(global)
                     .Concat(CaseUpdateCommands.Create(global))
                     .Append(SendCommand.Create(global))
                     .Concat(OperationsCommands.Create(global))
                     .Concat(TraceCommands.Create(global))
                     .Append(VerifyAuditCommand.Create(global))
                     .Append(ReencryptCommand.Create(global))
                     .Append(Certs.CertsCommand.Create(global))
                     .Append(Tokens.TokenCommand.Create(global))
                     .Append(VerifyReceiptCommand.Create(global))
                     .Append(Demo.DemoCommandLine.Create())
                     .Append(CompletionCommand.Create())
                     .Append(HelpCommand.Create()))
        {
            root.Add(command);
        }

        // A bare 'gatewayctl' is a mistake too (exit code 2), answered with the list of commands.
        root.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            error.WriteLine("gatewayctl: no command given");
            error.WriteLine();
            parse.RootCommandResult.Command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return BadCommandLine;
        });
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command, writing to <paramref name="output"/> and
    /// <paramref name="error"/>; <paramref name="cancellationToken"/> stops it as Ctrl+C does.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = CreateRootCommand().Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Errors are ours to report: a refusal is exit code 1 with its field violations, not a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Action is ParseErrorAction errors)
        {
            // System.CommandLine reports the errors (with "Did you mean" for a mistyped command or option) and
            // returns 1; a wrong command line is 2 here, as it always was, so that scripts can tell it from a refusal.
            // Instead of the whole help, one line says where it is; all of it goes to the error output.
            errors.ShowHelp = false;
            await parse.InvokeAsync(new InvocationConfiguration { Output = error, Error = error }, cancellationToken);
            await error.WriteLineAsync(HelpHint(parse));
            return BadCommandLine;
        }

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (RpcException refused)
        {
            ErrorPrinter.Print(refused, error);
            return Refused;
        }
        catch (UsageException usage)
        {
            await error.WriteLineAsync($"gatewayctl: {usage.Message}");
            await error.WriteLineAsync(HelpHint(parse));
            return BadCommandLine;
        }
    }

    private static string HelpHint(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "Run 'gatewayctl --help' for the commands." : $"Run 'gatewayctl {CommandPath(parse.CommandResult)} --help' for its options.";

    // A subcommand's help is asked for with its parents' names: 'token mint --help'.
    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult { Command: not RootCommand } parent ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;
}

/// <summary>A command-line value that could only be checked once the command ran; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
