using BenchmarkDotNet.Running;

namespace LeadRouter.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>BenchmarkDotNet's switcher; "measure-sync" runs the single full-pull measurement instead (see SyncMeasurement).</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["measure-sync", .. var rest])
            return await SyncMeasurement.RunAsync(rest);
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
