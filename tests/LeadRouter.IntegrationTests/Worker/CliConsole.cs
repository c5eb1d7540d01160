using LeadRouter.Worker.Cli;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>Runs the `leadrouter` command line in this process, capturing what it prints on stdout and stderr.</summary>
internal static class CliConsole
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<(int Exit, string Output, string Errors)> RunAsync(IReadOnlyList<string> args)
    {
        await OneAtATime.WaitAsync();
        var (output, errors) = (Console.Out, Console.Error);
        using var capturedOutput = new StringWriter();
        using var capturedErrors = new StringWriter();
        try
        {
            Console.SetOut(capturedOutput);
            Console.SetError(capturedErrors);
            var exit = await LeadRouterCli.RunAsync(args);
            return (exit, capturedOutput.ToString(), capturedErrors.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(errors);
            OneAtATime.Release();
        }
    }
}
