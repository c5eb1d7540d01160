using System.Text.Json;
using System.Text.RegularExpressions;
using LeadRouter.Testing;

namespace LeadRouter.Tests.Deploy;

/// <summary>deploy/Dockerfile, parsed (no container engine runs here).</summary>
public sealed class DockerfileTests
{
    private static readonly Regex SecretWord = new("pass(word|wd)?|pwd|secret|token|api[_-]?key", RegexOptions.IgnoreCase);

    private static Dockerfile Read() => Dockerfile.Parse(File.ReadAllText(DeployFiles.Dockerfile));

    [Test]
    public void It_is_a_named_multi_stage_build_from_the_sdk_to_a_runtime_image()
    {
        var file = Read();

        Assert.That(file.Stages, Has.Count.GreaterThanOrEqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(file.Stages.Select(s => s.Name), Has.All.Not.Null, "every FROM names its stage with AS");
            Assert.That(file.Stages[0].Image, Does.StartWith("mcr.microsoft.com/dotnet/sdk:"));
            Assert.That(file.Final.Image, Does.Match(@"^mcr\.microsoft\.com/dotnet/(runtime|aspnet|runtime-deps):"),
                "the image that runs must not carry the SDK");
            Assert.That(file.Final.Instructions.Where(i => i.Keyword == "COPY").Select(i => i.Arguments),
                Has.Some.StartsWith($"--from={file.Stages[0].Name} "), "the final stage copies the published output of the build stage");
        });
    }

    [Test]
    public void The_worker_runs_as_a_user_that_is_not_root()
    {
        var final = Read().Final.Instructions;
        var entrypoint = final.Single(i => i.Keyword == "ENTRYPOINT");
        var user = final.LastOrDefault(i => i.Keyword == "USER" && i.Line < entrypoint.Line);

        Assert.That(user, Is.Not.Null, "no USER before the ENTRYPOINT: the container would run as root");
        Assert.That(user!.Arguments.Split(':')[0], Is.Not.AnyOf("root", "0", ""), $"line {user.Line}");
        Assert.That(final.Where(i => i.Keyword == "USER" && i.Line > user.Line), Is.Empty, "no USER after it switches back");
    }

    [Test]
    public void The_entrypoint_runs_the_worker_assembly_in_exec_form()
    {
        var entrypoint = Read().Final.Instructions.Single(i => i.Keyword == "ENTRYPOINT");

        var argv = JsonSerializer.Deserialize<string[]>(entrypoint.Arguments);

        Assert.That(argv, Is.EqualTo(new[] { "dotnet", DeployFiles.WorkerAssemblyName() + ".dll", "run" }));
    }

    [Test]
    public void No_password_or_secret_is_baked_into_the_image()
    {
        var offending = Read().Instructions
            .Where(i => i.Keyword is "ENV" or "ARG" && SecretWord.IsMatch(i.Arguments)
                || i.Arguments.Contains("Password=", StringComparison.OrdinalIgnoreCase))
            .Select(i => $"line {i.Line}: {i.Keyword} {i.Arguments}");

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void Every_path_it_copies_from_the_context_exists()
    {
        var sources = CopiedFromContext().ToArray();

        Assert.That(sources, Is.Not.Empty);
        Assert.That(sources.Where(s => !File.Exists(Path.Combine(RepoPaths.Root, s)) && !Directory.Exists(Path.Combine(RepoPaths.Root, s))),
            Is.Empty, "paths copied from the build context (the repository root) that do not exist");
    }

    [Test]
    public void It_copies_every_project_the_worker_builds_from_and_the_shared_build_files()
    {
        var sources = CopiedFromContext().Select(s => s.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var needed = DeployFiles.WorkerProjectClosure()
            .SelectMany(project => new[] { project, Path.GetDirectoryName(project)!.Replace('\\', '/') })
            .Concat(["global.json", "Directory.Build.props", "Directory.Packages.props"]);

        Assert.That(needed.Where(path => !sources.Contains(path)), Is.Empty,
            "the image would not build: these are not copied (the project file for the restore layer, the folder for the sources)");
    }

    [Test]
    public void The_build_context_leaves_out_build_output_and_local_secrets()
    {
        var ignored = File.ReadAllLines(DeployFiles.Dockerfile + ".dockerignore").Select(l => l.Trim()).ToArray();

        Assert.That(ignored, Is.SupersetOf(new[] { "**/bin/", "**/obj/", "deploy/.env" }));
    }

    /// <summary>The source paths of COPY and ADD instructions that read the build context (not --from a stage).</summary>
    private static IEnumerable<string> CopiedFromContext()
    {
        foreach (var instruction in Read().Instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            var words = Dockerfile.Words(instruction.Arguments);
            if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal))) continue;
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
            foreach (var source in paths[..^1]) yield return source;
        }
    }
}
