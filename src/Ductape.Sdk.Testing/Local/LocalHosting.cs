using Microsoft.Extensions.Hosting;

namespace Ductape.Sdk.Testing;

/// <summary>A host lifetime that waits for nothing and listens to no signal: the user's process keeps its own.</summary>
internal sealed class NoHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class ServiceProviderExtensions
{
    public static T? GetServiceOrNull<T>(this IServiceProvider services)
        where T : class => services.GetService(typeof(T)) as T;
}
