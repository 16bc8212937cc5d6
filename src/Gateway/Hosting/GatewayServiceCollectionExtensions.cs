using System.Diagnostics.Metrics;
using Gateway.Audit;
using Gateway.Contracts.Validation;
using Gateway.Core.Agencies;
using Gateway.Core.Deadlines;
using Gateway.Core.Delivery;
using Gateway.Delivery;
using Gateway.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Gateway.Health;
using Gateway.Identity;
using Gateway.Intake;
using Gateway.Limits;
using Gateway.Operations;
using Gateway.Services;
using Gateway.Storage.Sqlite;
using Gateway.Streams;
using Gateway.Telemetry;
using Gateway.Trace;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProtoValidate;

namespace Gateway.Hosting;

/// <summary>The gateway's set-up, one extension per part it adds.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Health service name that runs no I/O check: the process is up and serving gRPC.</summary>
    public const string LivenessService = "liveness";

    /// <summary>
    /// The agency directory: a snapshot read and validated at start-up, replaced whole when its source is edited and the
    /// edit passes every validator (one per concern: agencies, routes, the agencies routes name).
    /// </summary>
    public static IServiceCollection AddGatewayDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryValidator, AgencyValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryValidator, RouteValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryValidator, RouteReferenceValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryValidator, SinglePointOfContactValidator>());
        services.TryAddSingleton(sp => new DirectorySource(configuration));
        services.TryAddSingleton(sp => new AgencyDirectoryProvider(
            DirectoryReloader.Load(sp.GetRequiredService<DirectorySource>(), sp.GetServices<IDirectoryValidator>())));
        services.TryAddSingleton<IAgencyDirectoryProvider>(sp => sp.GetRequiredService<AgencyDirectoryProvider>());
        services.AddHostedService<DirectoryReloader>();
        return services;
    }

    /// <summary>The configuration key (and environment variable) of OpenTelemetry's standard OTLP endpoint setting.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name the gateway's telemetry is exported under, unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "liaison-gateway";

    /// <summary>
    /// Traces (server spans of every call, honouring a caller's W3C <c>traceparent</c>; the gateway's own spans; client
    /// spans of the calls to endpoints, which carry the trace on), metrics (the gateway's and the store's meters) and logs
    /// that carry the current trace and span ids. Exported over OTLP only when <see cref="OtlpEndpointKey"/> is set; else
    /// nothing leaves the process.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp =>
        {
            var streams = sp.GetRequiredService<StreamDrain>();
            return new GatewayMetrics(sp.GetRequiredService<IMeterFactory>(), () => streams.OpenStreams);
        });
        services.Configure<LoggerFactoryOptions>(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // What any tracer or meter provider of the host is to listen to. Only an exporter starts one: with none, nothing
        // listens, and spans and measurements cost a check each. The standard OTEL_SERVICE_NAME and
        // OTEL_RESOURCE_ATTRIBUTES still win over the service name given here.
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName).AddEnvironmentVariableDetector());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(GatewayTracing.SourceName)
            .AddAspNetCoreInstrumentation());
        if (configuration.GetValue(DeliveryOptions.Section + ":Enabled", true))
        {
            // The client spans of the dispatcher's calls carry a delivery's trace to its endpoint. A gateway that does
            // not deliver calls nobody, and the listener would only trace (and pay for) other gRPC clients of its process.
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddGrpcClientInstrumentation());
        }

        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName, StoreMetrics.MeterName)
            .AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Logs are exported too, each with its trace and span ids; the exporter reads the endpoint and the other
            // OTEL_EXPORTER_OTLP_* settings from the configuration itself.
            services.AddOpenTelemetry().WithTracing().WithMetrics().WithLogging().UseOtlpExporter();
        }

        return services;
    }

    public static IServiceCollection AddGatewayDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.AddOptions<RetryOptions>().Bind(configuration.GetSection(RetryOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetryOptions>, RetryOptionsValidator>());
        services.TryAddSingleton<WorkSignal>();
        services.TryAddSingleton<CommitSignals>();
        services.TryAddSingleton<RetryPolicy>(sp => new RetryPolicy(sp.GetRequiredService<IOptions<RetryOptions>>()));
        services.TryAddSingleton<EndpointBreaker>();
        services.TryAddSingleton<EndpointClients>();
        services.TryAddSingleton<EndpointAnswers>();
        if (configuration.GetValue(DeliveryOptions.Section + ":Enabled", true))
        {
            services.AddHostedService<DeliveryDispatcher>();
        }

        // Overdue replies are watched whether or not this gateway delivers: they are about the messages it accepted.
        services.AddHostedService<ReplyDeadlineWatcher>();

        return services;
    }

    public static IServiceCollection AddGatewayIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayMutualTls(configuration);
        services.TryAddSingleton<ICallerIdentityResolver, DevelopmentHeaderIdentity>();
        return services;
    }

    public static IServiceCollection AddGatewayIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeLimits>().Bind(configuration.GetSection(IntakeLimits.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeLimits>, IntakeLimitsValidator>());
        services.TryAddSingleton<IntakeRules>();
        services.TryAddSingleton<ReplyRouter>();
        services.TryAddSingleton<MessageIntake>();
        services.TryAddSingleton<ObservedIntake>();
        services.AddOptions<ReplyDeadlineOptions>().Bind(configuration.GetSection(ReplyDeadlineOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplyDeadlineOptions>, ReplyDeadlineOptionsValidator>());
        services.TryAddSingleton<ReplyDeadlines>();
        services.TryAddSingleton<IDeliveryRouteCheck, DeliveryRouteCheck>();
        services.TryAddSingleton<IValidator>(_ => new Validator(new ValidatorOptions { DisableLazy = false }));
        services.TryAddSingleton<SchemaValidator>();
        return services;
    }

    /// <summary>Case update publication and subscriptions, and the HTTP/2 keepalive that long-lived streams need.</summary>
    public static IServiceCollection AddGatewayStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamOptions>, StreamOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelKeepAliveSetup>());
        services.TryAddSingleton<UpdateFeedSignal>();
        services.AddOptions<PublishOptions>().Bind(configuration.GetSection(PublishOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublishOptions>, PublishOptionsValidator>());
        services.TryAddSingleton<UpdatePublication>();
        services.TryAddSingleton<CaseUpdateSubscription>();
        services.TryAddSingleton<StreamDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<StreamDrain>());
        return services;
    }

    public static IServiceCollection AddGatewayGrpc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGrpc(options =>
        {
            // Outermost, so that the audit writes of the others are covered too: a store that cannot write gives UNAVAILABLE.
            options.Interceptors.Add<StoreUnavailableInterceptor>();
            // Agency calls pass the caller identity check, operator calls the operator check; both then the schema.
            options.Interceptors.Add<CallerIdentityInterceptor>();
            options.Interceptors.Add<AgencyLimitsInterceptor>();
            options.Interceptors.Add<OperatorCallInterceptor>();
            options.Interceptors.Add<SchemaValidationInterceptor>();
        });
        // Registered, they are made once and shared; unregistered, gRPC would build each of them for every call. They keep
        // nothing of a call: everything they hold is a singleton.
        services.TryAddSingleton<StoreUnavailableInterceptor>();
        services.TryAddSingleton<CallerIdentityInterceptor>();
        services.TryAddSingleton<OperatorCallInterceptor>();
        services.TryAddSingleton<SchemaValidationInterceptor>();
        // The transport guards are shared by every call and find the call they refuse as the current request.
        services.AddHttpContextAccessor();
        GuardedServiceMethodProvider.Replace(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<GrpcServiceOptions>, DecompressionGuard>());
        services.AddGatewayRefusalBoundary(configuration);
        services.AddGrpcReflection();
        // "" (the whole gateway) is serving while its store answers; "liveness" only says the process answers calls.
        services.AddGrpcHealthChecks(o => o.Services.Map(LivenessService, check => check.Tags.Contains(LivenessService)))
            .AddCheck("process", () => HealthCheckResult.Healthy(), [LivenessService])
            .AddCheck<StoreHealthCheck>("store");
        return services;
    }

    /// <summary>Message sizes per service and Kestrel's connection limits, from <c>Gateway:Limits</c>.</summary>
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerLimits>().Bind(configuration.GetSection(ServerLimits.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerLimits>, ServerLimitsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>());
        services.TryAddSingleton<GrpcLimitsSetup>();
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions>>(sp => sp.GetRequiredService<GrpcLimitsSetup>());
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions<ReferralGrpcService>>>(sp => sp.GetRequiredService<GrpcLimitsSetup>());
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions<FugitiveGrpcService>>>(sp => sp.GetRequiredService<GrpcLimitsSetup>());
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions<CaseUpdateGrpcService>>>(sp => sp.GetRequiredService<GrpcLimitsSetup>());
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions<OperationsGrpcService>>>(sp => sp.GetRequiredService<GrpcLimitsSetup>());
        return services;
    }

    /// <summary>The one component that audits and answers refusals, with the budget within which refusals of unidentified callers are audited one by one.</summary>
    public static IServiceCollection AddGatewayRefusalBoundary(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UnauthenticatedRefusalOptions>().Bind(configuration.GetSection(UnauthenticatedRefusalOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UnauthenticatedRefusalOptions>, UnauthenticatedRefusalOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RefusalBoundary>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalBoundary>());
        return services;
    }

    public static WebApplication MapGatewayGrpc(this WebApplication app)
    {
        app.UseMiddleware<StreamDrainMiddleware>();
        app.UseMiddleware<RefusalBoundaryMiddleware>();
        app.UseMiddleware<FrameHeaderGuardMiddleware>();
        app.MapGrpcService<ReferralGrpcService>();
        app.MapGrpcService<FugitiveGrpcService>();
        app.MapGrpcService<CaseUpdateGrpcService>();
        app.MapGrpcService<ClarificationGrpcService>();
        app.MapGrpcService<OperationsGrpcService>();
        app.MapGrpcService<TraceGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
