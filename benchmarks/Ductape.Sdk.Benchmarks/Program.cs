using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Ductape.Sdk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Ductape.Sdk.Benchmarks.FetchBenchmarks).Assembly).Run(args);
