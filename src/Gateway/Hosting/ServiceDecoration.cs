namespace Gateway.Hosting;

/// <summary>Wraps a service the framework registered (Kestrel's server, the logger factory) in one of the gateway's.</summary>
internal static class ServiceDecoration
{
    /// <summary>Replaces the one singleton registration of <typeparamref name="TService"/> by <paramref name="wrap"/> around it.</summary>
    public static void Decorate<TService>(IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var registered = services.Single(d => d.ServiceType == typeof(TService));
        services.Remove(registered);

        // The wrapper is disposed by the container and disposes what it wraps, which the container did not make.
        services.AddSingleton(provider => wrap((TService)(
            registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))));
    }
}
