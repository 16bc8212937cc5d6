using Gateway.Cli;

// The commands, their options and exit codes are in GatewayCtl; this only binds them to the console.
return await GatewayCtl.RunAsync(args, Console.Out, Console.Error);
