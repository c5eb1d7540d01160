namespace LeadRouter.Org;

/// <summary>
/// Salesforce record ids: 15 case-sensitive characters, or 18 with a 3-character suffix that
/// encodes the case of the first 15 so the id survives case-insensitive systems. LeadRouter
/// stores and compares 18-character ids only.
/// </summary>
public static class SalesforceId
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Returns the 18-character form of a 15- or 18-character id; throws with the offending value otherwise.</summary>
    public static string Normalize(string id) =>
        TryNormalize(id, out var normalized)
            ? normalized
            : throw new FormatException($"'{id}' is not a Salesforce id: expected 15 or 18 letters and digits.");

    public static bool TryNormalize(string? id, out string normalized)
    {
        normalized = "";
        if (id is null || (id.Length != 15 && id.Length != 18))
            return false;
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                return false;
        }
        var suffix = Suffix(id.AsSpan(0, 15));
        if (id.Length == 18)
        {
            // An 18-character id is accepted when its suffix matches, ignoring case as Salesforce does.
            if (!id.AsSpan(15).Equals(suffix, StringComparison.OrdinalIgnoreCase))
                return false;
            normalized = string.Concat(id.AsSpan(0, 15), suffix);
            return true;
        }
        normalized = string.Concat(id, suffix);
        return true;
    }

    /// <summary>
    /// Builds an 18-character id from a 3-character key prefix (e.g. "005" for User) and a sequence
    /// number, as the emulator and the org generator mint them: prefix, pod "5e", reserved "0", and the
    /// sequence in base 62 over 9 characters.
    /// </summary>
    public static string Create(string keyPrefix, long sequence)
    {
        if (keyPrefix.Length != 3)
            throw new ArgumentException($"Key prefix '{keyPrefix}' must have 3 characters.", nameof(keyPrefix));
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        Span<char> id = stackalloc char[15];
        keyPrefix.AsSpan().CopyTo(id);
        id[3] = '5';
        id[4] = 'e';
        id[5] = '0';
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(sequence % 62)];
            sequence /= 62;
        }
        if (sequence != 0)
            throw new ArgumentOutOfRangeException(nameof(sequence), "Sequence does not fit in 9 base-62 digits.");
        return string.Concat(id, Suffix(id));
    }

    private static string Suffix(ReadOnlySpan<char> id15)
    {
        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id15[chunk * 5 + i]))
                    bits |= 1 << i;
            }
            suffix[chunk] = SuffixAlphabet[bits];
        }
        return new string(suffix);
    }
}
