namespace LeadRouter.Testing;

/// <summary>Finds the repository root (the folder holding LeadRouter.sln) and the shared folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared next to the checkout: the domain design and the recorded Salesforce samples.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SalesforceSamples => Path.Combine(Shared, "salesforce-samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadRouter.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"LeadRouter.sln not found above {AppContext.BaseDirectory}");
    }
}
