using System.Text.RegularExpressions;
using LeadRouter.Rules;
using LeadRouter.Worker.Hosting;
using YamlDotNet.RepresentationModel;

namespace LeadRouter.Tests.Deploy;

/// <summary>deploy/kubernetes, parsed with a YAML parser (no cluster runs here).</summary>
public sealed class KubernetesTests
{
    private static readonly Regex SecretName = new("pass(word|wd)?$|pwd|secret|token|privatekey|connectionstring", RegexOptions.IgnoreCase);

    private static string Folder => Path.Combine(DeployFiles.Folder, "kubernetes");

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, file)))
            yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Kustomization => Load("kustomization.yaml");

    private static IEnumerable<string> Resources() => ((YamlSequenceNode)Kustomization["resources"]).Children.Select(c => c.ToString());

    /// <summary>The resource of this kind among the kustomization's.</summary>
    private static YamlMappingNode Resource(string kind) => Resources().Select(Load).Single(r => r["kind"].ToString() == kind);

    private static YamlMappingNode Map(YamlNode node, params string[] path) =>
        (YamlMappingNode)path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static YamlSequenceNode Seq(YamlNode node, params string[] path) =>
        (YamlSequenceNode)path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static YamlMappingNode Container() => (YamlMappingNode)Seq(Resource("Deployment"), "spec", "template", "spec", "containers").Children.Single();

    private static IReadOnlyList<YamlMappingNode> Environment() => Seq(Container(), "env").Children.Cast<YamlMappingNode>().ToList();

    private static string? Value(string variable) =>
        Environment().SingleOrDefault(e => e["name"].ToString() == variable) is { } entry && entry.Children.TryGetValue("value", out var value) ? value.ToString() : null;

    [Test]
    public void Every_manifest_in_the_folder_is_in_the_kustomization_and_parses()
    {
        var manifests = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.That(Resources(), Is.EquivalentTo(manifests));
        Assert.That(Resources().Select(r => Load(r)["kind"].ToString()), Is.EquivalentTo(new[] { "Namespace", "Secret", "Deployment", "Service" }));
    }

    [Test]
    public void Two_replicas_probed_on_the_health_endpoints_with_requests_and_limits()
    {
        var deployment = Resource("Deployment");
        var container = Container();
        var healthPort = (YamlMappingNode)Seq(container, "ports").Children.Single(p => p["name"].ToString() == "health");

        Assert.Multiple(() =>
        {
            Assert.That(Map(deployment, "spec")["replicas"].ToString(), Is.EqualTo("2"));
            Assert.That(Map(container, "livenessProbe", "httpGet")["path"].ToString(), Is.EqualTo(HealthEndpoints.LivePath));
            Assert.That(Map(container, "readinessProbe", "httpGet")["path"].ToString(), Is.EqualTo(HealthEndpoints.ReadyPath));
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
                Assert.That(Map(container, probe, "httpGet")["port"].ToString(), Is.EqualTo("health"), probe);
            foreach (var kind in new[] { "requests", "limits" })
                Assert.That(Map(container, "resources", kind).Children.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { "cpu", "memory" }), kind);
            Assert.That(Map(deployment, "spec", "selector", "matchLabels").Children, Is.SubsetOf(Map(deployment, "spec", "template", "metadata", "labels").Children));
        });
        // The listener must take the kubelet's probes on the pod's address, on the port the probes use.
        var urls = HealthEndpoints.Prefixes(new HealthOptions { Urls = Value("LeadRouter__Health__Urls")! });
        Assert.That(urls, Is.EqualTo(new[] { $"http://+:{healthPort["containerPort"]}/" }));
    }

    [Test]
    public void Every_variable_is_a_setting_the_worker_reads_and_secrets_come_from_the_secret()
    {
        var secret = Resource("Secret");
        var secretKeys = Map(secret, "stringData").Children.Keys.Select(k => k.ToString()).ToList();
        var environment = Environment();

        Assert.Multiple(() =>
        {
            foreach (var entry in environment)
            {
                var name = entry["name"].ToString();
                Assert.That(WorkerSettings.IsVariable(name), Is.True, $"{name} is not a setting the worker reads");
                if (!SecretName.IsMatch(name.Replace("__", "", StringComparison.Ordinal)) && !name.EndsWith("Username", StringComparison.Ordinal) && !name.EndsWith("ClientId", StringComparison.Ordinal))
                    continue;
                Assert.That(entry.Children.ContainsKey("value"), Is.False, $"{name} must come from the Secret, not a literal");
                var reference = Map(entry, "valueFrom", "secretKeyRef");
                Assert.That(reference["name"].ToString(), Is.EqualTo(Map(secret, "metadata")["name"].ToString()), name);
                Assert.That(secretKeys, Does.Contain(reference["key"].ToString()), name);
            }
            Assert.That(Map(secret, "stringData").Children.Values.Select(v => v.ToString()), Has.All.StartsWith("REPLACE_WITH_"), "placeholders only");
            Assert.That(environment.Select(e => e["name"].ToString()), Does.Not.Contain("LeadRouter__Schedule__TimeZone"));
        });
    }

    [Test]
    public void The_image_runs_its_own_entrypoint_as_the_non_root_app_user()
    {
        var container = Container();
        var podSecurity = Map(Resource("Deployment"), "spec", "template", "spec", "securityContext");

        Assert.That(container.Children.Keys.Select(k => k.ToString()), Has.None.AnyOf("command", "args"),
            "the Dockerfile's ENTRYPOINT runs `leadrouter run`; overriding it here would drift from the image");
        Assert.That(podSecurity["runAsNonRoot"].ToString(), Is.EqualTo("true"));
        Assert.That(podSecurity["runAsUser"].ToString(), Is.Not.EqualTo("0"));
    }

    [Test]
    public void The_rules_come_from_the_configmap_mounted_as_a_folder_and_are_valid()
    {
        var generator = (YamlMappingNode)Seq(Kustomization, "configMapGenerator").Children.Single();
        var file = Seq(generator, "files").Children.Single().ToString();
        var rulesFile = Value("LeadRouter__RulesFile")!;
        var volume = (YamlMappingNode)Seq(Resource("Deployment"), "spec", "template", "spec", "volumes").Children
            .Single(v => ((YamlMappingNode)v).Children.ContainsKey("configMap"));
        var mount = (YamlMappingNode)Seq(Container(), "volumeMounts").Children.Single(m => m["name"].ToString() == volume["name"].ToString());

        Assert.Multiple(() =>
        {
            Assert.That(Map(volume, "configMap")["name"].ToString(), Is.EqualTo(generator["name"].ToString()));
            Assert.That(Map(generator, "options")["disableNameSuffixHash"].ToString(), Is.EqualTo("true"), "edited in place, so the worker reloads it");
            Assert.That(mount.Children.ContainsKey("subPath"), Is.False, "a subPath mount never sees ConfigMap updates");
            Assert.That(rulesFile, Is.EqualTo($"{mount["mountPath"]}/{file}"));
            var loaded = RulesFile.Load(Path.Combine(Folder, file));
            Assert.That(loaded.Errors, Is.Empty);
        });
    }

    [Test]
    public void The_service_exposes_the_health_port_of_the_pods()
    {
        var service = Resource("Service");
        var podLabels = Map(Resource("Deployment"), "spec", "template", "metadata", "labels");
        var containerPorts = Seq(Container(), "ports").Children.Select(p => p["name"].ToString());

        Assert.That(Map(service, "spec", "selector").Children, Is.SubsetOf(podLabels.Children));
        Assert.That(Seq(service, "spec", "ports").Children.Select(p => p["targetPort"].ToString()), Is.SubsetOf(containerPorts));
    }
}
