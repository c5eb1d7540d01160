using System.Globalization;
using LeadRouter.SalesforceEmulator.Auth;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.SalesforceEmulator;

/// <summary>The emulator's command line, parsed: how to listen and behave, where the org comes from, where to save it.</summary>
internal sealed record EmulatorCommandLine(EmulatorOptions Options, string? OrgFile, OrgSize? Generate, int Seed, DateTimeOffset? AsOf, string? SaveFile)
{
    public const string DefaultUrl = "http://127.0.0.1:8484";

    public const string Usage = """
        Salesforce emulator: Salesforce's REST API over an in-memory org, on loopback.

        Usage: dotnet run --project src/LeadRouter.SalesforceEmulator -- [options]

        Org
          --org FILE                   load an org file
          --generate SIZE              generate an org: small | medium | large
          --seed N                     generator seed (default 1)
          --as-of DATETIME             generator's "now", ISO 8601 (default: the current time)
          --save FILE                  write the org to FILE on shutdown
        Listening
          --urls URL                   http://IP:PORT to listen on (default http://127.0.0.1:8484)
          --allow-remote               allow a non-loopback address
        Credentials (defaults are test values)
          --username NAME              (default integration@leadrouter.test)
          --password TEXT              (default emulator-password)
          --client-id TEXT             (default leadrouter-emulator-client)
          --client-secret TEXT         (default emulator-client-secret)
          --refresh-token TEXT         (default emulator-refresh-token)
          --jwt-cert FILE              certificate or PEM public key that checks JWT bearer assertions
          --session-timeout MINUTES    idle session lifetime (default 120)
        Org behaviour
          --daily-limit N              API calls per UTC day (default 15000)
          --time-zone ID               IANA time zone for TODAY, LAST_N_DAYS, ... (default UTC)
        Faults (see README)
          --session-expires-after N    sessions die after N data calls
          --unavailable-rate R         share of data calls answered 503 (0..1)
          --latency-ms N               delay added to every data call
          --lock-row-rate R            share of record writes failing UNABLE_TO_LOCK_ROW
          --collection-failure-rate R  share of collection records rejected
          --fault-seed N               seed of the fault dice (default 1)
        """;

    /// <summary>Parses arguments; throws <see cref="ArgumentException"/> naming the option at fault. Null means --help.</summary>
    public static EmulatorCommandLine? Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions { Url = new Uri(DefaultUrl) };
        var faults = FaultSettings.None;
        string? orgFile = null, save = null;
        OrgSize? generate = null;
        int? seed = null;
        DateTimeOffset? asOf = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException($"Option {name} needs a value.");
            switch (name)
            {
                case "--help" or "-h": return null;
                case "--org": orgFile = Value(); break;
                case "--generate": generate = OrgSizes.Parse(Value()); break;
                case "--seed": seed = Int(name, Value()); break;
                case "--as-of": asOf = Moment(name, Value()); break;
                case "--save": save = Value(); break;
                case "--urls": options = options with { Url = ParseUrl(Value()) }; break;
                case "--allow-remote": options = options with { AllowRemote = true }; break;
                case "--username": options = options with { Username = Value() }; break;
                case "--password": options = options with { Password = Value() }; break;
                case "--client-id": options = options with { ClientId = Value() }; break;
                case "--client-secret": options = options with { ClientSecret = Value() }; break;
                case "--refresh-token": options = options with { RefreshToken = Value() }; break;
                case "--jwt-cert": options = options with { JwtPublicKey = JwtAssertion.LoadPublicKey(Value()) }; break;
                case "--session-timeout": options = options with { SessionTimeout = TimeSpan.FromMinutes(Positive(name, Value())) }; break;
                case "--daily-limit": options = options with { DailyApiLimit = Positive(name, Value()) }; break;
                case "--time-zone": options = options with { TimeZone = TimeZone(Value()) }; break;
                case "--session-expires-after": faults = faults with { SessionExpiresAfterCalls = Positive(name, Value()) }; break;
                case "--unavailable-rate": faults = faults with { UnavailableRate = Rate(name, Value()) }; break;
                case "--latency-ms": faults = faults with { LatencyMs = Int(name, Value()) }; break;
                case "--lock-row-rate": faults = faults with { LockRowRate = Rate(name, Value()) }; break;
                case "--collection-failure-rate": faults = faults with { CollectionFailureRate = Rate(name, Value()) }; break;
                case "--fault-seed": faults = faults with { Seed = Int(name, Value()) }; break;
                default: throw new ArgumentException($"Unknown option '{name}'. Run with --help for the list.");
            }
        }
        if (orgFile is not null && generate is not null)
            throw new ArgumentException("Give either --org FILE or --generate SIZE, not both.");
        if (generate is null && (seed is not null || asOf is not null))
            throw new ArgumentException("--seed and --as-of only apply with --generate.");
        faults.Validate();
        options.ListenEndPoint();
        return new EmulatorCommandLine(options with { Faults = faults }, orgFile, generate, seed ?? 1, asOf, save);
    }

    private static DateTimeOffset Moment(string name, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new ArgumentException($"{name} must be an ISO 8601 date-time such as 2026-11-27T09:00:00Z, got '{text}'.");

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.AbsolutePath == "/"
            ? url
            : throw new ArgumentException($"--urls must be an absolute http://IP:PORT URL, got '{text}'.");

    private static int Int(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} must be a whole number, got '{text}'.");

    private static int Positive(string name, string text) =>
        Int(name, text) is var value and > 0 ? value : throw new ArgumentException($"{name} must be at least 1, got '{text}'.");

    private static double Rate(string name, string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new ArgumentException($"{name} must be a share between 0 and 1, got '{text}'.");

    private static TimeZoneInfo TimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ArgumentException($"--time-zone '{id}' is not a known time zone id (e.g. America/New_York).");
        }
    }
}
