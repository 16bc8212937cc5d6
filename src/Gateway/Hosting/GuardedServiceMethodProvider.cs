using System.Reflection;
using Gateway.Intake;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting;

/// <summary>
/// Finds a service's methods as grpc-dotnet's own binder does (the generated <c>BindService</c> named by
/// <see cref="BindServiceMethodAttribute"/>, the service's overrides as handlers, their attributes as endpoint
/// metadata), and binds each with its request marshaller guarded by <see cref="UndecodableRequest.Guard{T}"/>.
/// It replaces grpc-dotnet's binder for every service (see <see cref="GuardedServiceMethodProvider.Replace"/>);
/// both at once would map each method twice.
/// </summary>
internal sealed class GuardedServiceMethodProvider<TService>(IHttpContextAccessor calls) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }

            var bindService = bind.BindType
                .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Single(m => m.Name == bind.BindMethodName
                    && m.GetParameters() is [{ ParameterType: var first }, _]
                    && first == typeof(ServiceBinderBase));
            bindService.Invoke(null, [new Binder(context, type, calls), null]);
            return;
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType, IHttpContextAccessor calls) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        private Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, UndecodableRequest.Guard(method.RequestMarshaller, calls), method.ResponseMarshaller);

        /// <summary>The service's override of the generated method, as an open-instance delegate, and the endpoint metadata.</summary>
        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = Handler(name, parameters)
                ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();

            // Type attributes first, method attributes after them, so that the method's take precedence.
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        /// <summary>The public instance method overriding the generated base's virtual one; one that merely hides it does not count.</summary>
        private MethodInfo? Handler(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var found = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null);
                if (found is null)
                {
                    return null;
                }

                if (found.IsVirtual && found.GetBaseDefinition().DeclaringType == declaringType)
                {
                    return found;
                }
            }

            return null;
        }
    }
}

/// <summary>Registration of <see cref="GuardedServiceMethodProvider{TService}"/>.</summary>
internal static class GuardedServiceMethodProvider
{
    /// <summary>Puts this provider in the place of grpc-dotnet's; fails start-up if that one is not where it is expected.</summary>
    public static void Replace(IServiceCollection services)
    {
        var binder = services.SingleOrDefault(d =>
            d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1");
        if (binder is null)
        {
            throw new InvalidOperationException(
                "grpc-dotnet's service binder was not found among the services; its undecodable-request guard cannot be put in place.");
        }

        services.Remove(binder);
        services.Add(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>)));
    }
}
