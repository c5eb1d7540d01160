using System.CommandLine;
using System.Globalization;

namespace LeadRouter.Worker.Cli;

/// <summary>The `leadrouter` command line: one verb per job, each with --help and meaningful exit codes.</summary>
public static class LeadRouterCli
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
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
                return value;
            result.AddError($"--as-of: '{text}' is not a date and time (ISO 8601, e.g. 2026-11-23T07:00:00Z).");
            return null;
        },
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("LeadRouter: scores sales reps' trust from their Salesforce activity and routes leads on it.");
        root.Options.Add(Set);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
        root.Subcommands.Add(Verbs.Run());
        root.Subcommands.Add(Verbs.Demo());
        root.Subcommands.Add(Verbs.Cycle());
        root.Subcommands.Add(Verbs.Sync());
        root.Subcommands.Add(Verbs.Score());
        root.Subcommands.Add(Verbs.Route());
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
