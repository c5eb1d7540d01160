using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using LeadRouter.SalesforceEmulator.Auth;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.SalesforceEmulator;

/// <summary>The emulator's command line, parsed: how to listen and behave, where the org comes from, where to save it.</summary>
internal sealed record EmulatorCommandLine(EmulatorOptions Options, string? OrgFile, OrgSize? Generate, int Seed, DateTimeOffset? AsOf, string? SaveFile)
{
    public const string DefaultUrl = "http://127.0.0.1:8484";

    private static readonly Option<string> OrgOption = new("--org") { Description = "Load an org file.", HelpName = "FILE" };
    private static readonly Option<string> GenerateOption = new("--generate") { Description = "Generate an org: small | medium | large.", HelpName = "SIZE" };
    private static readonly Option<string> SeedOption = new("--seed") { Description = "Generator seed (default 1).", HelpName = "N" };
    private static readonly Option<string> AsOfOption = new("--as-of") { Description = "Generator's \"now\", ISO 8601 (default: the current time).", HelpName = "DATETIME" };
    private static readonly Option<string> SaveOption = new("--save") { Description = "Write the org to FILE on shutdown.", HelpName = "FILE" };
    private static readonly Option<string> UrlsOption = new("--urls") { Description = $"http://IP:PORT to listen on (default {DefaultUrl}).", HelpName = "URL" };
    private static readonly Option<bool> AllowRemoteOption = new("--allow-remote") { Description = "Allow a non-loopback address." };
    private static readonly Option<string> UsernameOption = new("--username") { Description = $"Integration user (default {EmulatorOptions.DefaultUsername}).", HelpName = "NAME" };
    private static readonly Option<string> PasswordOption = new("--password") { Description = "Password (default: the test value).", HelpName = "TEXT" };
    private static readonly Option<string> ClientIdOption = new("--client-id") { Description = $"Connected app consumer key (default {EmulatorOptions.DefaultClientId}).", HelpName = "TEXT" };
    private static readonly Option<string> ClientSecretOption = new("--client-secret") { Description = "Consumer secret (default: the test value).", HelpName = "TEXT" };
    private static readonly Option<string> RefreshTokenOption = new("--refresh-token") { Description = "Refresh token (default: the test value).", HelpName = "TEXT" };
    private static readonly Option<string> JwtCertOption = new("--jwt-cert") { Description = "Certificate or PEM public key that checks JWT bearer assertions.", HelpName = "FILE" };
    private static readonly Option<string> SessionTimeoutOption = new("--session-timeout") { Description = "Idle session lifetime (default 120).", HelpName = "MINUTES" };
    private static readonly Option<string> DailyLimitOption = new("--daily-limit") { Description = "API calls per UTC day (default 15000).", HelpName = "N" };
    private static readonly Option<string> TimeZoneOption = new("--time-zone") { Description = "IANA time zone for TODAY, LAST_N_DAYS, ... (default UTC).", HelpName = "ID" };
    private static readonly Option<string> SessionExpiresOption = new("--session-expires-after") { Description = "Fault: sessions die after N data calls.", HelpName = "N" };
    private static readonly Option<string> UnavailableRateOption = new("--unavailable-rate") { Description = "Fault: share of data calls answered 503 (0..1).", HelpName = "R" };
    private static readonly Option<string> LatencyOption = new("--latency-ms") { Description = "Fault: delay added to every data call.", HelpName = "N" };
    private static readonly Option<string> LockRowRateOption = new("--lock-row-rate") { Description = "Fault: share of record writes failing UNABLE_TO_LOCK_ROW.", HelpName = "R" };
    private static readonly Option<string> CollectionFailureRateOption = new("--collection-failure-rate") { Description = "Fault: share of collection records rejected.", HelpName = "R" };
    private static readonly Option<string> FaultSeedOption = new("--fault-seed") { Description = "Seed of the fault dice (default 1).", HelpName = "N" };

    /// <summary>The command: its options, and --help generated from them. Declared after the options it holds.</summary>
    public static RootCommand Command { get; } = new("Salesforce emulator: Salesforce's REST API over an in-memory org, on loopback.")
    {
        OrgOption, GenerateOption, SeedOption, AsOfOption, SaveOption, UrlsOption, AllowRemoteOption,
        UsernameOption, PasswordOption, ClientIdOption, ClientSecretOption, RefreshTokenOption, JwtCertOption, SessionTimeoutOption,
        DailyLimitOption, TimeZoneOption,
        SessionExpiresOption, UnavailableRateOption, LatencyOption, LockRowRateOption, CollectionFailureRateOption, FaultSeedOption,
    };

    /// <summary>Parses arguments; throws <see cref="ArgumentException"/> naming the option at fault. Null means --help.</summary>
    public static EmulatorCommandLine? Parse(IReadOnlyList<string> args)
    {
        var parse = Command.Parse(args);
        if (parse.Errors.Count > 0)
            throw new ArgumentException(string.Join(" ", parse.Errors.Select(e => e.Message)) + " Run with --help for the list.");
        if (parse.Action is HelpAction)
            return null;

        string? Text(Option<string> option) => parse.GetValue(option);
        T? Read<T>(Option<string> option, Func<string, string, T> convert)
            where T : struct => Text(option) is { } text ? convert(option.Name, text) : null;

        var options = new EmulatorOptions { Url = ParseUrl(Text(UrlsOption) ?? DefaultUrl), AllowRemote = parse.GetValue(AllowRemoteOption) };
        options = options with
        {
            Username = Text(UsernameOption) ?? options.Username,
            Password = Text(PasswordOption) ?? options.Password,
            ClientId = Text(ClientIdOption) ?? options.ClientId,
            ClientSecret = Text(ClientSecretOption) ?? options.ClientSecret,
            RefreshToken = Text(RefreshTokenOption) ?? options.RefreshToken,
            JwtPublicKey = Text(JwtCertOption) is { } cert ? JwtAssertion.LoadPublicKey(cert) : options.JwtPublicKey,
            SessionTimeout = Read(SessionTimeoutOption, Positive) is { } minutes ? TimeSpan.FromMinutes(minutes) : options.SessionTimeout,
            DailyApiLimit = Read(DailyLimitOption, Positive) ?? options.DailyApiLimit,
            TimeZone = Text(TimeZoneOption) is { } zone ? TimeZone(zone) : options.TimeZone,
        };
        var faults = FaultSettings.None with
        {
            SessionExpiresAfterCalls = Read(SessionExpiresOption, Positive),
            UnavailableRate = Read(UnavailableRateOption, Rate) ?? 0,
            LatencyMs = Read(LatencyOption, Int) ?? 0,
            LockRowRate = Read(LockRowRateOption, Rate) ?? 0,
            CollectionFailureRate = Read(CollectionFailureRateOption, Rate) ?? 0,
            Seed = Read(FaultSeedOption, Int) ?? FaultSettings.None.Seed,
        };
        var orgFile = Text(OrgOption);
        OrgSize? generate = Text(GenerateOption) is { } size ? OrgSizes.Parse(size) : null;
        var seed = Read(SeedOption, Int);
        var asOf = Read(AsOfOption, Moment);
        if (orgFile is not null && generate is not null)
            throw new ArgumentException("Give either --org FILE or --generate SIZE, not both.");
        if (generate is null && (seed is not null || asOf is not null))
            throw new ArgumentException("--seed and --as-of only apply with --generate.");
        faults.Validate();
        options.ListenEndPoint();
        return new EmulatorCommandLine(options with { Faults = faults }, orgFile, generate, seed ?? 1, asOf, Text(SaveOption));
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
