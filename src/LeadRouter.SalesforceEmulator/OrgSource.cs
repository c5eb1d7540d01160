using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator;

/// <summary>Builds the org the command line asks for: loaded from a file, generated, or empty.</summary>
internal static class OrgSource
{
    public static OrgStore Build(EmulatorCommandLine commandLine)
    {
        if (commandLine.OrgFile is { } path)
        {
            using var file = File.OpenRead(path);
            return OrgStore.Load(file);
        }
        if (commandLine.GenerateSize is not null)
            throw new ArgumentException("--generate needs the org generator, which this build does not include yet; use --org FILE.");
        return new OrgStore();
    }
}
