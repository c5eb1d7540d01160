using System.Globalization;
using BenchmarkDotNet.Running;

namespace LeadRouter.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>
    /// BenchmarkDotNet's switcher, or one of scripts/bench.sh's helpers: "measure-sync" (see SyncMeasurement),
    /// "bench-report" (see BenchReport), "publish-compare" (see PublishComparison), "sync-queries --as-of T" (the SOQL of a first sync, one per line, for jsforce).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["measure-sync", .. var rest]:
                return await SyncMeasurement.RunAsync(rest);
            case ["publish-compare", .. var rest]:
                return await PublishComparison.RunAsync(rest);
            case ["bench-report", .. var rest]:
                return BenchReport.Run(rest);
            case ["sync-queries", "--as-of", var asOf]:
                foreach (var query in SyncMeasurement.FirstPullQueries(DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture)))
                    Console.WriteLine(query.Text);
                return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
