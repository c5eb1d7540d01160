using System.Xml.Linq;
using LeadRouter.Testing;

namespace LeadRouter.Tests.Deploy;

/// <summary>Paths of the deploy files and the worker project they build.</summary>
internal static class DeployFiles
{
    public static string Folder => Path.Combine(RepoPaths.Root, "deploy");
    public static string Compose => Path.Combine(Folder, "compose.yaml");
    public static string Dockerfile => Path.Combine(Folder, "Dockerfile");
    public static string WorkerProject => Path.Combine(RepoPaths.Root, "src", "LeadRouter.Worker", "LeadRouter.Worker.csproj");

    /// <summary>The worker project and every project it references, directly or not, relative to the repository root with '/'.</summary>
    public static IReadOnlyList<string> WorkerProjectClosure()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(WorkerProject)]);
        while (pending.TryPop(out var project))
        {
            if (!found.Add(Relative(project))) continue;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }
        return found.ToArray();
    }

    public static string WorkerAssemblyName() =>
        XDocument.Load(WorkerProject).Descendants("AssemblyName").Single().Value;

    private static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');
}
