using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadRouter.Worker.Cli;

/// <summary>The `leadrouter` command line: one verb per job, each with --help and meaningful exit codes.</summary>
public static partial class LeadRouterCli
{
    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override a setting, e.g. --set LeadRouter:Database:Provider=Postgres (repeatable).",
        AllowMultipleArgumentsPerToken = false,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as one JSON document for machines.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print the details after the one-screen summary: reasons, unroutable examples, warnings.",
        Recursive = true,
    };

    public static readonly Option<DateTimeOffset?> AsOf = new("--as-of")
    {
        Description = "The moment the work runs at (ISO 8601, e.g. 2026-11-23T07:00:00Z); default now.",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
                result.AddError($"--as-of: '{text}' is not a date and time (ISO 8601, e.g. 2026-11-23T07:00:00Z).");
            else if (!ExplicitOffset().IsMatch(text))
                result.AddError($"--as-of: '{text}' has no UTC offset; add Z or +hh:mm (e.g. 2026-11-23T07:00:00Z) so the moment is not read in this machine's time zone.");
            else if (value > TimeProvider.System.GetUtcNow().AddDays(MaxDaysAhead))
                result.AddError($"--as-of: '{text}' is more than {MaxDaysAhead} days ahead; a cycle runs as of now or a past moment.");
            else
                return value;
            return null;
        },
    };

    /// <summary>How far ahead --as-of may be: enough to plan next week's run, never a date far in the future.</summary>
    private const int MaxDaysAhead = 31;

    /// <summary>
    /// Parses and runs a command line of <paramref name="root"/> (default: `leadrouter`'s verbs). A parse
    /// error (unknown verb or option, bad value) is bad input: the errors on stderr, exit 2.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, RootCommand? root = null, string program = "leadrouter")
    {
        var parse = (root ?? Create()).Parse(args);
        if (parse.Errors.Count == 0)
            return await parse.InvokeAsync().ConfigureAwait(false);
        await Console.Error.WriteLineAsync(
            $"{program}: {string.Join(" ", parse.Errors.Select(e => e.Message))} Run '{program} --help' for the commands and their options.").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }

    [GeneratedRegex(@"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();

    public static RootCommand Create()
    {
        var root = new RootCommand("LeadRouter: scores sales reps' trust from their Salesforce activity and routes leads on it.");
        root.Options.Add(Set);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
        root.Subcommands.Add(Verbs.Run());
        root.Subcommands.Add(Verbs.Cycle());
        root.Subcommands.Add(Verbs.Sync());
        root.Subcommands.Add(Verbs.Score());
        root.Subcommands.Add(Verbs.Route());
        root.Subcommands.Add(SimulateVerb.Create());
        root.Subcommands.Add(Verbs.Approve());
        root.Subcommands.Add(Verbs.Rules());
        root.Subcommands.Add(Verbs.Migrate());
        return root;
    }
}

/// <summary>Exit codes every verb uses.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;

    /// <summary>A setting, an argument or the rules file is wrong; nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>Salesforce refused: limits reached, authentication failed.</summary>
    public const int Salesforce = 3;
}
