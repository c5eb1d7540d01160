using System.Diagnostics;
using LeadRouter.Testing;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Runs the built `leadrouter` (leadrouter.dll), or the demo's `leadrouter-demo`, as a process, as a person
/// would, and captures what it prints.
/// </summary>
internal static class WorkerProcess
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(
        string workingFolder, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool demo = false)
    {
        var worker = Assembly(demo);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(worker);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// The built program in its own output folder, run with its own dependencies: this test assembly's
    /// folder has no System.Threading.RateLimiting (the emulator's ASP.NET framework provides it here),
    /// which the worker needs on the plain .NET runtime.
    /// </summary>
    public static string Assembly(bool demo = false)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var (project, assembly) = demo ? ("LeadRouter.Demo", "leadrouter-demo") : ("LeadRouter.Worker", "leadrouter");
        var path = Path.Combine(RepoPaths.Root, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        Assert.That(File.Exists(path), Is.True, $"build the solution first: {path} is missing");
        return path;
    }
}
