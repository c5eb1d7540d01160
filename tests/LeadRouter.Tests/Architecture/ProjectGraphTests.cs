using System.Xml.Linq;
using LeadRouter.Testing;

namespace LeadRouter.Tests.Architecture;

/// <summary>
/// The rooms of the house and what each may lean on, read from the project files (references followed
/// transitively) and from the built assemblies. A reference that breaks a rule fails here by name.
/// </summary>
public sealed class ProjectGraphTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, Project>> Projects = new(ReadProjects);

    private sealed record Project(string Name, IReadOnlyList<string> References, IReadOnlyList<string> Packages);

    [Test]
    public void TheSolutionHasTheRoomsTheRulesNameAndNoOther()
    {
        Assert.That(Projects.Value.Keys, Is.EquivalentTo(new[]
        {
            "LeadRouter.Contracts", "LeadRouter.Core", "LeadRouter.Engine", "LeadRouter.Worker",
            "LeadRouter.SalesforceEmulator", "LeadRouter.Demo",
        }), "a new project under src/ needs its rule here");
    }

    [TestCase("LeadRouter.Contracts")]
    [TestCase("LeadRouter.Core")]
    public void APureProjectHasNoPackageAndNoProjectReference(string name)
    {
        var project = Projects.Value[name];
        Assert.Multiple(() =>
        {
            Assert.That(project.Packages, Is.Empty, $"{name} must stay free of packages");
            Assert.That(project.References, Is.Empty, $"{name} must not reference another project");
        });
    }

    [TestCase("LeadRouter.SalesforceEmulator", new[] { "LeadRouter.Core" })]
    [TestCase("LeadRouter.Engine", new[] { "LeadRouter.Contracts", "LeadRouter.Core" })]
    [TestCase("LeadRouter.Worker", new[] { "LeadRouter.Contracts", "LeadRouter.Core", "LeadRouter.Engine" })]
    public void AProjectReachesOnlyWhatItMay(string name, string[] allowed)
    {
        Assert.That(Reachable(name), Is.SubsetOf(allowed),
            $"{name} reaches a project it must not (the worker never carries the emulator or the demo; the emulator never storage or the client)");
    }

    [Test]
    public void TheDemoIsWhereTheEmulatorMeetsTheWorker()
    {
        Assert.That(Reachable("LeadRouter.Demo"), Is.SupersetOf(new[] { "LeadRouter.Worker", "LeadRouter.SalesforceEmulator" }));
    }

    [Test]
    public void TheBuiltCoreReferencesOnlyTheRuntime()
    {
        var core = typeof(LeadRouter.Org.SalesforceId).Assembly;
        var references = core.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.That(references.Where(name => !IsRuntime(name)), Is.Empty, $"{core.GetName().Name} references more than the runtime");
    }

    [Test]
    public void TheBuiltWorkerCarriesNoEmulator()
    {
        var worker = typeof(LeadRouter.Worker.Cli.LeadRouterCli).Assembly;
        var references = worker.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.That(references, Has.None.StartsWith("LeadRouter.SalesforceEmulator").And.None.StartsWith("leadrouter-demo"));
    }

    private static bool IsRuntime(string name) => name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal);

    private static IEnumerable<string> Reachable(string name)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Projects.Value[name].References);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
                foreach (var reference in Projects.Value[next].References)
                    pending.Push(reference);
        }
        return seen;
    }

    private static IReadOnlyDictionary<string, Project> ReadProjects()
    {
        var projects = new Dictionary<string, Project>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(file);
            var references = xml.Descendants("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            var packages = xml.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
            var name = Path.GetFileNameWithoutExtension(file);
            projects[name] = new Project(name, references, packages);
        }
        return projects;
    }
}
