using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;

// The emulator on its own: parse the command line, build the org, serve until Ctrl+C, optionally save.
EmulatorCommandLine? commandLine;
OrgStore store;
try
{
    commandLine = EmulatorCommandLine.Parse(args);
    if (commandLine is null)
        return await EmulatorCommandLine.Command.Parse(args).InvokeAsync(); // prints the help
    store = OrgSource.Build(commandLine);
}
catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or OrgDataException or SalesforceFault)
{
    await Console.Error.WriteLineAsync($"salesforce-emulator: {e.Message}");
    return 2;
}

await using (var host = await EmulatorHost.StartAsync(commandLine.Options, store, logToConsole: true))
{
    Console.WriteLine($"Salesforce emulator listening on {host.BaseAddress} (login URL and instance_url); Ctrl+C stops it.");
    await host.WaitForShutdownAsync();
}

if (commandLine.SaveFile is { } save)
{
    try
    {
        await using var file = File.Create(save);
        store.Save(file);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"salesforce-emulator: could not save the org to {save}: {e.Message}");
        return 1;
    }
    Console.WriteLine($"Org saved to {save}.");
}
return 0;
