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
}
