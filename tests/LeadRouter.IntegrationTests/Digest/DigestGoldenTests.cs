using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadRouter.Digest;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Rules;
using LeadRouter.Testing;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// The digests of the small generated org against golden files: the model as JSON and its text, compared
/// exactly. After an intended change, regenerate them with LEADROUTER_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
[NonParallelizable]
public class DigestGoldenTests
{
    private const string UpdateVariable = "LEADROUTER_UPDATE_GOLDEN";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private DigestOrg _org = null!;

    [OneTimeSetUp]
    public async Task RunFourWeeks() => _org = await DigestOrg.SharedAsync();

    [Test]
    public void ModelMatchesItsGoldenFile() =>
        Golden("digest-small-seed11.json", JsonSerializer.Serialize(_org.Digests.Select(d => Essence(d.Digest)), Json) + "\n");

    [Test]
    public void TextMatchesItsGoldenFile() =>
        Golden("digest-small-seed11.txt", string.Concat(_org.Digests.Select(d => File.ReadAllText(d.TextPath) + "\n")));

    [Test]
    public void EveryRepHasTheStoredWeeksInTheTrendAndEveryLeadOfTheRunIsInADigest()
    {
        var digests = _org.Digests.Select(d => d.Digest).ToList();
        Assert.That(digests.Select(d => d.ManagerId), Is.Unique);
        Assert.That(digests.Sum(d => d.Reps.Count), Is.EqualTo(_org.Last.Trust.Reps.Count), "every rep in exactly one digest");
        foreach (var rep in digests.SelectMany(d => d.Reps))
        {
            Assert.That(rep.Trend, Has.Count.EqualTo(ManagerDigest.TrendLength));
            Assert.That(rep.Trend.Count(t => t is not null), Is.EqualTo(DigestOrg.Weeks), $"{rep.Trust.Name}: one point per stored week");
            Assert.That(rep.Trend[^1], Is.EqualTo(rep.Trust.Trust));
        }
        Assert.That(digests.SelectMany(d => d.Reps).SelectMany(r => r.Leads).Select(l => l.LeadId),
            Is.EquivalentTo(_org.Last.Routing.Decisions.Select(d => d.LeadId)));
        Assert.That(digests.Sum(d => d.AwaitingApproval.Count()),
            Is.EqualTo(_org.Last.Routing.Decisions.Count(d => d.Mode == RoutingMode.Recommend)));
        var moved = digests.Where(d => d.MovedMost is not null).ToList();
        Assert.That(moved, Is.Not.Empty);
        Assert.That(moved.Select(d => d.MovedMost!.Why), Has.All.Not.Null, "last week is stored, so the move is explained");
    }

    [Test]
    public void HtmlIsSelfContainedAndSmall()
    {
        foreach (var digest in _org.Digests)
        {
            var html = File.ReadAllText(digest.Path);
            Assert.That(html, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("src=").And.Not.Contain("url(").And.Not.Contain("@import"));
            Assert.That(html, Does.Contain("id=\"team\"").And.Contain("id=\"approvals\"").And.Contain("id=\"mirror\"").And.Contain("id=\"reps\""));
            // The page before this layout took about 10 KB per rep; this one stays under 6 KB per rep.
            Assert.That(html.Length, Is.LessThan(8_000 + 6_000 * digest.Digest.Reps.Count), $"{digest.Path}: {digest.Digest.Reps.Count} reps");
        }
    }

    /// <summary>The model without what the trust report's own tests cover (raw rates, priors): what the digest shows, ids included.</summary>
    private static object Essence(ManagerDigest d) => new
    {
        d.ManagerId, d.ManagerName, d.ManagerEmail, d.Week, d.AsOf, d.TrendWeeks, d.MovedMost, d.MirrorHelp,
        Reps = d.Reps.Select(r => new
        {
            r.Trust.RepId, r.Trust.Name, Trust = Math.Round(r.Trust.Trust, 2), Confidence = Math.Round(r.Trust.Confidence, 3),
            Change = Math.Round(r.Trust.Change, 2), Trend = r.Trend.Select(t => t is { } v ? Math.Round(v, 2) : (double?)null),
            Components = r.Trust.Components.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Kind} {Math.Round(c.Value, 3)}: {c.Evidence}")),
            Improvements = r.Trust.Improvements.Select(i => i.Text),
            Leads = r.Leads.GroupBy(l => (l.Tier, l.Mode, l.Rule)).Select(g => new { g.Key.Tier, g.Key.Mode, g.Key.Rule, LeadIds = g.Select(l => l.LeadId) }),
            Agenda = r.Agenda.Select(a => new { a.Problem, a.Amount, OpportunityIds = a.Opportunities.Select(o => o.OpportunityId) }),
        }),
    };

    private static void Golden(string name, string actual)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "LeadRouter.IntegrationTests", "Digest", "Golden", name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            Assert.Pass($"{UpdateVariable}=1: wrote {path}; review its diff.");
        }
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run with {UpdateVariable}=1 to create it");
        var expected = File.ReadAllText(path);
        if (expected == actual)
            return;
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(i => expectedLines[i] != actualLines[i], Math.Min(expectedLines.Length, actualLines.Length));
        Assert.Fail($"{name} differs from line {line + 1}:\n  expected: {expectedLines.ElementAtOrDefault(line)}\n  actual:   {actualLines.ElementAtOrDefault(line)}\n" +
                    $"Regenerate with {UpdateVariable}=1 if the change is intended.");
    }
}
