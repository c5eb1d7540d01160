using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LeadRouter.Salesforce;

/// <summary>How LeadRouter signs in to the org (OAuth 2.0 flows Salesforce supports for a server).</summary>
public enum SalesforceAuthFlow
{
    /// <summary>Connected app client id and secret plus a user's username and password (+ security token).</summary>
    UsernamePassword,

    /// <summary>JWT bearer: an RS256 assertion signed with the connected app's private key; no password.</summary>
    JwtBearer,

    /// <summary>Client credentials: the connected app's run-as user; the login URL must be the org's My Domain.</summary>
    ClientCredentials,

    /// <summary>A refresh token obtained once, interactively, for the integration user.</summary>
    RefreshToken,
}

/// <summary>
/// Settings of the Salesforce client, bound from the "Salesforce" configuration section.
/// Secrets (password, security token, client secret, private key, refresh token) never appear in
/// <see cref="ToString"/> or in validation messages.
/// </summary>
public sealed record SalesforceOptions
{
    public const string SectionName = "Salesforce";
    public const string DefaultApiVersion = "v62.0";

    /// <summary>Where tokens are requested: https://login.salesforce.com, https://test.salesforce.com or the org's My Domain.</summary>
    public Uri? LoginUrl { get; init; }

    /// <summary>When set, REST calls go here instead of the instance_url the token response names (an emulator, a proxy).</summary>
    public Uri? InstanceUrl { get; init; }

    public string ApiVersion { get; init; } = DefaultApiVersion;

    public SalesforceAuthFlow AuthFlow { get; init; } = SalesforceAuthFlow.JwtBearer;

    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>Appended to the password in the username-password flow when the org requires it.</summary>
    public string? SecurityToken { get; init; }

    /// <summary>The connected app certificate's RSA private key, PEM text (JWT bearer flow).</summary>
    public string? PrivateKeyPem { get; init; }

    public string? RefreshToken { get; init; }

    /// <summary>Records per query page asked of Salesforce (Sforce-Query-Options batchSize, 200 to 2000).</summary>
    public int QueryBatchSize { get; init; } = 2000;

    /// <summary>The share of the org's daily API allowance one pull may take up to (0 to 1).</summary>
    public double ApiBudgetShare { get; init; } = 0.5;

    /// <summary>Retries of a request that failed transiently (503, UNABLE_TO_LOCK_ROW, timeout, connection reset).</summary>
    public int MaxRetries { get; init; } = 4;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a Bulk API 2.0 query job may take to finish (waits between looks at its state added up) before
    /// it is aborted and the read fails.
    /// </summary>
    public TimeSpan BulkJobTimeout { get; init; } = TimeSpan.FromMinutes(30);

    private static readonly Regex ApiVersionPattern = new(@"^v[1-9][0-9]{1,2}\.0$", RegexOptions.CultureInvariant);

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        CheckUrl(LoginUrl, nameof(LoginUrl), required: true, problems);
        CheckUrl(InstanceUrl, nameof(InstanceUrl), required: false, problems);
        if (ApiVersion is null || !ApiVersionPattern.IsMatch(ApiVersion))
            problems.Add($"{Setting(nameof(ApiVersion))} must look like \"{DefaultApiVersion}\" (was \"{ApiVersion}\").");
        if (!Enum.IsDefined(AuthFlow))
            problems.Add($"{Setting(nameof(AuthFlow))} must be one of {string.Join(", ", Enum.GetNames<SalesforceAuthFlow>())}.");

        Require(ClientId, nameof(ClientId), problems);
        switch (AuthFlow)
        {
            case SalesforceAuthFlow.UsernamePassword:
                Require(ClientSecret, nameof(ClientSecret), problems);
                Require(Username, nameof(Username), problems);
                Require(Password, nameof(Password), problems);
                break;
            case SalesforceAuthFlow.JwtBearer:
                Require(Username, nameof(Username), problems);
                if (Require(PrivateKeyPem, nameof(PrivateKeyPem), problems) && !IsRsaPrivateKey(PrivateKeyPem!))
                    problems.Add($"{Setting(nameof(PrivateKeyPem))} is not an RSA private key in PEM form.");
                break;
            case SalesforceAuthFlow.ClientCredentials:
                Require(ClientSecret, nameof(ClientSecret), problems);
                break;
            case SalesforceAuthFlow.RefreshToken:
                Require(RefreshToken, nameof(RefreshToken), problems);
                break;
        }

        if (QueryBatchSize is < 200 or > 2000)
            problems.Add($"{Setting(nameof(QueryBatchSize))} must be between 200 and 2000 (was {QueryBatchSize}).");
        if (!(ApiBudgetShare > 0 && ApiBudgetShare <= 1))
            problems.Add($"{Setting(nameof(ApiBudgetShare))} must be above 0 and at most 1 (was {ApiBudgetShare.ToString(CultureInfo.InvariantCulture)}).");
        if (MaxRetries is < 0 or > 10)
            problems.Add($"{Setting(nameof(MaxRetries))} must be between 0 and 10 (was {MaxRetries}).");
        if (RetryBaseDelay < TimeSpan.Zero)
            problems.Add($"{Setting(nameof(RetryBaseDelay))} must not be negative (was {RetryBaseDelay}).");
        if (RetryMaxDelay < RetryBaseDelay)
            problems.Add($"{Setting(nameof(RetryMaxDelay))} must be at least {Setting(nameof(RetryBaseDelay))} (was {RetryMaxDelay}).");
        if (BulkJobTimeout <= TimeSpan.Zero)
            problems.Add($"{Setting(nameof(BulkJobTimeout))} must be positive (was {BulkJobTimeout}).");
        return problems;
    }

    /// <summary>Throws <see cref="SalesforceOptionsException"/> listing every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new SalesforceOptionsException(problems);
    }

    public override string ToString() =>
        $"SalesforceOptions {{ LoginUrl = {LoginUrl}, InstanceUrl = {InstanceUrl}, ApiVersion = {ApiVersion}, " +
        $"AuthFlow = {AuthFlow}, ClientId = {ClientId}, Username = {Username}, " +
        $"QueryBatchSize = {QueryBatchSize}, ApiBudgetShare = {ApiBudgetShare.ToString(CultureInfo.InvariantCulture)}, " +
        $"MaxRetries = {MaxRetries} }}";

    private static string Setting(string name) => $"{SectionName}:{name}";

    private static bool Require(string? value, string name, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(value))
            return true;
        problems.Add($"{Setting(name)} is required for the configured {Setting(nameof(AuthFlow))}.");
        return false;
    }

    private static void CheckUrl(Uri? url, string name, bool required, List<string> problems)
    {
        if (url is null)
        {
            if (required)
                problems.Add($"{Setting(name)} is required (e.g. https://login.salesforce.com).");
            return;
        }
        if (!url.IsAbsoluteUri)
        {
            problems.Add($"{Setting(name)} must be an absolute URL (was \"{url}\").");
            return;
        }
        // Credentials and tokens travel over this URL: plain http only to this machine (the emulator).
        var secure = url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
        if (!secure)
            problems.Add($"{Setting(name)} must use https (http is allowed for loopback addresses only); was \"{url}\".");
        if (url.AbsolutePath != "/" || url.Query.Length > 0)
            problems.Add($"{Setting(name)} must be a bare origin such as https://login.salesforce.com (was \"{url}\").");
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            // A public key imports too; signing needs the private part.
            rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>The Salesforce settings are not usable; <see cref="Problems"/> names each bad setting.</summary>
public sealed class SalesforceOptionsException(IReadOnlyList<string> problems)
    : Exception("Salesforce settings are invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
