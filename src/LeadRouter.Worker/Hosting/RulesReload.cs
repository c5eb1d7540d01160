using System.Security.Cryptography;
using LeadRouter.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Hosting;

/// <summary>
/// The rules in force. The services that route, score, sync and assign are built from
/// <see cref="Current"/> each time they are resolved (each job firing, each consumed batch), so a
/// reloaded rules file applies from the next one on.
/// </summary>
public sealed class RulesSource(string path, RoutingRules rules)
{
    private RoutingRules _current = rules;

    public string Path { get; } = path;

    public RoutingRules Current => Volatile.Read(ref _current);

    internal void Replace(RoutingRules rules) => Volatile.Write(ref _current, rules);
}

/// <summary>
/// For `leadrouter run`: re-reads the rules file when its content changes (polled, so a Kubernetes
/// ConfigMap's symlink swap is seen as surely as an edit in place). A new file is validated first;
/// one with errors, or one that moves the org's time zone the schedule was built in, is refused:
/// the last good rules stay in force and the log says why, once per bad version.
/// </summary>
public sealed class RulesFileWatcher(RulesSource rules, LeadRouterOptions options, TimeProvider time, ILogger<RulesFileWatcher> logger)
    : BackgroundService
{
    /// <summary>The content last looked at (good or bad), so each version is loaded and reported once.</summary>
    private byte[] _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.RulesReloadInterval, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Mid-replace, or removed: keep the rules in force and look again next time.
                logger.LogWarning("Rules file {Path} could not be read ({Error}); the rules in force stay", rules.Path, e.Message);
            }
        }
    }

    /// <summary>Loads the file if it changed since last seen; returns whether new rules are now in force.</summary>
    internal async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        var content = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var fingerprint = Fingerprint(content);
        if (fingerprint.AsSpan().SequenceEqual(_seen))
            return false;
        _seen = fingerprint;

        var loaded = RulesFile.Load(rules.Path);
        var inForce = rules.Current;
        if (loaded.Rules?.Hash == inForce.Hash)
            return false;
        if (loaded.Rules is not { } candidate)
        {
            logger.LogError("Rules file {Path} changed but is not valid; the rules in force ({Version}, {Hash}) stay. {Errors}",
                rules.Path, inForce.Version, inForce.Hash, string.Join("; ", loaded.Errors));
            return false;
        }
        if (!string.Equals(candidate.Trust.TimeZone, inForce.Trust.TimeZone, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogError(
                "Rules file {Path} moves trust.timeZone from {From} to {To}; the schedule runs in the zone it started with, so the rules in force ({Version}, {Hash}) stay until the worker restarts",
                rules.Path, inForce.Trust.TimeZone, candidate.Trust.TimeZone, inForce.Version, inForce.Hash);
            return false;
        }
        rules.Replace(candidate);
        logger.LogInformation("Rules file {Path} reloaded: version {Version}, hash {Hash}", rules.Path, candidate.Version, candidate.Hash);
        return true;
    }

    private Task<byte[]> ReadAsync(CancellationToken cancellationToken) => File.ReadAllBytesAsync(rules.Path, cancellationToken);

    private static byte[] Fingerprint(byte[] content) => SHA256.HashData(content);
}
