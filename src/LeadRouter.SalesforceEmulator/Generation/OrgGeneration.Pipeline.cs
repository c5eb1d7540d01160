namespace LeadRouter.SalesforceEmulator.Generation;

// Each rep's accounts, contacts and opportunities, with contact roles, close-date history, the open
// next-step activity of each deal and the completed activity that sets its LastActivityDate.
internal sealed partial class OrgGeneration
{
    private static readonly string[] LowerCompanyStems =
        Array.ConvertAll(SampleData.CompanyStems, s => s.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
    private static readonly string[] LowerCompanyKinds = Array.ConvertAll(SampleData.CompanyKinds, s => s.ToLowerInvariant());

    private void AddPipeline(Rep rep)
    {
        var profile = rep.Profile;
        var openCount = (int)Math.Round(profile.OpenOpportunities * (0.8 + 0.4 * _random.NextDouble()));
        var closedCount = profile.ClosedOpportunities == 0 ? 0 : Between(profile.ClosedOpportunities - 2, profile.ClosedOpportunities + 2);
        var accountCount = Math.Max(1, (openCount + closedCount) * 3 / 5);
        for (var a = 0; a < accountCount; a++)
            rep.Accounts.Add(AddClient(rep));
        for (var o = 0; o < openCount; o++)
            AddOpenOpportunity(rep);
        for (var o = 0; o < closedCount; o++)
            AddClosedOpportunity(rep);
    }

    private Client AddClient(Rep rep)
    {
        var stem = _random.Next(SampleData.CompanyStems.Length);
        var kind = _random.Next(SampleData.CompanyKinds.Length);
        var name = string.Concat(SampleData.CompanyStems[stem], " ", SampleData.CompanyKinds[kind], " ", Pick(SampleData.CompanySuffixes));
        var domain = string.Concat("@", LowerCompanyStems[stem], LowerCompanyKinds[kind], ".example");
        var created = At(Min(rep.HireDay, _today.AddDays(-Between(30, 1_500))), Between(8 * 60, 18 * 60));
        var accountId = AddAccount(name, Pick(SampleData.Industries), rep.Id, created);

        var contactIds = new string[Between(2, 4)];
        for (var c = 0; c < contactIds.Length; c++)
        {
            var first = _random.Next(SampleData.FirstNames.Length);
            var last = _random.Next(SampleData.LastNames.Length);
            var email = string.Concat(LowerFirstNames[first], ".", LowerLastNames[last], domain);
            contactIds[c] = AddContact(accountId, SampleData.FirstNames[first], SampleData.LastNames[last], email, rep.Id, created);
        }
        return new Client(accountId, name, contactIds);
    }

    private void AddOpenOpportunity(Rep rep)
    {
        var profile = rep.Profile;
        var client = rep.Accounts[_random.Next(rep.Accounts.Count)];
        var lastWorkDay = Min(rep.LastDay, _today.AddDays(-1));
        var createdDay = AtWork(rep, lastWorkDay.AddDays(-Between(0, Math.Min(200, lastWorkDay.DayNumber - rep.HireDay.DayNumber))));
        var created = WorkingMoment(createdDay);
        var stage = Pick(SampleData.OpenStages);
        object amount = (decimal)(Between(10, 500) * 500);

        var closeDate = Chance(profile.CloseDateAhead) ? _today.AddDays(Between(3, 120)) : _today.AddDays(-Between(1, 60));

        string? nextStep = null;
        DateOnly? nextStepDate = null;
        if (Chance(profile.NextStep))
        {
            nextStep = Pick(SampleData.NextSteps);
            nextStepDate = Chance(profile.NextStepOnTime) ? _today.AddDays(Between(1, 21)) : _today.AddDays(-Between(1, 30));
        }

        // LastActivityDate: within the last 14 days, or stale (now and then never touched at all).
        DateOnly? lastActivity = Chance(profile.RecentActivity)
            ? _today.AddDays(-Between(1, 13))
            : Min(rep.LastDay, _today.AddDays(-15)).AddDays(-Between(0, 100));
        if (lastActivity is { } touched)
            lastActivity = AtWork(rep, touched);
        if (lastActivity < createdDay)
            lastActivity = Chance(0.3) ? null : createdDay;

        var pushes = Chance(profile.ChronicPushes) ? Between(3, 5) : Chance(profile.SomePushes) ? Between(1, 2) : 0;
        var history = PlanHistory(rep, stage, closeDate, pushes, createdDay, created);
        var id = AddOpportunity(
            string.Concat(client.Name, " - ", Pick(SampleData.Products)), client.AccountId, rep.Id, stage, isClosed: false, closeDate,
            amount, nextStep, nextStepDate, lastActivity, created, history.Count > 0 ? history[^1].At : created);
        foreach (var change in history)
            AddOpportunityHistory(id, change.Stage, amount, change.CloseDate, change.PreviousCloseDate, change.At);

        var contactId = AddContactRoles(id, client, Chance(profile.DecisionMaker), created);
        if (nextStep is not null)
            AddNextStepActivity(rep, id, contactId, client.Name, nextStep, nextStepDate!.Value, created);
        if (lastActivity is { } day)
            AddLastActivity(rep, id, contactId, day);
        rep.Deals.Add(new OpenDeal(id, client.AccountId, contactId, createdDay, lastActivity));
    }

    private void AddClosedOpportunity(Rep rep)
    {
        var firstDay = Max(_windowStart, rep.HireDay);
        var lastDay = Min(rep.LastDay, _today.AddDays(-1));
        if (lastDay < firstDay)
            return;
        var client = rep.Accounts[_random.Next(rep.Accounts.Count)];
        var closeDate = firstDay.AddDays(Between(0, lastDay.DayNumber - firstDay.DayNumber));
        var createdDay = Max(rep.HireDay, closeDate.AddDays(-Between(20, 150)));
        var created = WorkingMoment(createdDay);
        var closed = WorkingMoment(closeDate);
        var isWon = Chance(0.45);
        var stage = isWon ? "Closed Won" : "Closed Lost";
        object amount = (decimal)(Between(10, 500) * 500);
        var lastActivity = Max(createdDay, AtWork(rep, closeDate.AddDays(-Between(0, 3))));

        var id = AddOpportunity(
            string.Concat(client.Name, " - ", Pick(SampleData.Products)), client.AccountId, rep.Id, stage, isClosed: true, closeDate,
            amount, nextStep: null, nextStepDate: null, lastActivity, created, closed);
        // Closing often pulls the close date in to the day the deal closed.
        AddOpportunityHistory(id, stage, amount, closeDate, closeDate.AddDays(Between(0, 30)), closed);
        var contactId = AddContactRoles(id, client, Chance(0.7), created);
        AddLastActivity(rep, id, contactId, lastActivity);
    }

    /// <summary>A change OpportunityHistory records: when, the stage then, the close date and the one before.</summary>
    private readonly record struct OpportunityChange(DateTimeOffset At, string Stage, DateOnly CloseDate, DateOnly? PreviousCloseDate);

    /// <summary>
    /// The history of an open opportunity, oldest first: its creation (when inside the window), each
    /// close-date push, and sometimes a stage change that keeps the close date.
    /// </summary>
    private List<OpportunityChange> PlanHistory(Rep rep, string stage, DateOnly closeDate, int pushes, DateOnly createdDay, DateTimeOffset created)
    {
        var changes = new List<OpportunityChange>(pushes + 2);

        // Walk the close date back through its pushes: each moved it 1 to 6 weeks later.
        Span<int> closeDates = stackalloc int[pushes + 1];
        closeDates[pushes] = closeDate.DayNumber;
        for (var p = pushes - 1; p >= 0; p--)
            closeDates[p] = closeDates[p + 1] - Between(7, 45);
        if (createdDay >= _windowStart)
            changes.Add(new(created, "Prospecting", DateOnly.FromDayNumber(closeDates[0]), null));

        var firstDay = Max(_windowStart, createdDay.AddDays(1));
        var lastDay = Min(rep.LastDay, _today.AddDays(-1));
        if (lastDay < firstDay)
            return changes;
        Span<int> pushDays = stackalloc int[pushes];
        for (var p = 0; p < pushes; p++)
            pushDays[p] = Between(firstDay.DayNumber, lastDay.DayNumber);
        pushDays.Sort();
        var lastChange = created;
        for (var p = 0; p < pushes; p++)
        {
            lastChange = Later(lastChange, WorkingMoment(DateOnly.FromDayNumber(pushDays[p])));
            changes.Add(new(lastChange, stage, DateOnly.FromDayNumber(closeDates[p + 1]), DateOnly.FromDayNumber(closeDates[p])));
        }
        if (Chance(0.4))
        {
            lastChange = Later(lastChange, WorkingMoment(DateOnly.FromDayNumber(Between(firstDay.DayNumber, lastDay.DayNumber))));
            changes.Add(new(lastChange, stage, closeDate, closeDate));
        }
        return changes;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The day, or the Friday before when the rep was off that week: nobody logs work on holiday.</summary>
    private static DateOnly AtWork(Rep rep, DateOnly day) => rep.IsOff(day) ? rep.WeekOff!.Value.AddDays(-3) : day;

    /// <summary>
    /// Contact roles: with a decision maker, a Decision Maker / Economic Buyer / Executive Sponsor as
    /// primary plus up to two others; without, up to two non-deciding roles or none at all. Returns
    /// the contact the rep mostly talks to.
    /// </summary>
    private string AddContactRoles(string opportunityId, Client client, bool withDecisionMaker, DateTimeOffset created)
    {
        var contacts = client.ContactIds;
        var start = _random.Next(contacts.Length);
        var roles = withDecisionMaker ? 1 + Between(0, Math.Min(2, contacts.Length - 1)) : Between(0, 2);
        for (var r = 0; r < roles; r++)
        {
            string? role = r == 0 && withDecisionMaker
                ? Pick(SampleData.DecisionMakerRoles)
                : Chance(0.03) ? null : Pick(SampleData.OtherRoles);
            AddContactRole(opportunityId, contacts[(start + r) % contacts.Length], role, isPrimary: r == 0, created);
        }
        return contacts[start];
    }

    /// <summary>The next step as an open activity on the deal: a customer meeting in the calendar, or a to-do (perhaps overdue).</summary>
    private void AddNextStepActivity(Rep rep, string opportunityId, string contactId, string accountName, string nextStep, DateOnly due, DateTimeOffset created)
    {
        // Planned a few days ahead, on a day the rep was still there.
        var planned = Later(created, WorkingMoment(Min(Min(rep.LastDay, _today.AddDays(-1)), due.AddDays(-Between(1, 10)))));
        if (due > _today && Chance(0.25))
        {
            AddCustomerMeeting(rep, string.Concat(nextStep, " - ", accountName), WorkingMoment(due), opportunityId, contactId, planned);
            return;
        }
        AddTask(nextStep, Chance(0.5) ? "Call" : "Meeting", "Task", rep.Id, rep.Id, opportunityId, contactId, due, planned, completed: null);
    }

    /// <summary>The completed activity that gives the deal its LastActivityDate, when that day is inside the window.</summary>
    private void AddLastActivity(Rep rep, string opportunityId, string contactId, DateOnly day)
    {
        if (day < _windowStart || day < rep.HireDay)
            return;
        var at = WorkingMoment(day);
        if (at > _asOf)
            return;
        var (subject, type, subtype) = SellingActivity();
        AddTask(subject, type, subtype, rep.Id, rep.Id, opportunityId, contactId, day, at, at);
    }
}
