using System.Text.RegularExpressions;
using LeadRouter.Testing;
using LeadRouter.Worker.Messaging;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace LeadRouter.Tests.Deploy;

/// <summary>deploy/compose.yaml, parsed with a YAML parser (no container engine runs here).</summary>
public sealed class ComposeFileTests
{
    private const string Worker = "worker";
    private static readonly string[] Dependencies = ["rabbitmq", "sqlserver"];
    private static readonly Regex SecretKey = new("pass(word|wd)?$|_pass$|pwd|secret|token|api_?key", RegexOptions.IgnoreCase);

    /// <summary>Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}.</summary>
    private static readonly Regex Interpolation = new(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}");

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(DeployFiles.Compose))
            yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["services"];
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services()[name];

    /// <summary>A service's environment; the map form is the one this file uses.</summary>
    private static Dictionary<string, string> Environment(string service) =>
        Service(service).Children.TryGetValue("environment", out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString(), StringComparer.Ordinal)
            : [];

    [Test]
    public void It_runs_rabbitmq_sqlserver_and_the_worker()
    {
        Assert.That(Services().Children.Keys.Select(k => k.ToString()), Is.SupersetOf(Dependencies.Append(Worker)));
    }

    [Test]
    public void The_worker_starts_only_once_its_dependencies_are_healthy()
    {
        var dependsOn = (YamlMappingNode)Service(Worker)["depends_on"];

        foreach (var dependency in Dependencies)
        {
            Assert.That(dependsOn.Children.ContainsKey(dependency), Is.True, $"worker does not depend on {dependency}");
            Assert.Multiple(() =>
            {
                Assert.That(((YamlMappingNode)dependsOn[dependency])["condition"].ToString(), Is.EqualTo("service_healthy"), dependency);
                var healthcheck = (YamlMappingNode)Service(dependency)["healthcheck"];
                Assert.That(((YamlSequenceNode)healthcheck["test"]).Children, Has.Count.GreaterThan(1), $"{dependency} healthcheck test");
            });
        }
    }

    [Test]
    public void Every_published_port_is_bound_to_loopback()
    {
        var ports = Services().Children
            .Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("ports"))
            .SelectMany(s => ((YamlSequenceNode)s.Value["ports"]).Children.Select(p => (Service: s.Key.ToString(), Port: p)))
            .ToArray();

        Assert.That(ports, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (service, port) in ports)
            {
                var hostIp = port is YamlMappingNode longForm
                    ? longForm.Children.TryGetValue("host_ip", out var ip) ? ip.ToString() : ""
                    : port.ToString().Split(':')[0];
                Assert.That(hostIp, Is.EqualTo("127.0.0.1"), $"{service} publishes {port} beyond loopback");
            }
        });
    }

    [Test]
    public void No_secret_is_written_in_the_file()
    {
        Assert.Multiple(() =>
        {
            foreach (var service in Services().Children.Keys.Select(k => k.ToString()))
            {
                foreach (var (key, value) in Environment(service).Where(e => SecretKey.IsMatch(e.Key)))
                {
                    var match = Interpolation.Match(value);
                    Assert.That(match.Success && match.Value == value, Is.True, $"{service}.{key} must be only ${{VARIABLE}}, not a literal");
                    Assert.That(match.Groups["op"].Value.EndsWith('?') || match.Groups["arg"].Value.Length == 0, Is.True,
                        $"{service}.{key}: a secret has no default; use ${{NAME:?message}} (or ${{NAME:-}} where another flow needs none)");
                }
            }
            foreach (Match password in Regex.Matches(File.ReadAllText(DeployFiles.Compose), @"Password=([^;""]*)", RegexOptions.IgnoreCase))
                Assert.That(password.Groups[1].Value, Does.StartWith("${"), $"connection string password is a literal: {password.Value}");
        });
    }

    [Test]
    public void The_services_share_each_secret_through_one_variable()
    {
        var rabbitmq = Environment("rabbitmq");
        var sqlserver = Environment("sqlserver");
        var worker = Environment(Worker);

        Assert.Multiple(() =>
        {
            Assert.That(VariableIn(worker["LeadRouter__Messaging__RabbitMq__Password"]), Is.EqualTo(VariableIn(rabbitmq["RABBITMQ_DEFAULT_PASS"])));
            Assert.That(worker["LeadRouter__Messaging__RabbitMq__Username"], Is.EqualTo(rabbitmq["RABBITMQ_DEFAULT_USER"]));
            Assert.That(VariableIn(worker["LeadRouter__Database__ConnectionString"]), Is.EqualTo(VariableIn(sqlserver["MSSQL_SA_PASSWORD"])));
            Assert.That(sqlserver["ACCEPT_EULA"], Is.EqualTo("Y"));
            Assert.That(worker["LeadRouter__Database__Provider"], Is.EqualTo("SqlServer"));
        });
    }

    [Test]
    public void The_env_example_names_every_variable_the_file_requires_with_no_secret_value()
    {
        var required = Interpolation.Matches(File.ReadAllText(DeployFiles.Compose))
            .Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var example = File.ReadAllLines(Path.Combine(DeployFiles.Folder, ".env.example"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..], StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(example.Keys, Is.SupersetOf(required));
            Assert.That(example.Where(e => SecretKey.IsMatch(e.Key) && e.Value.Length > 0).Select(e => e.Key), Is.Empty,
                "the example must not carry a password");
            Assert.That(File.ReadAllLines(Path.Combine(DeployFiles.Folder, ".gitignore")), Does.Contain(".env"));
        });
    }

    [Test]
    public void The_worker_messaging_variables_are_settings_the_worker_has()
    {
        var unknown = Environment(Worker).Keys
            .Where(k => k.StartsWith("LeadRouter__Messaging__", StringComparison.Ordinal))
            .Where(k => !WorkerSettings.IsSetting(typeof(MessagingOptions), k.Split("__")[2..]));

        Assert.That(unknown, Is.Empty, "variables that bind to no MessagingOptions property (a typo is silently ignored at run time)");
    }

    [Test]
    public void The_worker_environment_binds_to_valid_RabbitMq_settings()
    {
        const string secret = "from-the-env-file";
        var settings = Environment(Worker).ToDictionary(
            e => e.Key.Replace("__", ":", StringComparison.Ordinal),
            e => (string?)Interpolate(e.Value, name => name.Contains("PASSWORD", StringComparison.Ordinal) ? secret : null));

        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(MessagingOptions.SectionPath).Get<MessagingOptions>()!;
        var validation = new MessagingOptionsValidator().Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(validation.Failures, Is.Null.Or.Empty);
            Assert.That(options.Transport, Is.EqualTo(MessagingTransport.RabbitMq));
            Assert.That(options.RabbitMq.Host, Is.EqualTo("rabbitmq"), "the compose service name");
            Assert.That(options.RabbitMq.Password, Is.EqualTo(secret));
            Assert.That(settings["LeadRouter:Database:ConnectionString"], Does.Contain("Server=sqlserver,1433;").And.Contain($"Password={secret};"));
        });
    }

    [Test]
    public void Every_worker_variable_is_a_setting_the_worker_reads()
    {
        var environment = Environment(Worker);

        Assert.That(environment.Keys.Where(k => !WorkerSettings.IsVariable(k)), Is.Empty, "a typo is silently ignored at run time");
        Assert.That(environment.Keys, Does.Not.Contain("LeadRouter__Schedule__TimeZone"), "the org's time zone is the rules file's");
    }

    [Test]
    public void The_emulator_is_an_opt_in_profile_built_from_its_own_dockerfile_on_loopback()
    {
        var emulator = Service("emulator");
        var build = (YamlMappingNode)emulator["build"];
        var dockerfile = Dockerfile.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, build["dockerfile"].ToString())));
        var argv = System.Text.Json.JsonSerializer.Deserialize<string[]>(dockerfile.Final.Instructions.Single(i => i.Keyword == "ENTRYPOINT").Arguments)!;
        var listensOn = new Uri(argv[Array.IndexOf(argv, "--urls") + 1]);

        Assert.Multiple(() =>
        {
            Assert.That(((YamlSequenceNode)emulator["profiles"]).Children.Select(c => c.ToString()), Is.EqualTo(new[] { "emulator" }));
            Assert.That(((YamlMappingNode)Service(Worker)).Children.ContainsKey("depends_on") && ((YamlMappingNode)Service(Worker)["depends_on"]).Children.ContainsKey("emulator"),
                Is.False, "the worker must start without the emulator");
            Assert.That(argv[1], Is.EqualTo("LeadRouter.SalesforceEmulator.dll"));
            Assert.That(((YamlSequenceNode)emulator["ports"]).Children.Select(p => p.ToString()), Is.EqualTo(new[] { $"127.0.0.1:{listensOn.Port}:{listensOn.Port}" }));
            Assert.That(File.ReadAllText(Path.Combine(DeployFiles.Folder, ".env.example")), Does.Contain($"SALESFORCE_LOGIN_URL=http://emulator:{listensOn.Port}"));
            Assert.That(dockerfile.Final.Instructions.Last(i => i.Keyword == "USER").Arguments, Is.Not.AnyOf("root", "0"));
        });
    }

    private static string? VariableIn(string value) => Interpolation.Match(value) is { Success: true } m ? m.Groups["name"].Value : null;

    /// <summary>What compose makes of a value: each ${...} replaced by the variable's value or its default.</summary>
    private static string Interpolate(string value, Func<string, string?> variable) =>
        Interpolation.Replace(value, m => variable(m.Groups["name"].Value) ?? (m.Groups["op"].Value.EndsWith('-') ? m.Groups["arg"].Value : ""))
            .Replace("$$", "$", StringComparison.Ordinal);
}
