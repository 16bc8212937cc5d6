using Gateway.Hosting;

var app = GatewayHost.CreateBuilder(args).Build();
app.MapGateway();
await app.RunAsync();
