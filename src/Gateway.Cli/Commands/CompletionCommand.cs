using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: a shell script that asks gatewayctl itself for completions, through System.CommandLine's
/// <c>[suggest:POSITION]</c> directive, so commands, options and their values complete from the same tree that parses them.
/// It does what the dotnet-suggest tool does, without a second tool to install.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # gatewayctl completion for bash: source <(gatewayctl completion bash)
        _gatewayctl_complete()
        {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _gatewayctl_complete gatewayctl
        """;

    private const string Zsh = """
        # gatewayctl completion for zsh: source <(gatewayctl completion zsh)
        _gatewayctl_complete()
        {
            local -a candidates
            candidates=("${(@f)$(${words[1]} "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
            compadd -- $candidates
        }
        compdef _gatewayctl_complete gatewayctl
        """;

    public static Command Create()
    {
        var command = new Command("completion", "Print the shell completion script; enable it with: source <(gatewayctl completion bash), e.g. in ~/.bashrc");
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        command.Add(shell);
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetRequiredValue(shell) == "bash" ? Bash : Zsh);
            return 0;
        });
        return command;
    }
}
