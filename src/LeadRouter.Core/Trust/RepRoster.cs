using LeadRouter.Org;

namespace LeadRouter.Trust;

/// <summary>
/// Who is who in one snapshot: people (users, plus managers referenced but missing) by index, reps
/// (active users with a manager and no active reports, outside any manager loop) sorted by id, and their teams.
/// </summary>
internal sealed class RepRoster
{
    private readonly Dictionary<string, int> personIndex = new(StringComparer.Ordinal);

    public RepRoster(IReadOnlyList<User> users, int minTeamSize, IssueLog issues)
    {
        var rows = new List<User>(users.Count);
        foreach (var user in users)
        {
            if (user is null || string.IsNullOrEmpty(user.Id))
            {
                issues.Count(DataIssueKind.MissingId, "Users", null);
                continue;
            }
            if (!personIndex.TryAdd(user.Id, rows.Count))
            {
                issues.Count(DataIssueKind.DuplicateUser, "Users", user.Id);
                continue;
            }
            rows.Add(user);
        }

        var inLoop = FindManagerLoops(rows, issues);

        // Someone an active user reports to is a manager, not a rep, even with a manager of their own:
        // front-line managers and VPs sell little and are scored by their mirror, not by trust.
        var managing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.IsActive && !string.IsNullOrEmpty(row.ManagerId))
                managing.Add(row.ManagerId);
        }
        var reps = new List<User>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].IsActive && !string.IsNullOrEmpty(rows[i].ManagerId) && !inLoop[i] && !managing.Contains(rows[i].Id))
                reps.Add(rows[i]);
        }
        reps.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));

        PersonIds = new List<string>(rows.Count);
        PersonNames = new List<string?>(rows.Count);
        foreach (var row in rows)
        {
            PersonIds.Add(row.Id);
            PersonNames.Add(row.Name);
        }

        Reps = reps;
        RepPerson = new int[reps.Count];
        RepManager = new int[reps.Count];
        for (var r = 0; r < reps.Count; r++)
        {
            RepPerson[r] = personIndex[reps[r].Id];
            var managerId = reps[r].ManagerId!;
            if (!personIndex.TryGetValue(managerId, out var manager))
            {
                // Keep the rep: the manager may simply not have been synced. Reviews still match on the id.
                manager = PersonIds.Count;
                personIndex[managerId] = manager;
                PersonIds.Add(managerId);
                PersonNames.Add(null);
            }
            if (manager >= rows.Count)
                issues.Count(DataIssueKind.UnknownManager, "reps", reps[r].Id);
            RepManager[r] = manager;
        }

        RepOfPerson = new int[PersonIds.Count];
        Array.Fill(RepOfPerson, -1);
        for (var r = 0; r < reps.Count; r++)
            RepOfPerson[RepPerson[r]] = r;

        // Teams: one per manager, numbered in manager-id order; a team below the minimum size uses the org.
        var managers = new List<int>();
        var teamOfManager = new Dictionary<int, int>();
        foreach (var manager in RepManager)
        {
            if (!teamOfManager.ContainsKey(manager))
            {
                teamOfManager[manager] = -1;
                managers.Add(manager);
            }
        }
        managers.Sort((a, b) => string.CompareOrdinal(PersonIds[a], PersonIds[b]));
        for (var t = 0; t < managers.Count; t++)
            teamOfManager[managers[t]] = t;
        Managers = managers;
        RepTeam = new int[reps.Count];
        TeamSize = new int[managers.Count];
        for (var r = 0; r < reps.Count; r++)
        {
            RepTeam[r] = teamOfManager[RepManager[r]];
            TeamSize[RepTeam[r]]++;
        }
        TeamUsesOrg = new bool[managers.Count];
        for (var t = 0; t < managers.Count; t++)
            TeamUsesOrg[t] = TeamSize[t] < minTeamSize;
    }

    /// <summary>Ids of everyone the run knows, by person index (users first, then missing managers).</summary>
    public List<string> PersonIds { get; }

    public List<string?> PersonNames { get; }

    /// <summary>Reps in id order; the rep index is the position here.</summary>
    public IReadOnlyList<User> Reps { get; }

    public int[] RepPerson { get; }

    /// <summary>Person index of each rep's manager.</summary>
    public int[] RepManager { get; }

    /// <summary>Rep index of a person, -1 when the person is not a rep.</summary>
    public int[] RepOfPerson { get; }

    /// <summary>Person index of each manager, in id order; the team index is the position here.</summary>
    public IReadOnlyList<int> Managers { get; }

    public int[] RepTeam { get; }

    public int[] TeamSize { get; }

    /// <summary>Teams smaller than MinTeamSize borrow the org's mean and median.</summary>
    public bool[] TeamUsesOrg { get; }

    public int Person(string? id) => id is not null && personIndex.TryGetValue(id, out var index) ? index : -1;

    /// <summary>Rep index of a record owner, -1 otherwise.</summary>
    public int Rep(string? id)
    {
        var person = Person(id);
        return person >= 0 ? RepOfPerson[person] : -1;
    }

    /// <summary>Marks users on a ManagerId cycle and reports each cycle once.</summary>
    private bool[] FindManagerLoops(List<User> rows, IssueLog issues)
    {
        const byte Unvisited = 0, OnPath = 1, Done = 2;
        var state = new byte[rows.Count];
        var inLoop = new bool[rows.Count];
        var path = new List<int>();
        for (var start = 0; start < rows.Count; start++)
        {
            path.Clear();
            var current = start;
            while (current >= 0 && state[current] == Unvisited)
            {
                state[current] = OnPath;
                path.Add(current);
                current = rows[current].ManagerId is { } managerId && personIndex.TryGetValue(managerId, out var next) ? next : -1;
            }
            if (current >= 0 && state[current] == OnPath)
            {
                var loop = path.GetRange(path.IndexOf(current), path.Count - path.IndexOf(current));
                var ids = new List<string>(loop.Count);
                foreach (var member in loop)
                {
                    inLoop[member] = true;
                    ids.Add(rows[member].Id);
                }
                ids.Sort(StringComparer.Ordinal);
                issues.Add(new DataIssue(DataIssueKind.ManagerLoop,
                    $"ManagerId forms a loop among users {string.Join(", ", ids)}; they are not scored as reps.",
                    ids.Count, ids));
            }
            foreach (var member in path)
                state[member] = Done;
        }
        return inLoop;
    }
}
