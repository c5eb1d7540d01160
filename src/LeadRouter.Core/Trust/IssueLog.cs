using System.Globalization;

namespace LeadRouter.Trust;

/// <summary>
/// Collects records that make no sense, counted per kind and object (e.g. unknown owners of Tasks),
/// keeping a sample of their ids; one-off issues such as a manager loop are added whole.
/// </summary>
internal sealed class IssueLog
{
    private const int SampleSize = 20;

    private readonly Dictionary<(DataIssueKind Kind, string Objects), List<string>> samples = [];
    private readonly Dictionary<(DataIssueKind Kind, string Objects), int> counts = [];
    private readonly List<DataIssue> whole = [];

    /// <param name="objects">The records concerned, plural, e.g. "Tasks".</param>
    public void Count(DataIssueKind kind, string objects, string? recordId)
    {
        var key = (kind, objects);
        counts[key] = counts.GetValueOrDefault(key) + 1;
        if (!samples.TryGetValue(key, out var ids))
            samples[key] = ids = [];
        if (ids.Count < SampleSize && !string.IsNullOrEmpty(recordId))
            ids.Add(recordId);
    }

    public void Add(DataIssue issue) => whole.Add(issue);

    public IReadOnlyList<DataIssue> ToList()
    {
        var all = new List<DataIssue>(whole);
        foreach (var (key, count) in counts)
            all.Add(new DataIssue(key.Kind, Describe(key.Kind, key.Objects, count), count, samples[key].ToArray()));
        all.Sort(static (a, b) =>
        {
            var byKind = a.Kind.CompareTo(b.Kind);
            return byKind != 0 ? byKind : string.CompareOrdinal(a.Message, b.Message);
        });
        return all;
    }

    private static string Describe(DataIssueKind kind, string objects, int count) => kind switch
    {
        DataIssueKind.UnknownOwner => Invariant($"{count} {objects} are owned by an id that is neither a user in the snapshot nor a queue; they are ignored."),
        DataIssueKind.UnknownManager => Invariant($"{count} {objects} report to a ManagerId that is not among the snapshot's users; they are scored, their manager has no name."),
        DataIssueKind.DuplicateUser => Invariant($"{count} {objects} appear more than once; the first row is used."),
        DataIssueKind.MissingId => Invariant($"{count} {objects} have no id; they are ignored."),
        _ => Invariant($"{count} {objects}: {kind}."),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
