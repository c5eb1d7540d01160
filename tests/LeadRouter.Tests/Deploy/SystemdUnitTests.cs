using System.Text.Json;
using System.Text.RegularExpressions;
using LeadRouter.Testing;
using LeadRouter.Worker.Cli;

namespace LeadRouter.Tests.Deploy;

/// <summary>deploy/systemd/leadrouter.service, read as systemd reads it (sections, Key=Value, repeatable keys).</summary>
public sealed class SystemdUnitTests
{
    private static readonly Regex SecretName = new("pass(word|wd)?$|pwd|secret|token|privatekey|connectionstring", RegexOptions.IgnoreCase);

    private static string UnitFile => Path.Combine(DeployFiles.Folder, "systemd", "leadrouter.service");

    /// <summary>Each section's entries in order; comments and blank lines dropped.</summary>
    private static Dictionary<string, List<(string Key, string Value)>> Read()
    {
        var sections = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        List<(string, string)>? current = null;
        foreach (var raw in File.ReadAllLines(UnitFile))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';')) continue;
            if (line.StartsWith('['))
            {
                current = sections[line.Trim('[', ']')] = [];
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.That(equals, Is.GreaterThan(0), $"not Key=Value: {line}");
            Assert.That(current, Is.Not.Null, $"{line} before the first section");
            current!.Add((line[..equals], line[(equals + 1)..]));
        }
        return sections;
    }

    private static string Single(string section, string key) => Read()[section].Single(e => e.Key == key).Value;

    [Test]
    public void It_has_the_three_sections_and_starts_after_the_network()
    {
        Assert.That(Read().Keys, Is.EquivalentTo(new[] { "Unit", "Service", "Install" }));
        Assert.That(Single("Unit", "After"), Does.Contain("network-online.target"));
        Assert.That(Single("Install", "WantedBy"), Is.EqualTo("multi-user.target"));
    }

    [Test]
    public void It_runs_the_published_worker_as_the_dockerfile_does()
    {
        var entrypoint = JsonSerializer.Deserialize<string[]>(
            Dockerfile.Parse(File.ReadAllText(DeployFiles.Dockerfile)).Final.Instructions.Single(i => i.Keyword == "ENTRYPOINT").Arguments)!;
        var exec = Single("Service", "ExecStart").Split(' ');

        Assert.That(Path.GetFileName(exec[0]), Is.EqualTo(entrypoint[0]));
        Assert.That(exec.Skip(1).Select((arg, i) => i == 0 ? Path.GetFileName(arg) : arg), Is.EqualTo(entrypoint.Skip(1)));
    }

    [Test]
    public void It_runs_as_a_user_that_is_not_root_and_does_not_restart_on_bad_configuration()
    {
        Assert.That(Single("Service", "User"), Is.Not.AnyOf("root", "0", ""));
        Assert.That(Single("Service", "RestartPreventExitStatus"), Is.EqualTo(ExitCodes.BadInput.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Every_environment_setting_is_one_the_worker_reads_and_no_secret_is_in_the_unit()
    {
        var variables = Read()["Service"].Where(e => e.Key == "Environment")
            .Select(e => e.Value.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

        Assert.That(variables, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(variables.Keys.Where(k => !WorkerSettings.IsVariable(k)), Is.Empty, "not settings the worker reads");
            Assert.That(variables.Keys.Where(k => SecretName.IsMatch(k.Replace("__", "", StringComparison.Ordinal))), Is.Empty,
                "secrets belong in the root-only EnvironmentFile");
            Assert.That(Single("Service", "EnvironmentFile"), Does.StartWith("/etc/"));
            Assert.That(HealthUrlIsLoopback(variables["LeadRouter__Health__Urls"]), Is.True, "a plain host keeps the health endpoints on loopback");
        });
    }

    [Test]
    public void The_publish_command_it_documents_and_the_benchmark_runs_is_the_dockerfiles()
    {
        static string[] Publish(string text)
        {
            var words = Regex.Match(text, @"dotnet publish[^\r\n]*").Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            // Where the output goes and whether restore already ran differ by design.
            var output = words.IndexOf("--output");
            words.RemoveRange(output, 2);
            words.Remove("--no-restore");
            words.Remove("\\");
            return words.ToArray();
        }
        var dockerfile = Dockerfile.Parse(File.ReadAllText(DeployFiles.Dockerfile)).Instructions
            .Single(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Arguments;

        Assert.That(Publish(File.ReadAllText(UnitFile)), Is.EqualTo(Publish(dockerfile)));
        Assert.That(Publish(File.ReadAllText(Path.Combine(DeployFiles.Folder, "README.md"))), Is.EqualTo(Publish(dockerfile)));
        // The benchmark measures the worker the image ships.
        Assert.That(Publish(File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "bench.sh"))), Is.EqualTo(Publish(dockerfile)));
    }

    private static bool HealthUrlIsLoopback(string urls) =>
        urls.Split(';').All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.IsLoopback);
}
