using System.Net;
using BenchmarkDotNet.Attributes;
using Ductape.Sdk.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// What the outgoing session handler adds to a request when no refresh is due: the same factory <see cref="HttpClient"/>
/// over a canned handler, with the bearer header set by hand (baseline) and by <c>AddDuctapeSessionHandler</c>.
/// </summary>
[MemoryDiagnoser]
public class SessionHandlerBenchmarks
{
    private const string Token = "bench_session:eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiYiJ9..aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cccccccccccccccccccccc";
    private static readonly Uri Api = new("https://api.bench/data");

    private ServiceProvider _services = null!;
    private HttpClient _withHandler = null!;
    private HttpClient _byHand = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var services = new ServiceCollection();
        services.AddDuctape(o =>
        {
            o.AccessKey = "ak_bench";
            o.Product = "bench:product";
            o.Env = "prd";
        });
        services.AddHttpClient("by-hand").ConfigurePrimaryHttpMessageHandler(() => new CannedHandler());
        services.AddHttpClient("api").ConfigurePrimaryHttpMessageHandler(() => new CannedHandler())
            .AddDuctapeSessionHandler(o => o.SessionKey = "worker");
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<ISessionTokenStore>().SetAsync("worker", new HeldSession
        {
            Tag = "bench_session", Token = Token, RefreshToken = "rt_bench", SessionId = "ses_bench",
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        });
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _withHandler = factory.CreateClient("api");
        _byHand = factory.CreateClient("by-hand");
        if (await ByHand() != await WithHandler())
        {
            throw new InvalidOperationException("The requests disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "bearer header set by hand")]
    public async Task<HttpStatusCode> ByHand()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token);
        using var response = await _byHand.SendAsync(request);
        return response.StatusCode;
    }

    [Benchmark(Description = "AddDuctapeSessionHandler (no refresh due)")]
    public async Task<HttpStatusCode> WithHandler()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        using var response = await _withHandler.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Answers 200 at once if the request carries the bearer token.</summary>
    private sealed class CannedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(
                request.Headers.TryGetValues("Authorization", out var values) && values.Single() == "Bearer " + Token
                    ? HttpStatusCode.OK : HttpStatusCode.Unauthorized));
    }
}
