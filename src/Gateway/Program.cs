using Gateway.Hosting;

var verify = args.FirstOrDefault() == AuditVerifyCommand.Name;

// verify-audit's 1 means a broken log, so a configuration error there is its "nothing verified" 2.
return await StartupFailure.ExitCodeAsync(
    async () =>
    {
        var app = GatewayHost.CreateBuilder(verify ? args[1..] : args).Build();
        if (verify)
        {
            return await AuditVerifyCommand.RunAsync(app);
        }

        app.MapGateway();
        await app.RunAsync();
        return 0;
    },
    verify ? 2 : StartupFailure.ExitCode);
