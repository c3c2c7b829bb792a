using BenchmarkDotNet.Attributes;

namespace Ductape.Sdk.Benchmarks;

/// <summary>
/// Validations per second on one thread and on two threads sharing one validator: the two-thread row's time per
/// validation should be about half the one-thread row's (throughput ratio = one-thread mean / two-thread mean).
/// </summary>
[MemoryDiagnoser]
public class TokenThroughputBenchmarks
{
    private const int PerThread = 2_000;
    private TokenFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = new TokenFixture();

    [Benchmark(Baseline = true, OperationsPerInvoke = PerThread, Description = "1 thread")]
    public int OneThread() => Run();

    [Benchmark(OperationsPerInvoke = 2 * PerThread, Description = "2 threads, one shared validator")]
    public int TwoThreads()
    {
        int first = 0, second = 0;
        Parallel.Invoke(() => first = Run(), () => second = Run());
        return first + second;
    }

    private int Run()
    {
        var valid = 0;
        for (var i = 0; i < PerThread; i++)
        {
            if (_fixture.Validator.Validate(_fixture.Token, "session_name").IsValid)
            {
                valid++;
            }
        }

        return valid;
    }
}
