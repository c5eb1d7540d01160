using LeadRouter.IntegrationTests.Browser;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// The HTML digests of the small org in headless Chromium at a phone's width and a laptop's: every
/// section is there, every chart has a size and lies inside the page, nothing scrolls sideways.
/// Full-page screenshots go to TestResults/screenshots beside the test assembly (and are attached to the result).
/// </summary>
[NonParallelizable]
public class DigestBrowserTests
{
    private DigestOrg _org = null!;
    private HeadlessChromium _chromium = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _chromium = await HeadlessChromium.StartOrIgnoreAsync();
        _org = await DigestOrg.SharedAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
    }

    public static string ScreenshotFolder => Path.Combine(TestContext.CurrentContext.WorkDirectory, "TestResults", "screenshots");

    [TestCase(390)]
    [TestCase(1280)]
    public async Task EveryDigestShowsEverySectionAndFitsTheWidth(int width)
    {
        foreach (var digest in _org.Digests)
        {
            var screenshot = Path.Combine(ScreenshotFolder, $"digest-{digest.ManagerId}-{width}.png");
            var page = await _chromium.OpenAsync(digest.Path, width, screenshot);
            TestContext.AddTestAttachment(screenshot);

            var reps = digest.Digest.Reps.Count;
            Assert.That(page.Viewport, Is.EqualTo(width));
            Assert.That(page.Sections, Is.SupersetOf(new[] { "team", "approvals", "mirror", "reps" }));
            Assert.That(page.RepSections, Is.EqualTo(reps));
            Assert.That(page.Charts.Count(c => c.Class.Contains("spark")), Is.EqualTo(reps));
            Assert.That(page.Charts.Count(c => c.Class.Contains("trust-bar")), Is.EqualTo(reps));
            Assert.That(page.Charts.Count(c => c.Class.Contains("components")), Is.EqualTo(reps));
            page.AssertFitsTheWidth(digest.Path);
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(0));
        }
    }
}
