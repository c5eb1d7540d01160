using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LeadRouter.IntegrationTests.RealOrg;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.Testing;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>
/// The real jsforce client (from npm, pinned in tests/LeadRouter.IntegrationTests/jsforce) logs in,
/// pages, queries deleted rows and writes through the emulator unchanged.
/// </summary>
public sealed class JsforceClientTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "LeadRouter.IntegrationTests", "jsforce");

    [Test]
    public async Task Jsforce_logs_in_pages_queries_deleted_rows_and_updates_through_the_emulator()
    {
        await EnsurePackagesAsync();
        var options = new EmulatorOptions();
        await using var host = await EmulatorHost.StartAsync(options, TestOrg.WithLeads(4_500, deleted: 5));

        var (exitCode, stdout, stderr) = await RunCheckAsync(host, options, new Dictionary<string, string>
        {
            ["UPDATE_ID"] = TestOrg.LeadId(100),
            ["DELETED_ID"] = TestOrg.LeadId(1),
            ["COLLECTION_IDS"] = $"{TestOrg.LeadId(200)},{TestOrg.LeadId(201)}",
        });

        Assert.That(exitCode, Is.Zero, $"node failed:\n{stderr}\n{stdout}");
        var result = JsonDocument.Parse(stdout).RootElement;
        var live = result.GetProperty("live");
        var collection = result.GetProperty("collection").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("userId").GetString(), Is.EqualTo(TestOrg.UserId));
            Assert.That(result.GetProperty("organizationId").GetString(), Does.StartWith("00D"));
            Assert.That(result.GetProperty("instanceUrl").GetString(), Is.EqualTo(host.BaseAddress.ToString().TrimEnd('/')));
            Assert.That(live.GetProperty("totalSize").GetInt32(), Is.EqualTo(4_495));
            Assert.That(live.GetProperty("fetched").GetInt32(), Is.EqualTo(4_495));
            Assert.That(live.GetProperty("distinct").GetInt32(), Is.EqualTo(4_495));
            Assert.That(live.GetProperty("pages").GetInt32(), Is.EqualTo(3), "2,000 + 2,000 + 495");
            Assert.That(result.GetProperty("deleted").GetProperty("totalSize").GetInt32(), Is.EqualTo(5));
            Assert.That(result.GetProperty("deleted").GetProperty("allDeleted").GetBoolean(), Is.True);
            Assert.That(result.GetProperty("single").GetProperty("success").GetBoolean(), Is.True);
            Assert.That(result.GetProperty("single").GetProperty("status").GetString(), Is.EqualTo("Working - Contacted"));
            Assert.That(collection.Select(r => r.GetProperty("success").GetBoolean()), Is.EqualTo(new[] { true, false, true }));
            Assert.That(collection[1].GetProperty("errors")[0].GetString(), Is.EqualTo("ENTITY_IS_DELETED"));
            Assert.That(host.Writes.Select(w => w.Id), Is.EqualTo(new[] { TestOrg.LeadId(100), TestOrg.LeadId(200), TestOrg.LeadId(201) }));
            Assert.That(host.Writes.Select(w => w.AutoAssign), Is.All.EqualTo("FALSE"), "jsforce passed the header through");
        });
    }

    [Test]
    public async Task Jsforce_reads_back_the_standard_fields_of_an_org_exported_from_a_real_org()
    {
        await EnsurePackagesAsync();
        var options = new EmulatorOptions();
        var org = new RealOrgFile(RealOrgFile.ExampleAsOf);
        await using var host = await EmulatorHost.StartAsync(options, OrgStore.Load(new MemoryStream(Encoding.UTF8.GetBytes(org.Json))));
        var occurrence = org.Occurrences[RealOrgFile.AnnId][0].EventId;
        var readBack = new Dictionary<string, object>
        {
            ["Lead"] = new { id = RealOrgFile.LeadId, fields = new[] { "Title", "Website", "IsUnreadByOwner", "ConvertedDate", "Address" } },
            ["Opportunity"] = new { id = RealOrgFile.OpportunityId, fields = new[] { "IsWon", "Probability", "ForecastCategoryName", "FiscalYear" } },
            ["User"] = new { id = RealOrgFile.AnnId, fields = new[] { "Alias", "Department", "LastLoginDate", "UserType" } },
            ["Event"] = new { id = occurrence, fields = new[] { "RecurrenceActivityId", "IsRecurrence", "ShowAs", "ActivityDate", "Description" } },
            ["EventRelation"] = new { id = SalesforceId.Create("0RE", 2), fields = new[] { "IsParent", "IsWhat", "RespondedDate", "Response" } },
        };

        var (exitCode, stdout, stderr) = await RunCheckAsync(host, options, new Dictionary<string, string>
        {
            ["READ_BACK"] = JsonSerializer.Serialize(readBack),
        });

        Assert.That(exitCode, Is.Zero, $"node failed:\n{stderr}\n{stdout}");
        var result = JsonDocument.Parse(stdout).RootElement.GetProperty("readBack");
        string Type(string sobject, string field) => result.GetProperty(sobject).GetProperty("types").GetProperty(field).GetString()!;
        JsonElement Value(string sobject, string read, string field) => result.GetProperty(sobject).GetProperty(read).GetProperty(field);
        Assert.Multiple(() =>
        {
            Assert.That(Type("Lead", "Address"), Is.EqualTo("address"));
            Assert.That(Type("Lead", "Website"), Is.EqualTo("url"));
            Assert.That(Type("Opportunity", "Probability"), Is.EqualTo("percent"));
            Assert.That(Type("Opportunity", "ForecastCategoryName"), Is.EqualTo("picklist"));
            Assert.That(Type("User", "LastLoginDate"), Is.EqualTo("datetime"));
            Assert.That(Type("Event", "RecurrenceActivityId"), Is.EqualTo("reference"));
            Assert.That(Type("Event", "Description"), Is.EqualTo("textarea"));
            Assert.That(Type("EventRelation", "RespondedDate"), Is.EqualTo("datetime"));
            foreach (var read in new[] { "retrieved", "queried" })
            {
                Assert.That(Value("Lead", read, "Title").GetString(), Is.EqualTo("Head of Operations"), read);
                Assert.That(Value("Lead", read, "Address").GetProperty("city").GetString(), Is.EqualTo("Austin"), read);
                Assert.That(Value("Lead", read, "ConvertedDate").ValueKind, Is.EqualTo(JsonValueKind.Null), read);
                Assert.That(Value("Opportunity", read, "Probability").GetDecimal(), Is.EqualTo(80m), read);
                Assert.That(Value("User", read, "Alias").GetString(), Is.EqualTo("ann"), read);
                Assert.That(Value("Event", read, "RecurrenceActivityId").GetString(), Does.StartWith("00U"), read);
                Assert.That(Value("Event", read, "IsRecurrence").GetBoolean(), Is.False, read);
                Assert.That(Value("EventRelation", read, "IsParent").GetBoolean(), Is.False, read);
            }
        });
    }

    [Test]
    public async Task Jsforce_runs_a_bulk_2_query_job_unchanged_against_the_emulator()
    {
        await EnsurePackagesAsync();
        var options = new EmulatorOptions();
        var org = TestOrg.WithLeads(2_500, deleted: 10);
        var tricky = org.Insert("Lead", new Dictionary<string, object?>
        {
            ["LastName"] = "Zoë \"the closer\"", ["Company"] = "Müller, Söhne & Co\nBerlin", ["OwnerId"] = TestOrg.UserId,
            ["Status"] = "Open - Not Contacted",
        });
        await using var host = await EmulatorHost.StartAsync(options, org);

        var (exitCode, stdout, stderr) = await RunCheckAsync(host, options, new Dictionary<string, string>
        {
            ["BULK_SOQL"] = "SELECT Id, LastName, Company, Owner.Name FROM Lead",
            ["BULK_SCAN_ALL"] = "1",
            ["BULK_SAMPLE_ID"] = tricky,
        });

        Assert.That(exitCode, Is.Zero, $"node failed:\n{stderr}\n{stdout}");
        var bulk = JsonDocument.Parse(stdout).RootElement.GetProperty("bulk");
        var sample = bulk.GetProperty("sample");
        Assert.Multiple(() =>
        {
            Assert.That(bulk.GetProperty("fetched").GetInt32(), Is.EqualTo(2_501), "queryAll: the deleted leads too");
            Assert.That(bulk.GetProperty("distinct").GetInt32(), Is.EqualTo(2_501));
            Assert.That(sample.GetProperty("LastName").GetString(), Is.EqualTo("Zoë \"the closer\""));
            Assert.That(sample.GetProperty("Company").GetString(), Is.EqualTo("Müller, Söhne & Co\nBerlin"));
            Assert.That(sample.GetProperty("Owner.Name").GetString(), Is.EqualTo("Integration User"));
        });
    }

    /// <summary>Runs emulator-check.mjs against the emulator, signed in with its credentials, with the check's own inputs.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> RunCheckAsync(
        EmulatorHost host, EmulatorOptions options, Dictionary<string, string> inputs)
    {
        inputs["EMULATOR_URL"] = host.BaseAddress.ToString().TrimEnd('/');
        inputs["SF_USERNAME"] = options.Username;
        inputs["SF_PASSWORD"] = options.Password;
        inputs["SF_CLIENT_ID"] = options.ClientId;
        inputs["SF_CLIENT_SECRET"] = options.ClientSecret;
        return RunAsync("node", "emulator-check.mjs", inputs, TimeSpan.FromMinutes(2));
    }

    /// <summary>Installs the pinned packages once (npm ci); ignores the test when node or npm is not installed.</summary>
    private static async Task EnsurePackagesAsync()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "jsforce")))
            return;
        (int, string, string) install;
        try
        {
            install = await RunAsync("npm", "ci --no-audit --no-fund", new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("npm is not installed: the jsforce client check needs Node.js 20+ and npm.");
            return;
        }
        Assert.That(install.Item1, Is.Zero, $"npm ci failed in {Folder}:\n{install.Item3}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, string arguments, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
