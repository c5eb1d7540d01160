using System.Security.Cryptography;
using System.Text;

namespace LeadRouter.Contracts.V1;

/// <summary>
/// Deterministic message ids: a name-based UUID (RFC 9562 version 5, SHA-1) over a message's
/// natural key, so publishing the same fact twice gives the same id and consumers can de-duplicate.
/// </summary>
public static class StableId
{
    /// <summary>The namespace every LeadRouter message id is made in. Never change it: ids would change.</summary>
    public static readonly Guid LeadRouterNamespace = new("6f1d3c2a-8b4e-4f7a-9c1d-2e5b7a9f0c31");

    /// <summary>
    /// The id of a message of <paramref name="kind"/> (e.g. "lead-assignment-recommended") whose
    /// natural key is <paramref name="keyParts"/>: the UUID v5 of "kind|part1|part2...".
    /// </summary>
    /// <exception cref="ArgumentException">A part is empty or contains the separator '|'.</exception>
    public static Guid For(string kind, params IReadOnlyList<string> keyParts)
    {
        CheckPart(kind, nameof(kind));
        if (keyParts.Count == 0)
            throw new ArgumentException("A natural key needs at least one part.", nameof(keyParts));
        for (var i = 0; i < keyParts.Count; i++)
            CheckPart(keyParts[i], $"{nameof(keyParts)}[{i}]");
        return NameBased(LeadRouterNamespace, kind + "|" + string.Join('|', keyParts));
    }

    /// <summary>RFC 9562 version 5 UUID of <paramref name="name"/> (UTF-8) in <paramref name="namespaceId"/>.</summary>
    public static Guid NameBased(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(uuid, bigEndian: true);
    }

    private static void CheckPart(string part, string name)
    {
        if (string.IsNullOrWhiteSpace(part))
            throw new ArgumentException($"Natural key part {name} is empty.", name);
        if (part.Contains('|'))
            throw new ArgumentException($"Natural key part {name} ('{part}') contains the separator '|'.", name);
    }

    /// <summary>The key text of a run id: lower-case "D" format, the same on every machine.</summary>
    internal static string Key(Guid runId) => runId.ToString("D");
}
