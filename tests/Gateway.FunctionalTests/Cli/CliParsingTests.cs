extern alias gatewayctl;

using GatewayCtl = gatewayctl::Gateway.Cli.GatewayCtl;

namespace Gateway.FunctionalTests.Cli;

/// <summary>gatewayctl's command line, parsed by System.CommandLine: help, typo suggestions, completion, and exit code 2 for every mistake.</summary>
public sealed class CliParsingTests
{
    public static TheoryData<string> Commands() => [.. GatewayCtl.CreateRootCommand().Subcommands.Select(c => c.Name)];

    [Fact]
    public void Every_command_of_the_old_parser_and_every_new_one_is_there()
    {
        string[] expected =
        [
            "send-referral", "send-location-request", "release-hold", "answer-clarification", "health", "dead-letters", "replay", "held",
            "review", "agencies", "routes", "overdue", "report-location", "withdraw", "cancel-hold", "publish", "subscribe", "send",
            "verify-audit", "verify-receipt", "reencrypt", "trace", "search", "watch", "content", "completion", "help", "demo", "certs", "token",
        ];

        Assert.Equal(expected.Order(), GatewayCtl.CreateRootCommand().Subcommands.Select(c => c.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_with_its_usage_and_the_global_options(string command)
    {
        var run = await Gatewayctl.RunAsync(command, "--help");

        Assert.Equal(0, run.ExitCode);
        // In-process the usage line names the test host; the built gatewayctl names itself (its runtimeconfig says so).
        Assert.Matches($@"Usage:\s+\S+ {command} ", run.Output);
        Assert.Contains("--gateway <URL>", run.Output);
        Assert.Contains("--json", run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Help_as_a_command_shows_the_commands_or_one_commands_options_as_it_did_before()
    {
        var all = await Gatewayctl.RunAsync("help");
        var one = await Gatewayctl.RunAsync("help", "withdraw");
        var none = await Gatewayctl.RunAsync("help", "nothing");

        Assert.Equal(0, all.ExitCode);
        Assert.Contains("verify-audit", all.Output);
        Assert.Equal(0, one.ExitCode);
        Assert.Matches(@"Usage:\s+\S+ withdraw ", one.Output);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("there is no command 'nothing'", none.Error);
    }

    [Fact]
    public async Task A_bare_gatewayctl_prints_the_commands_and_exits_2()
    {
        var run = await Gatewayctl.RunAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("gatewayctl: no command given", run.Error);
        Assert.Contains("send-referral", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_mistyped_command_is_suggested_its_likely_spelling()
    {
        var run = await Gatewayctl.RunAsync("helth");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'helth' was not matched. Did you mean one of the following?", run.Error);
        Assert.Contains("health", run.Error.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public async Task A_mistyped_option_is_suggested_its_likely_spelling()
    {
        var run = await Gatewayctl.RunAsync("release-hold", "--referal", "0190a7c5-0000-7000-8000-000000000001");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--referral", run.Error.Split('\n').Select(l => l.Trim()));
        Assert.Contains("Run 'gatewayctl release-hold --help' for its options.", run.Error);
    }

    [Theory]
    [InlineData("release-hold", "--referral")]
    [InlineData("cancel-hold", "--referral")]
    [InlineData("answer-clarification", "--about")]
    [InlineData("report-location", "--request")]
    [InlineData("withdraw", "--request")]
    [InlineData("review", "--decision")]
    [InlineData("replay", "--reason")]
    [InlineData("content", "--reason")]
    public async Task A_missing_required_option_is_exit_code_2_before_anything_is_sent(string command, string option)
    {
        // No gateway listens on port 1: had the command called one, it would have ended with 1.
        var args = command switch
        {
            "review" => new[] { command, "--message-id", "0190a7c5-0000-7000-8000-000000000001", "--reason", "r" },
            "content" => [command, "0190a7c5-0000-7000-8000-000000000001"],
            _ => [command],
        };

        var run = await Gatewayctl.RunAsync([.. args, "--gateway", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"Option '{option}' is required.", run.Error);
    }

    [Fact]
    public async Task Verify_audit_without_a_store_is_exit_code_2_and_names_both_kinds()
    {
        var run = await Gatewayctl.RunAsync("verify-audit");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Name one store: --store PATH (SQLite) or --postgres CONNECTION (PostgreSQL).", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report-location", "--request", "0190a7c5-0000-7000-8000-000000000001", "--outcome", "escaped")]
    [InlineData("send-referral", "--offence-character", "financial")]
    [InlineData("review", "--message-id", "0190a7c5-0000-7000-8000-000000000001", "--decision", "maybe", "--reason", "r")]
    [InlineData("search", "--kind", "Letter")]
    [InlineData("watch", "--after", "minus-one")]
    [InlineData("send", "/no/such/file.json")]
    [InlineData("publish")]
    [InlineData("publish", "--status", "closed")]
    public async Task A_value_outside_what_an_option_takes_is_exit_code_2(params string[] args)
    {
        var run = await Gatewayctl.RunAsync([.. args, "--gateway", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.NotEmpty(run.Error);
    }

    [Theory]
    [InlineData("health", "--gateway", "ftp://127.0.0.1:5080")]
    [InlineData("send-referral", "--created-at", "yesterday", "--gateway", "http://127.0.0.1:1")]
    [InlineData("replay", "--delivery", "12", "--recipient", "CN/FJPSD", "--reason", "r", "--gateway", "http://127.0.0.1:1")]
    public async Task A_value_only_the_command_can_check_is_exit_code_2_too(params string[] args)
    {
        var run = await Gatewayctl.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("gatewayctl: ", run.Error);
    }

    [Fact]
    public async Task An_unreachable_gateway_is_exit_code_1()
    {
        var run = await Gatewayctl.RunAsync("health", "--gateway", "http://127.0.0.1:1");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: Unavailable", run.Error);
    }

    [Theory]
    [InlineData("gatewayctl hea", "health")]
    [InlineData("gatewayctl report-location --outcome ", "turned-themselves-in")]
    [InlineData("gatewayctl trace --op", "--operator")]
    public async Task The_suggest_directive_completes_commands_options_and_values(string line, string expected)
    {
        var run = await Gatewayctl.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(expected, run.Lines);
    }

    [Fact]
    public async Task The_bash_completion_script_asks_gatewayctl_for_its_suggestions()
    {
        var run = await Gatewayctl.RunAsync("completion", "bash");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"[suggest:${COMP_POINT}]\" \"${COMP_LINE}\"", run.Output);
        Assert.Contains("complete -o default -F _gatewayctl_complete gatewayctl", run.Output);
    }
}
