using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.SalesforceEmulator;

/// <summary>Builds the org the command line asks for: loaded from a file, generated, or empty (standard objects, no records).</summary>
internal static class OrgSource
{
    public static OrgStore Build(EmulatorCommandLine commandLine)
    {
        var clock = commandLine.Options.Clock;
        if (commandLine.OrgFile is { } path)
        {
            using var file = File.OpenRead(path);
            return OrgStore.Load(file, clock);
        }
        if (commandLine.Generate is { } size)
        {
            var org = OrgGenerator.Generate(size, commandLine.Seed, commandLine.AsOf ?? clock.GetUtcNow());
            return OrgStore.Create(org.Records, clock);
        }
        return new OrgStore(clock);
    }
}
