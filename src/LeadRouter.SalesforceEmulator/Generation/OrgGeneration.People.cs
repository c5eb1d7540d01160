namespace LeadRouter.SalesforceEmulator.Generation;

// The org chart (CEO, VPs, first-line managers, reps) and the lead queues.
internal sealed partial class OrgGeneration
{
    private const string EmailDomain = "acme.example";

    private readonly HashSet<string> _usernames = new(StringComparer.OrdinalIgnoreCase);
    private string _inboundQueueId = "";
    private string _partnerQueueId = "";
    private string _eventQueueId = "";
    private string _nurtureQueueId = "";

    private void AddPeople()
    {
        var locations = SampleData.TeamLocations;
        var (ceoId, _) = AddPerson(null, locations[0], LongAgo(), isActive: true, leftOn: null);

        var vpIds = new string[_size.Vps];
        for (var v = 0; v < vpIds.Length; v++)
            (vpIds[v], _) = AddPerson(ceoId, locations[v % locations.Length], LongAgo(), isActive: true, leftOn: null);

        var managerPersonas = Enum.GetValues<ManagerPersona>();
        var managerShares = Array.ConvertAll(managerPersonas, p => ManagerProfile.Of(p).Share);
        var managerDeal = Spread(managerPersonas, Quota(managerShares, _size.Managers));
        for (var m = 0; m < _size.Managers; m++)
        {
            var location = m % locations.Length;
            var (id, firstName) = AddPerson(
                vpIds[m / SizeProfile.ManagersPerVp], locations[location], LongAgo(), isActive: true, leftOn: null);
            // Most managers type their reviews as 'Pipeline Review'; the rest are found by subject only.
            var reviewStyle = Chance(0.7) ? 0 : Chance(2.0 / 3) ? 1 : 2;
            _teams.Add(new Team(id, firstName, managerDeal[m], location, reviewStyle));
        }

        var repPersonas = Enum.GetValues<RepPersona>();
        var repShares = Array.ConvertAll(repPersonas, p => RepProfile.Of(p).Share);
        var repDeal = Spread(repPersonas, Quota(repShares, _size.Reps));
        for (var r = 0; r < _size.Reps; r++)
        {
            var team = _teams[r % _teams.Count];
            var persona = repDeal[r];
            var hireDay = persona switch
            {
                RepPersona.NewHire => _today.AddDays(-Between(7, 14)),
                _ => _today.AddDays(-Between(120, 2_500)),
            };
            DateOnly? leftOn = persona == RepPersona.Departed ? _today.AddDays(-Between(28, 56)) : null;
            var settled = leftOn is null && persona != RepPersona.NewHire;

            // One rep in 25 moved from another team 3 to 9 weeks into the window (picked across teams: the
            // rep's place in the team plus the team's index); one in 8 took a week off.
            Team? formerTeam = null;
            DateOnly? movedOn = null;
            if (settled && _teams.Count > 1 && (r / _teams.Count + r % _teams.Count) % 25 == 7)
            {
                formerTeam = _teams[(r + Between(1, _teams.Count - 1)) % _teams.Count];
                movedOn = _windowStart.AddDays(7 * Between(3, 9));
            }
            DateOnly? weekOff = settled && r % 8 == 3 ? _windowStart.AddDays(7 * Between(1, WindowWeeks - 2)) : null;

            // Most weekly one-on-ones are a series the manager set up; reps who rarely decline sometimes own it.
            var roll = _random.NextDouble();
            var booking = roll < 0.6 ? ReviewBooking.ManagerSeries
                : roll < 0.75 && RepProfile.Of(persona).ReviewDeclined <= 0.1 ? ReviewBooking.RepSeries
                : roll < 0.75 ? ReviewBooking.ManagerSeries
                : ReviewBooking.Weekly;

            var (id, firstName) = AddPerson(
                team.ManagerId, SampleData.TeamLocations[team.Location], hireDay, isActive: leftOn is null, leftOn, movedOn);
            var rep = new Rep(id, firstName, team, persona, hireDay, leftOn ?? _today, booking, formerTeam, movedOn, weekOff);
            team.Reps.Add(rep);
            _reps.Add(rep);
        }
    }

    private DateOnly LongAgo() => _today.AddDays(-Between(400, 3_000));

    /// <summary>Adds a user with a unique first.last@acme.example username (a number breaks ties).</summary>
    /// <param name="movedOn">The day the user's ManagerId changed (their last modification).</param>
    private (string Id, string FirstName) AddPerson(
        string? managerId, (string Country, string TimeZone, int UtcOffset) location, DateOnly hireDay, bool isActive,
        DateOnly? leftOn, DateOnly? movedOn = null)
    {
        var first = _random.Next(SampleData.FirstNames.Length);
        var last = _random.Next(SampleData.LastNames.Length);
        var stem = string.Concat(LowerFirstNames[first], ".", LowerLastNames[last]);
        var username = string.Concat(stem, "@", EmailDomain);
        for (var n = 2; !_usernames.Add(username); n++)
            username = string.Concat(stem, n.ToString(System.Globalization.CultureInfo.InvariantCulture), "@", EmailDomain);

        var created = At(hireDay, 9 * 60);
        // IT deactivates a leaver the next morning.
        var modified = leftOn is { } day ? At(day.AddDays(1), 9 * 60) : movedOn is { } moved ? At(moved, 9 * 60) : created;
        var id = AddUser(username, SampleData.FirstNames[first], SampleData.LastNames[last], isActive, managerId, location, created, modified);
        return (id, SampleData.FirstNames[first]);
    }

    private static readonly string[] LowerFirstNames = Array.ConvertAll(SampleData.FirstNames, n => n.ToLowerInvariant());
    private static readonly string[] LowerLastNames = Array.ConvertAll(SampleData.LastNames, n => n.ToLowerInvariant());

    /// <summary>Four lead queues (routing pools or not, as configuration decides), a Case queue and a plain public group.</summary>
    private void AddQueues()
    {
        var created = At(_today.AddDays(-1_000), 10 * 60);
        _inboundQueueId = AddLeadQueue("Inbound Leads", "Inbound_Leads", created);
        _partnerQueueId = AddLeadQueue("Partner Leads", "Partner_Leads", created);
        _eventQueueId = AddLeadQueue("Event Leads", "Event_Leads", created);
        _nurtureQueueId = AddLeadQueue("Nurture Leads", "Nurture_Leads", created);
        AddQueueSobject(AddGroup("Customer Support", "Customer_Support", "Queue", created), "Case", created);
        AddGroup("All Sales", "All_Sales", "Regular", created);
    }

    private string AddLeadQueue(string name, string developerName, DateTimeOffset created)
    {
        var id = AddGroup(name, developerName, "Queue", created);
        AddQueueSobject(id, "Lead", created);
        return id;
    }
}
