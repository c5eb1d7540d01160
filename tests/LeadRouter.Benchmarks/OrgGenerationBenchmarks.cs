using BenchmarkDotNet.Attributes;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.Benchmarks;

/// <summary>
/// Generating the synthetic org: the large org (2,000 reps, about a million tasks and events) must
/// take seconds. Run: dotnet run -c Release --project tests/LeadRouter.Benchmarks -- --filter *OrgGeneration* --job short
/// </summary>
[MemoryDiagnoser]
public class OrgGenerationBenchmarks
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 26, 15, 30, 0, TimeSpan.Zero);

    [Params(OrgSize.Medium, OrgSize.Large)]
    public OrgSize Size { get; set; }

    [Benchmark]
    public int Generate() => OrgGenerator.Generate(Size, seed: 42, AsOf).Summary.TasksAndEvents;
}
