using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace LeadRouter.Digest;

/// <summary>What became of one manager's digest e-mail.</summary>
/// <param name="Error">Why it was not sent (after every attempt); null when sent.</param>
public sealed record DigestMailing(string ManagerId, string? Address, bool Sent, int Attempts, string? Error);

/// <summary>
/// Sends each manager's digest by SMTP (MailKit) as one message with an HTML and a text part, to the
/// manager's e-mail address from Salesforce. A failed send is tried again after a growing delay; one
/// that never goes through is logged as an error and returned, never dropped.
/// </summary>
public sealed class DigestMailer(SmtpOptions options, TimeProvider? time = null, ILogger<DigestMailer>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<DigestMailer>.Instance;

    public async Task<IReadOnlyList<DigestMailing>> SendAsync(IReadOnlyList<WrittenDigest> digests, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<DigestMailing>(digests.Count);
        foreach (var written in digests)
        {
            var address = written.Digest.ManagerEmail;
            if (string.IsNullOrWhiteSpace(address) || !MailboxAddress.TryParse(address, out _))
            {
                outcomes.Add(Failed(written, address, 0, "the manager has no usable e-mail address in Salesforce (User.Email)"));
                continue;
            }
            var message = await MessageAsync(written, address, cancellationToken).ConfigureAwait(false);
            outcomes.Add(await SendWithRetriesAsync(written, address, message, cancellationToken).ConfigureAwait(false));
        }
        return outcomes;
    }

    private async Task<DigestMailing> SendWithRetriesAsync(
        WrittenDigest written, string address, MimeMessage message, CancellationToken cancellationToken)
    {
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var client = new SmtpClient();
                await client.ConnectAsync(options.Host!, options.Port, Security(options.Security), cancellationToken).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(options.UserName))
                    await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken).ConfigureAwait(false);
                await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
                return new DigestMailing(written.ManagerId, address, true, attempt, null);
            }
            catch (Exception e) when (e is not OperationCanceledException && IsSmtpFailure(e))
            {
                if (attempt >= options.SendAttempts)
                    return Failed(written, address, attempt, $"{e.GetType().Name}: {e.Message}");
                _logger.LogWarning("Digest for manager {ManagerId}: try {Attempt} of {Attempts} failed ({Error}); retrying in {Delay}",
                    written.ManagerId, attempt, options.SendAttempts, e.Message, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    private DigestMailing Failed(WrittenDigest written, string? address, int attempts, string error)
    {
        _logger.LogError("Digest for manager {ManagerId} ({Week}) was not e-mailed after {Attempts} tries: {Error}; it is at {Uri}",
            written.ManagerId, written.Digest.Week, attempts, error, written.Uri);
        return new DigestMailing(written.ManagerId, address, false, attempts, error);
    }

    private async Task<MimeMessage> MessageAsync(WrittenDigest written, string address, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From!));
        message.To.Add(new MailboxAddress(written.ManagerName, address));
        message.Subject = $"Weekly digest {written.Digest.Week}: {written.Digest.Reps.Count} reps, " +
                          $"{written.Digest.LeadsRecommended} leads waiting for your approval";
        var body = new BodyBuilder
        {
            TextBody = await File.ReadAllTextAsync(written.TextPath, cancellationToken).ConfigureAwait(false),
            HtmlBody = await File.ReadAllTextAsync(written.Path, cancellationToken).ConfigureAwait(false),
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static bool IsSmtpFailure(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or MailKit.ServiceNotConnectedException or TimeoutException;

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
