using System.Diagnostics;
using LeadRouter.Org;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>
/// The emulator's command line on bad org files, run as a process: exit code 2 and one line naming what is
/// wrong and where (object, record index, field; or the line of a JSON syntax error), no stack trace.
/// </summary>
public sealed class BadOrgFileTests
{
    private static readonly string Lead = SalesforceId.Create("00Q", 1);
    private static readonly string Account = SalesforceId.Create("001", 1);
    private static readonly string Opportunity = SalesforceId.Create("006", 1);

    private static IEnumerable<TestCaseData> BadFiles()
    {
        TestCaseData Case(string kind, string file, string line) => new TestCaseData(file, line).SetArgDisplayNames(kind);
        yield return Case("unknown field", $$"""{"Lead": [{"Id": "{{Lead}}", "Colour": "red"}]}""", "Lead[0].Colour: no such field on Lead");
        yield return Case("invalid JSON", $$"""{"Lead": [{{"\n"}}  {"Id": "{{Lead}}"{{"\n"}}  "Company": "x"}{{"\n"}}]}""", "The org file is not valid JSON at line 3:");
        yield return Case("missing Id", """{"Lead": [{"Company": "Acme"}]}""", "Lead[0].Id: every record needs its 18-character Id");
        yield return Case("duplicate Id", $$"""{"Lead": [{"Id": "{{Lead}}"}, {"Id": "{{Lead}}"}]}""", $"Lead[1].Id: duplicate Id '{Lead}'");
        yield return Case("id of another object", $$"""{"Lead": [{"Id": "{{Account}}"}]}""", $"Lead[0].Id: '{Account}' does not start with Lead's key prefix 00Q");
        yield return Case("bad date", $$"""{"Opportunity": [{"Id": "{{Opportunity}}", "CloseDate": "31/12/2026"}]}""", "Opportunity[0].CloseDate: ");
        yield return Case("bad datetime", $$"""{"Lead": [{"Id": "{{Lead}}", "CreatedDate": "yesterday"}]}""", "Lead[0].CreatedDate: ");
        yield return Case("bad number", $$"""{"Lead": [{"Id": "{{Lead}}", "AnnualRevenue": "lots"}]}""", "Lead[0].AnnualRevenue: ");
        yield return Case("bad boolean", $$"""{"Lead": [{"Id": "{{Lead}}", "IsConverted": "maybe"}]}""", "Lead[0].IsConverted: ");
        yield return Case("bad lookup", $$"""{"Lead": [{"Id": "{{Lead}}", "OwnerId": "{{Account}}"}]}""", "Lead[0].OwnerId: ");
        yield return Case("unknown object", """{"Invoice": []}""", "Unknown sObject type 'Invoice'");
        yield return Case("wrong top-level shape", """[{"Id": "x"}]""", "The org file must be one JSON object");
        yield return Case("object not an array", """{"Lead": {"Id": "x"}}""", "'Lead' must map to an array of records");
        yield return Case("record not an object", """{"Lead": ["x"]}""", "Lead[0] must be a JSON object");
    }

    [TestCaseSource(nameof(BadFiles))]
    public async Task A_bad_org_file_exits_2_with_one_line_naming_where(string file, string line)
    {
        var path = Path.Combine(Path.GetTempPath(), $"leadrouter-bad-org-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, file);
        try
        {
            var (exit, output, errors) = await RunEmulatorAsync("--org", path);

            Assert.That(exit, Is.EqualTo(2), errors);
            Assert.That(errors.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), $"one line: {errors}");
            Assert.That(errors, Does.StartWith("salesforce-emulator: " + line));
            Assert.That(output + errors, Does.Not.Contain("   at "), "no stack trace");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs the emulator built beside this test assembly; it exits before listening when the org file is bad.</summary>
    private static async Task<(int Exit, string Output, string Errors)> RunEmulatorAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LeadRouter.SalesforceEmulator.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
