using System.Globalization;
using System.Text;

namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>A synthetic org: its records by sObject type, ready for <c>OrgStore.Create</c>, and who plays which persona.</summary>
public sealed class GeneratedOrg
{
    internal GeneratedOrg(
        OrgSize size,
        int seed,
        DateTimeOffset asOf,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> records,
        IReadOnlyDictionary<string, RepPersona> repPersonas,
        IReadOnlyDictionary<string, ManagerPersona> managerPersonas)
    {
        Size = size;
        Seed = seed;
        AsOf = asOf;
        Records = records;
        RepPersonas = repPersonas;
        ManagerPersonas = managerPersonas;
        Summary = OrgSummary.Of(this);
    }

    public OrgSize Size { get; }
    public int Seed { get; }

    /// <summary>The moment the history ends (UTC); nothing completed or created lies after it.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Records by sObject type ("User", "Lead", ...); every record has Id, IsDeleted, CreatedDate and SystemModstamp.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> Records { get; }

    /// <summary>Persona of every rep (a User reporting to a first-line manager), by 18-character user id.</summary>
    public IReadOnlyDictionary<string, RepPersona> RepPersonas { get; }

    /// <summary>Persona of every first-line manager, by 18-character user id.</summary>
    public IReadOnlyDictionary<string, ManagerPersona> ManagerPersonas { get; }

    public OrgSummary Summary { get; }
}

/// <summary>What a generated org holds, counted from its records, for the demo to print and tests to check.</summary>
public sealed record OrgSummary(
    IReadOnlyDictionary<string, int> RecordsByType,
    IReadOnlyDictionary<RepPersona, int> RepsByPersona,
    IReadOnlyDictionary<ManagerPersona, int> ManagersByPersona,
    int OpenOpportunities,
    int QueuedLeads,
    int LeadsOwnedByUsers,
    int ConvertedLeads,
    int ClosedLeads)
{
    /// <summary>Tasks plus Events, deleted ones included: the activity volume the sync has to read.</summary>
    public int TasksAndEvents => CountOf("Task") + CountOf("Event");

    public int CountOf(string objectName) => RecordsByType.GetValueOrDefault(objectName);

    internal static OrgSummary Of(GeneratedOrg org)
    {
        var byType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (type, rows) in org.Records)
            byType[type] = rows.Count;

        var openOpportunities = 0;
        foreach (var opportunity in org.Records["Opportunity"])
        {
            if (opportunity["IsClosed"] is false && opportunity["IsDeleted"] is false)
                openOpportunities++;
        }

        int queued = 0, ownedByUsers = 0, converted = 0, closed = 0;
        foreach (var lead in org.Records["Lead"])
        {
            if (lead["IsDeleted"] is true)
                continue;
            if (lead["IsConverted"] is true)
                converted++;
            else if (lead["Status"] is string status && status.StartsWith("Closed", StringComparison.Ordinal))
                closed++;
            else if (LeadRouter.Org.IdPrefix.IsQueue(lead["OwnerId"] as string))
                queued++;
            else
                ownedByUsers++;
        }

        return new OrgSummary(
            byType,
            CountBy(org.RepPersonas.Values, Enum.GetValues<RepPersona>()),
            CountBy(org.ManagerPersonas.Values, Enum.GetValues<ManagerPersona>()),
            openOpportunities, queued, ownedByUsers, converted, closed);
    }

    private static IReadOnlyDictionary<T, int> CountBy<T>(IEnumerable<T> values, T[] all) where T : struct, Enum
    {
        var counts = all.ToDictionary(v => v, _ => 0);
        foreach (var value in values)
            counts[value]++;
        return counts;
    }

    /// <summary>A few aligned lines: record counts by type, personas, pipeline and lead pool.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (type, count) in RecordsByType)
            text.Append(CultureInfo.InvariantCulture, $"{type,-24}{count,10:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"Tasks + Events",-24}{TasksAndEvents,10:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"Open opportunities",-24}{OpenOpportunities,10:N0}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Leads: {QueuedLeads:N0} queued, {LeadsOwnedByUsers:N0} owned by users, {ConvertedLeads:N0} converted, {ClosedLeads:N0} closed\n");
        text.Append("Reps: ").AppendJoin(", ", RepsByPersona.Select(p => $"{p.Value} {p.Key}")).Append('\n');
        text.Append("Managers: ").AppendJoin(", ", ManagersByPersona.Select(p => $"{p.Value} {p.Key}")).Append('\n');
        return text.ToString();
    }
}
