namespace Gateway.Cli.Demo;

/// <summary>Why the demo could not run or a situation did not play out as expected: said to the user, exit code 1.</summary>
internal sealed class DemoException(string message) : Exception(message);
