using System.Globalization;
using LeadRouter.Storage;

namespace LeadRouter.Tests.Storage;

/// <summary>SQLite's moment and date text, written and read digit by digit, agrees with the general formatter and parser.</summary>
[TestFixture]
public sealed class StoreValuesTests
{
    private static readonly DateTimeOffset[] Moments =
    [
        new(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero),
        new(2026, 3, 1, 0, 30, 0, 5, TimeSpan.FromHours(2)),
        new(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
    ];

    [TestCaseSource(nameof(Moments))]
    public void AMomentIsWrittenAsTheGeneralFormatterWritesItAndReadsBackToTheMillisecond(DateTimeOffset moment)
    {
        var text = StoreValues.ToSqliteText(moment.AddTicks(4_321));

        Assert.That(text, Is.EqualTo(moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
        Assert.That(StoreValues.ParseSqliteMoment(text), Is.EqualTo(moment));
        Assert.That(StoreValues.ParseSqliteMoment(text).Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase(1, 1, 1)]
    [TestCase(2024, 2, 29)]
    [TestCase(9999, 12, 31)]
    public void ADateRoundTrips(int year, int month, int day)
    {
        var date = new DateOnly(year, month, day);
        var text = StoreValues.ToSqliteText(date);

        Assert.That(text, Is.EqualTo(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.That(StoreValues.ParseSqliteDate(text), Is.EqualTo(date));
    }

    [TestCase("2026-02-30T00:00:00.000Z")]
    [TestCase("2026-13-01T00:00:00.000Z")]
    [TestCase("2026-01-01T24:00:00.000Z")]
    [TestCase("2026-01-01 00:00:00.000Z")]
    [TestCase("2026-01-0xT00:00:00.000Z")]
    [TestCase("2026-01-01T00:00:00Z")]
    public void TextThatIsNotAStoredMomentIsRefused(string text) =>
        Assert.That(() => StoreValues.ParseSqliteMoment(text), Throws.InstanceOf<FormatException>());

    [TestCase("2026-02-29")]
    [TestCase("2026-1-01")]
    [TestCase("20260101")]
    public void TextThatIsNotAStoredDateIsRefused(string text) =>
        Assert.That(() => StoreValues.ParseSqliteDate(text), Throws.InstanceOf<FormatException>());
}
