using System.Numerics;
using System.Text;

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

/// <summary>
/// One shared string per packed id (see <see cref="PackedId"/>), for a snapshot's id columns: a million
/// look-ups per load. Open addressing over flat arrays with a multiplicative hash, because a
/// <see cref="Dictionary{TKey, TValue}"/> of 128-bit keys spent 7% of a replay's CPU in its buckets,
/// entries and hashing (perf, `simulate` on the large org).
/// </summary>
internal sealed class PackedIdStrings
{
    private UInt128[] _keys = new UInt128[64];
    private string?[] _strings = new string?[64];
    private int _count;

    /// <summary>The string shared for <paramref name="key"/>, decoded from <paramref name="ascii"/> the first time only.</summary>
    public string GetOrAdd(UInt128 key, ReadOnlySpan<byte> ascii)
    {
        var slot = Find(key);
        return _strings[slot] ?? Add(slot, key, Encoding.ASCII.GetString(ascii));
    }

    /// <summary>The string shared for <paramref name="key"/>: <paramref name="text"/> itself the first time.</summary>
    public string GetOrAdd(UInt128 key, string text)
    {
        var slot = Find(key);
        return _strings[slot] ?? Add(slot, key, text);
    }

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it belongs.</summary>
    private int Find(UInt128 key)
    {
        var mask = _keys.Length - 1;
        // The low half holds the id's last, most varying characters; the high half is folded in.
        var slot = (int)(((ulong)key ^ (ulong)(key >> 64) * 0x9E3779B97F4A7C15UL) * 0xBF58476D1CE4E5B9UL >> 32) & mask;
        while (_strings[slot] is not null && _keys[slot] != key)
            slot = (slot + 1) & mask;
        return slot;
    }

    private string Add(int slot, UInt128 key, string text)
    {
        _keys[slot] = key;
        _strings[slot] = text;
        // At most half full, so that probes stay short.
        if (++_count * 2 > _keys.Length)
            Grow();
        return text;
    }

    private void Grow()
    {
        var (keys, strings) = (_keys, _strings);
        _keys = new UInt128[keys.Length * 2];
        _strings = new string?[keys.Length * 2];
        for (var i = 0; i < keys.Length; i++)
        {
            if (strings[i] is { } text)
            {
                var slot = Find(keys[i]);
                _keys[slot] = keys[i];
                _strings[slot] = text;
            }
        }
    }
}
