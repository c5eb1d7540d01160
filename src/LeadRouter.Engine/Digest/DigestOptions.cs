using System.Globalization;
using System.Net.Mail;

namespace LeadRouter.Digest;

/// <summary>How digests reach managers, section "LeadRouter:Digest" (the folder itself is LeadRouter:DigestFolder).</summary>
public sealed class DigestOptions
{
    public const string SectionPath = "LeadRouter:Digest";

    /// <summary>
    /// Where the digest folder is served (https://reports.example.com/digests/): the WeeklyDigestReady event
    /// carries {BaseUrl}{week}/{managerId}.html. Unset, the event carries the file: URI, usable on this machine only.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>E-mail delivery; off while Smtp:Host is unset.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Every problem, each naming its setting; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(BaseUrl) &&
            (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") ||
             url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            problems.Add($"{SectionPath}:BaseUrl: '{BaseUrl}' is not an http(s) URL without credentials, query or fragment.");
        }
        problems.AddRange(Smtp.Problems());
        return problems;
    }

    /// <summary>The base URL ending with '/', so digest paths resolve under it; null when unset.</summary>
    public Uri? BaseUri() =>
        string.IsNullOrWhiteSpace(BaseUrl) ? null : new Uri(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}

/// <summary>How the SMTP connection is secured (MailKit's options, by name).</summary>
public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Section "LeadRouter:Digest:Smtp". The password is never logged or printed.</summary>
public sealed class SmtpOptions
{
    public const string SectionPath = DigestOptions.SectionPath + ":Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. "LeadRouter &lt;leadrouter@example.com&gt;".</summary>
    public string? From { get; set; }

    /// <summary>Tries per message before it is reported as not sent.</summary>
    public int SendAttempts { get; set; } = 3;

    /// <summary>Wait before the second try; doubled before each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IReadOnlyList<string> Problems()
    {
        if (!Enabled)
            return [];
        var problems = new List<string>();
        if (Port is < 1 or > 65535)
            problems.Add($"{SectionPath}:Port: {Port.ToString(CultureInfo.InvariantCulture)} is not a port (1 to 65535).");
        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _))
            problems.Add($"{SectionPath}:From: '{From}' is not an e-mail address; it is required when {SectionPath}:Host is set.");
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
            problems.Add($"{SectionPath}:UserName and {SectionPath}:Password: set both or neither.");
        if (SendAttempts is < 1 or > 10)
            problems.Add($"{SectionPath}:SendAttempts: {SendAttempts.ToString(CultureInfo.InvariantCulture)} is outside 1 to 10.");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(10))
            problems.Add($"{SectionPath}:RetryDelay: {RetryDelay} is outside 0 to 10 minutes.");
        return problems;
    }
}
