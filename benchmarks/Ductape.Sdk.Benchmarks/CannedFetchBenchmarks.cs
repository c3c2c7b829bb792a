using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// <c>FetchAsync</c> against a canned in-memory <see cref="HttpMessageHandler"/> (no sockets), so only client-side work is
/// timed: the SDK through its retry pipeline, the SDK on a bare <see cref="HttpClient"/>, and a hand-written
/// <see cref="HttpClient"/> + System.Text.Json call of the same request as the baseline, in one run.
/// </summary>
[MemoryDiagnoser]
public class CannedFetchBenchmarks
{
    private static readonly byte[] RequestBody =
        Encoding.UTF8.GetBytes("""{"module":"sessions","method":"fetch","params":["bench:product","session_name"]}""");

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""
        {"status":true,"data":{"data":{"tag":"session_name","name":"Session Name","description":"Session Description Here","expiry":7,"period":"hours","selector":"$Session{userId}","schema":{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}},"execution_time_ms":1,"request_id":"req_1"}}
        """);

    private static readonly Uri Endpoint = new("https://api.ductape.bench/proxy/v1/sdk-proxy/execute");

    private HttpClient _handWritten = null!;
    private DuctapeClient _sdk = null!;
    private DuctapeClient _sdkWithoutPipeline = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var options = new DuctapeClientOptions { AccessKey = "ak_bench", BaseUrl = new Uri("https://api.ductape.bench"), Product = "bench:product" };
        _handWritten = new HttpClient(new CannedHandler());
        _sdk = new DuctapeClient(new HttpClient(DuctapeClient.CreateHttpMessageHandler(options, new CannedHandler())), options);
        _sdkWithoutPipeline = new DuctapeClient(new HttpClient(new CannedHandler()), options);
        if ((await HandWritten()).Tag != (await Sdk()).Tag || (await SdkWithoutPipeline()).Tag != "session_name")
        {
            throw new InvalidOperationException("The calls disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sdk.Dispose();
        _sdkWithoutPipeline.Dispose();
        _handWritten.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hand-written HttpClient + System.Text.Json")]
    public async Task<ProductSession> HandWritten()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(RequestBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-access-key", "ak_bench");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _handWritten.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return JsonSerializer.Deserialize(bytes, BenchJson.Default.FetchEnvelope)!.Data!.Data!;
    }

    [Benchmark(Description = "Ductape.Sdk FetchAsync (retry pipeline)")]
    public Task<ProductSession> Sdk() => _sdk.Products.Sessions.FetchAsync("session_name");

    [Benchmark(Description = "Ductape.Sdk FetchAsync (bare HttpClient)")]
    public Task<ProductSession> SdkWithoutPipeline() => _sdkWithoutPipeline.Products.Sessions.FetchAsync("session_name");

    /// <summary>Answers every request at once with the canned envelope, as a fresh response (as the network would).</summary>
    private sealed class CannedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(Answer);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
