using System.Numerics;

namespace LeadRouter.Storage;

/// <summary>
/// An 18-character ASCII text (every stored Salesforce id) packed into one number, 7 bits a character, so
/// that numbers compare as the ordinal strings do. Sorting or looking up a million ids by such keys costs a
/// fraction of hashing or comparing a million strings.
/// </summary>
internal static class PackedId
{
    public const int Length = 18;

    /// <summary>Packs UTF-16 characters or UTF-8 bytes; false for any other length or a non-ASCII character.</summary>
    public static bool TryPack<TChar>(ReadOnlySpan<TChar> text, out UInt128 key)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        key = 0;
        if (text.Length != Length)
            return false;
        foreach (var c in text)
        {
            var code = uint.CreateTruncating(c);
            if (code > 0x7F)
                return false;
            key = (key << 7) | code;
        }
        return true;
    }
}
