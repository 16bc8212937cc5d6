using Gateway.Hosting;

var verify = args.FirstOrDefault() == AuditVerifyCommand.Name;
var app = GatewayHost.CreateBuilder(verify ? args[1..] : args).Build();
if (verify)
{
    return await AuditVerifyCommand.RunAsync(app);
}

app.MapGateway();
await app.RunAsync();
return 0;
