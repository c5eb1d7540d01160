using LeadRouter.IntegrationTests.Browser;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Worker.Cli;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// The HTML report of `simulate --html` (alone and with --baseline) on the digest tests' small org, in
/// headless Chromium at a phone's width and a laptop's: every section is there, both charts have a size
/// and lie inside the page, nothing scrolls sideways. Screenshots go where the digest's do.
/// </summary>
[NonParallelizable]
public class SimulationBrowserTests
{
    private static readonly string[] Sections = ["summary", "reps", "tiers", "unroutable", "actual"];

    private HeadlessChromium _chromium = null!;
    private readonly Dictionary<string, string> _reports = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _chromium = await HeadlessChromium.StartOrIgnoreAsync();
        var org = await DigestOrg.SharedAsync();
        var rules = org.Rig.Settings["LeadRouter:RulesFile"]!;
        foreach (var (name, extra) in new[] { ("rules", Array.Empty<string>()), ("baseline", new[] { "--baseline", rules }) })
        {
            var file = Path.Combine(org.Rig.Folder, $"simulation-{name}.html");
            var run = await CliConsole.RunAsync([.. org.Rig.SetOptions(), "simulate", "--rules", rules, "--as-of", "2026-11-23T07:00:00Z", "--html", file, .. extra]);
            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Ok), run.Errors);
            _reports[name] = file;
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
    }

    [TestCase("rules", 390)]
    [TestCase("rules", 1280)]
    [TestCase("baseline", 390)]
    [TestCase("baseline", 1280)]
    public async Task ReportShowsEverySectionAndItsChartsFitTheWidth(string report, int width)
    {
        var screenshot = Path.Combine(DigestBrowserTests.ScreenshotFolder, $"simulation-{report}-{width}.png");
        var page = await _chromium.OpenAsync(_reports[report], width, screenshot);
        TestContext.AddTestAttachment(screenshot);

        Assert.That(page.Viewport, Is.EqualTo(width));
        Assert.That(page.Sections, Is.EqualTo(Sections));
        Assert.That(page.Charts.Select(c => c.Class), Is.EqualTo(new[] { "chart scatter", "chart tier-shares" }));
        page.AssertFitsTheWidth(_reports[report]);
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(0));
    }
}
