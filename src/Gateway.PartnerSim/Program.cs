using Gateway.PartnerSim.Hosting;

if (args is ["--help"] or ["-h"])
{
    Console.Out.WriteLine(PartnerSimCommandLine.Usage);
    return 0;
}

if (!PartnerSimCommandLine.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(PartnerSimCommandLine.Usage);
    return 2;
}

var app = PartnerSimHost.CreateBuilder(options).Build();
app.MapPartnerSim();
await app.RunAsync();
return 0;
