using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// <c>FetchAsync</c> through the SDK against a hand-written <see cref="HttpClient"/> + System.Text.Json call of the same
/// request, both against the same local server over loopback, in one run.
/// </summary>
[MemoryDiagnoser]
public class FetchBenchmarks
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"module":"sessions","method":"fetch","params":["bench:product","session_name"]}""");

    private DuctapeLocalServer _server = null!;
    private DuctapeClient _client = null!;
    private HttpClient _http = null!;
    private Uri _endpoint = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await DuctapeLocalServer.StartAsync();
        _client = _server.CreateClient(product: "bench:product");
        await _client.Products.Sessions.CreateAsync(new ProductSession
        {
            Name = "Session Name",
            Tag = "session_name",
            Description = "Session Description Here",
            Schema = SessionJson.Parse("""{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}"""),
            Selector = "$Session{userId}",
            Expiry = 7,
            Period = TokenPeriod.Hours,
        });
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        _endpoint = new Uri(_server.BaseUrl, "proxy/v1/sdk-proxy/execute");
        if ((await HandWritten()).Tag != (await Sdk()).Tag)
        {
            throw new InvalidOperationException("The two calls disagree.");
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "hand-written HttpClient + System.Text.Json")]
    public async Task<ProductSession> HandWritten()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-access-key", _server.AccessKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return JsonSerializer.Deserialize(bytes, BenchJson.Default.FetchEnvelope)!.Data!.Data!;
    }

    [Benchmark(Description = "Ductape.Sdk Products.Sessions.FetchAsync")]
    public Task<ProductSession> Sdk() => _client.Products.Sessions.FetchAsync("session_name");
}

internal sealed class FetchEnvelope
{
    [JsonPropertyName("status")]
    public bool Status { get; set; }

    [JsonPropertyName("data")]
    public FetchData? Data { get; set; }
}

internal sealed class FetchData
{
    [JsonPropertyName("data")]
    public ProductSession? Data { get; set; }
}

[JsonSerializable(typeof(FetchEnvelope))]
internal sealed partial class BenchJson : JsonSerializerContext;
