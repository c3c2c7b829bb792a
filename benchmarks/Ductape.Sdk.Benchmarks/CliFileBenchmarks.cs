using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ductape.Sdk.Cli;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// Reading a session types file in the CLI (scan, parse, every contract rule, positions only for problems), minified and
/// pretty-printed, at two sizes: against parsing the same bytes with <see cref="JsonDocument"/> (the floor), and 1 MB against
/// 10 MB to show the cost grows linearly.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class CliFileBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private byte[] _file = [];

    [Params(1, 10)]
    public int Megabytes { get; set; }

    [Params(false, true)]
    public bool Minified { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var types = new List<string>();
        var size = 0;
        for (var i = 0; size < Megabytes << 20; i++)
        {
            var type = $$$"""{"description":"{{{new string('d', 50)}}}","expiry":7,"name":"Session {{{i}}}","period":"hours","schema":{"userId":"u-1","details":{"username":"n","more":"{{{new string('x', 100)}}}"}},"selector":"$Session{userId}","tag":"t{{{i}}}"}""";
            types.Add(type);
            size += type.Length;
        }

        var minified = "[" + string.Join(",", types) + "]";
        _file = Minified ? Encoding.UTF8.GetBytes(minified) : Encoding.UTF8.GetBytes(JsonSerializer.Serialize(JsonDocument.Parse(minified).RootElement, Indented));
    }

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_file);
        return document.RootElement.GetArrayLength();
    }

    [Benchmark]
    public int SessionTypesFileRead() => SessionTypesFile.Read(_file, Now).Entries.Count;
}
