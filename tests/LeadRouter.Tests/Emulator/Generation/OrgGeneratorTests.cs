using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.Tests.Emulator.Generation;

public class OrgGeneratorTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 26, 15, 30, 0, TimeSpan.Zero);
    private static readonly HashSet<Type> ClrValueTypes =
        [typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(decimal), typeof(DateOnly), typeof(DateTimeOffset)];

    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["User"] = "005", ["Group"] = "00G", ["QueueSobject"] = "03g", ["Account"] = "001", ["Contact"] = "003",
        ["Opportunity"] = "006", ["OpportunityContactRole"] = "00K", ["OpportunityHistory"] = "008", ["Event"] = "00U",
        ["EventRelation"] = "0RE", ["Task"] = "00T", ["Lead"] = "00Q",
    };

    /// <summary>Every lookup the generator writes and the types it may point at.</summary>
    private static readonly (string Type, string Field, string[] Targets)[] Lookups =
    [
        ("User", "ManagerId", ["User"]),
        ("QueueSobject", "QueueId", ["Group"]),
        ("Account", "OwnerId", ["User"]),
        ("Contact", "AccountId", ["Account"]), ("Contact", "OwnerId", ["User"]),
        ("Opportunity", "AccountId", ["Account"]), ("Opportunity", "OwnerId", ["User"]),
        ("OpportunityContactRole", "OpportunityId", ["Opportunity"]), ("OpportunityContactRole", "ContactId", ["Contact"]),
        ("OpportunityHistory", "OpportunityId", ["Opportunity"]),
        ("Event", "OwnerId", ["User"]), ("Event", "CreatedById", ["User"]), ("Event", "WhatId", ["Opportunity", "Account"]), ("Event", "WhoId", ["Contact", "Lead"]),
        ("Event", "RecurrenceActivityId", ["Event"]),
        ("EventRelation", "EventId", ["Event"]), ("EventRelation", "RelationId", ["User", "Contact", "Lead"]),
        ("Task", "OwnerId", ["User"]), ("Task", "CreatedById", ["User"]), ("Task", "WhatId", ["Opportunity", "Account"]),
        ("Task", "WhoId", ["Contact", "Lead"]),
        ("Lead", "OwnerId", ["User", "Group"]),
    ];

    private GeneratedOrg _small = null!;
    private GeneratedOrg _medium = null!;

    [OneTimeSetUp]
    public void GenerateOrgs()
    {
        _small = OrgGenerator.Generate(OrgSize.Small, 1, AsOf);
        _medium = OrgGenerator.Generate(OrgSize.Medium, 2, AsOf);
    }

    private GeneratedOrg Org(OrgSize size) => size == OrgSize.Small ? _small : _medium;

    [TestCase("small", OrgSize.Small)]
    [TestCase(" Medium ", OrgSize.Medium)]
    [TestCase("LARGE", OrgSize.Large)]
    public void SizesParseByName(string text, OrgSize expected) =>
        Assert.That(OrgSizes.Parse(text), Is.EqualTo(expected));

    [TestCase("huge")]
    [TestCase("")]
    [TestCase(null)]
    public void UnknownSizesAreRejectedByName(string? text) =>
        Assert.That(() => OrgSizes.Parse(text), Throws.ArgumentException
            .With.Message.Contains($"'{text}'").And.Message.Contains("small, medium or large"));

    [Test]
    public void SameSeedAndMomentGiveTheSameOrg()
    {
        Assert.That(OrgHashing.Hash(OrgGenerator.Generate(OrgSize.Small, 1, AsOf)), Is.EqualTo(OrgHashing.Hash(_small)));
        Assert.That(OrgHashing.Hash(OrgGenerator.Generate(OrgSize.Medium, 2, AsOf)), Is.EqualTo(OrgHashing.Hash(_medium)));
    }

    [Test]
    public void AnotherSeedOrMomentGivesAnotherOrg()
    {
        var hash = OrgHashing.Hash(_small);
        Assert.That(OrgHashing.Hash(OrgGenerator.Generate(OrgSize.Small, 3, AsOf)), Is.Not.EqualTo(hash));
        Assert.That(OrgHashing.Hash(OrgGenerator.Generate(OrgSize.Small, 1, AsOf.AddDays(1))), Is.Not.EqualTo(hash));
    }

    [Test]
    public void SmallOrgHasTwentyRepsUnderThreeManagers()
    {
        var summary = _small.Summary;
        Assert.That(_small.RepPersonas, Has.Count.EqualTo(20));
        Assert.That(_small.ManagerPersonas, Has.Count.EqualTo(3));
        Assert.That(summary.CountOf("User"), Is.EqualTo(1 + 1 + 3 + 20), "CEO, VP, managers, reps");
        Assert.That(summary.QueuedLeads, Is.EqualTo(1_000).Within(10).Percent);
    }

    [Test]
    public void MediumOrgIsATenthOfTheLargeTargets()
    {
        var summary = _medium.Summary;
        Assert.That(_medium.RepPersonas, Has.Count.EqualTo(200));
        Assert.That(_medium.ManagerPersonas, Has.Count.EqualTo(25));
        Assert.That(summary.TasksAndEvents, Is.EqualTo(100_000).Within(15).Percent);
        Assert.That(summary.OpenOpportunities, Is.EqualTo(6_000).Within(15).Percent);
        Assert.That(summary.QueuedLeads, Is.EqualTo(10_000).Within(5).Percent);
    }

    [TestCase(OrgSize.Small)]
    [TestCase(OrgSize.Medium)]
    public void EveryRecordHasAValidIdOfItsTypeAndTheCommonFields(OrgSize size)
    {
        var org = Org(size);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Assert.That(org.Records.Keys, Is.EquivalentTo(Prefixes.Keys));
        foreach (var (type, records) in org.Records)
        {
            foreach (var record in records)
            {
                var id = record["Id"] as string;
                Assert.That(SalesforceId.TryNormalize(id, out var normalized) && normalized == id, Is.True, $"{type} id '{id}' is not an 18-character id");
                Assert.That(id, Does.StartWith(Prefixes[type]), type);
                Assert.That(ids.Add(id!), Is.True, $"duplicate id {id}");
                Assert.That(record["IsDeleted"], Is.TypeOf<bool>(), id);
                var created = (DateTimeOffset)record["CreatedDate"]!;
                var modified = (DateTimeOffset)record["SystemModstamp"]!;
                Assert.That(created.Offset, Is.EqualTo(TimeSpan.Zero), id);
                Assert.That(created, Is.LessThanOrEqualTo(modified), id);
                Assert.That(modified, Is.LessThanOrEqualTo(org.AsOf), $"{id} modified after the as-of moment");
                foreach (var (field, value) in record)
                    Assert.That(value is null || ClrValueTypes.Contains(value.GetType()), Is.True, $"{id}.{field} holds a {value?.GetType()}");
            }
        }
    }

    [TestCase(OrgSize.Small)]
    [TestCase(OrgSize.Medium)]
    public void EveryLookupPointsAtARecordOfTheRightType(OrgSize size)
    {
        var org = Org(size);
        var typeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (type, records) in org.Records)
        {
            foreach (var record in records)
                typeOf[(string)record["Id"]!] = type;
        }
        var checkedLookups = 0;
        foreach (var (type, field, targets) in Lookups)
        {
            foreach (var record in org.Records[type])
            {
                if (record[field] is not string target)
                    continue;
                checkedLookups++;
                Assert.That(typeOf.TryGetValue(target, out var targetType) && targets.Contains(targetType), Is.True,
                    $"{record["Id"]}.{field} = {target} is not a {string.Join(" or ", targets)}");
            }
        }
        Assert.That(checkedLookups, Is.GreaterThan(org.Summary.TasksAndEvents));
    }

    [TestCase(OrgSize.Small)]
    [TestCase(OrgSize.Medium)]
    public void EveryPersonaIsPresent(OrgSize size)
    {
        var summary = Org(size).Summary;
        Assert.That(summary.RepsByPersona.Values, Has.All.GreaterThan(0), string.Join(", ", summary.RepsByPersona));
        Assert.That(summary.ManagersByPersona.Values, Has.All.GreaterThan(0), string.Join(", ", summary.ManagersByPersona));
        Assert.That(summary.RepsByPersona.Keys, Is.EquivalentTo(Enum.GetValues<RepPersona>()));
    }

    [TestCase(OrgSize.Small)]
    [TestCase(OrgSize.Medium)]
    public void LeadsSitInQueuesWithPeopleConvertedAndClosed(OrgSize size)
    {
        var org = Org(size);
        var summary = org.Summary;
        Assert.That(summary.QueuedLeads, Is.GreaterThan(summary.LeadsOwnedByUsers + summary.ConvertedLeads + summary.ClosedLeads));
        Assert.That(summary.LeadsOwnedByUsers, Is.GreaterThan(0));
        Assert.That(summary.ConvertedLeads, Is.GreaterThan(0));
        Assert.That(summary.ClosedLeads, Is.GreaterThan(0));

        var leadQueues = org.Records["QueueSobject"].Where(q => (string?)q["SobjectType"] == "Lead").Select(q => (string)q["QueueId"]!).ToHashSet();
        var queueNames = org.Records["Group"].Where(g => leadQueues.Contains((string)g["Id"]!)).Select(g => (string)g["DeveloperName"]!);
        Assert.That(queueNames, Is.SupersetOf(new[] { "Inbound_Leads", "Partner_Leads" }));
        var leads = org.Records["Lead"];
        foreach (var lead in leads.Where(l => IdPrefix.IsQueue(l["OwnerId"] as string)))
            Assert.That(leadQueues, Does.Contain(lead["OwnerId"]), "a lead queue owns it");
        foreach (var lead in leads.Where(l => l["IsConverted"] is true))
        {
            Assert.That(IdPrefix.IsUser(lead["OwnerId"] as string), Is.True, "converted leads belong to users");
            Assert.That(lead["Status"], Is.EqualTo("Closed - Converted"));
        }
        var countries = leads.Select(l => l["Country"] as string).ToHashSet();
        Assert.That(countries, Is.SupersetOf(new[] { "US", "GB", "DE", "FR", "Atlantis", null }));
    }

    [Test]
    public void UsersHaveUniqueUsernamesAndAnOrgChart()
    {
        var users = _medium.Records["User"];
        Assert.That(users.Select(u => u["Username"]), Is.Unique);
        Assert.That(users.Where(u => u["ManagerId"] is null).ToList(), Has.Count.EqualTo(1), "only the CEO has no manager");
        foreach (var user in users)
        {
            Assert.That(user["Name"], Is.EqualTo($"{user["FirstName"]} {user["LastName"]}"));
            Assert.That((string)user["Username"]!, Does.Match(@"^[a-z]+\.[a-z]+\d*@acme\.example$"));
        }
        var byId = users.ToDictionary(u => (string)u["Id"]!);
        foreach (var (repId, _) in _medium.RepPersonas)
            Assert.That(_medium.ManagerPersonas.ContainsKey((string)byId[repId]["ManagerId"]!), Is.True, "a rep reports to a first-line manager");
        var departed = _medium.RepPersonas.Where(p => p.Value == RepPersona.Departed).Select(p => p.Key).ToList();
        Assert.That(departed.Select(id => byId[id]["IsActive"]), Has.All.EqualTo(false));
        Assert.That(users.Count(u => u["IsActive"] is false), Is.EqualTo(departed.Count));
    }
}
