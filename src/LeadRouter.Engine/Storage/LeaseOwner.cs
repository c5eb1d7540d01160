using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace LeadRouter.Storage;

/// <summary>
/// Who holds a lease in the store: "host/process id/random". The random part tells apart two hosts in
/// one process and a process id the system has handed out again; host and process id let a restarted
/// process on the same machine see that a lease's holder is gone, and a status line say who holds it.
/// Host names must tell machines apart: containers get their own by default; replicas given one fixed
/// host name would take each other's process ids for gone processes.
/// </summary>
public sealed record LeaseOwner(string Id)
{
    public static LeaseOwner ForThisProcess() => new(string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}"));

    /// <summary>
    /// True only when <paramref name="ownerId"/> names a process on this machine that no longer runs.
    /// Another machine's holder, or one whose id cannot be read, is taken to be alive: its lease runs out.
    /// </summary>
    public static bool IsGone(string ownerId)
    {
        var parts = ownerId.Split('/');
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
            return false;
        if (processId == Environment.ProcessId)
            return false;
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    public override string ToString() => Id;
}
