using System.Text;
using LeadRouter.Storage;

namespace LeadRouter.Tests.Storage;

/// <summary>Packed ids sort as their strings do, and only 18-character ASCII text packs.</summary>
[TestFixture]
public sealed class PackedIdTests
{
    [Test]
    public void KeysOrderAsTheIdsDoOrdinally()
    {
        var random = new Random(7);
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var ids = Enumerable.Range(0, 2_000)
            .Select(_ => new string(Enumerable.Range(0, 18).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            // Ids sharing long prefixes test the low bits.
            .Concat(["00Q000000000000AAA", "00Q000000000000AAB", "00Q000000000000AaA", "00Q000000000000zzz"])
            .ToList();

        var byKey = ids.OrderBy(id => PackedId.TryPack(id.AsSpan(), out var key) ? key : throw new AssertionException(id)).ToList();

        Assert.That(byKey, Is.EqualTo(ids.Order(StringComparer.Ordinal).ToList()));
    }

    [Test]
    public void BytesAndCharactersPackToTheSameKey()
    {
        const string id = "005Wl000001AbCdEFG";
        Assert.Multiple(() =>
        {
            Assert.That(PackedId.TryPack(id.AsSpan(), out var fromChars), Is.True);
            Assert.That(PackedId.TryPack(Encoding.ASCII.GetBytes(id).AsSpan(), out var fromBytes), Is.True);
            Assert.That(fromBytes, Is.EqualTo(fromChars));
        });
    }

    [TestCase("005Wl000001AbCdEF")]
    [TestCase("005Wl000001AbCdEFGH")]
    [TestCase("005Wl000001AbCdEFé")]
    [TestCase("")]
    public void TextOtherThan18AsciiCharactersDoesNotPack(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PackedId.TryPack(text.AsSpan(), out _), Is.False);
            Assert.That(PackedId.TryPack(Encoding.UTF8.GetBytes(text).AsSpan(), out _), Is.False);
        });
    }

    [Test]
    public void TheTableSharesOneStringPerIdThroughItsGrowth()
    {
        var table = new PackedIdStrings();
        // Ids differing only in their last characters, as a sequence of record ids does, past many doublings.
        var ids = Enumerable.Range(0, 50_000).Select(i => $"00T5e{i:D10}AAA").ToList();
        var first = ids.Select(id => table.GetOrAdd(Key(id), Encoding.ASCII.GetBytes(id))).ToList();
        var again = ids.Select(id => table.GetOrAdd(Key(id), new string(id.AsSpan()))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(ids), "each id decoded once, as itself");
            Assert.That(again.Zip(first).All(pair => ReferenceEquals(pair.First, pair.Second)), Is.True, "a later look-up returns the shared string");
            Assert.That(table.GetOrAdd(Key("00T5e0000000000AAB"), "00T5e0000000000AAB"), Is.EqualTo("00T5e0000000000AAB"), "an id not seen yet is added");
        });

        static UInt128 Key(string id) => PackedId.TryPack(id.AsSpan(), out var key) ? key : throw new AssertionException(id);
    }
}
