namespace LeadRouter.SalesforceEmulator.Generation;

// Weekly one-on-one pipeline reviews, booked the ways real orgs book them: a recurring series the manager
// set up months ago (the rep invited), a series the rep set up (the manager invited), or a meeting booked
// each week. Replies live on EventRelation rows; a series' rows were created with the series.
internal sealed partial class OrgGeneration
{
    /// <summary>Occurrences of a series already in the calendar after the as-of week.</summary>
    private const int FutureWeeks = 4;

    private void AddReviews()
    {
        // Each manager's weeks in a random order: held, booked then deleted, or skipped. A skipped or
        // deleted week is the manager's miss, not the reps'.
        foreach (var team in _teams)
        {
            var profile = team.Profile;
            team.ReviewWeeks = Spread(
                [ReviewWeek.Held, ReviewWeek.Deleted, ReviewWeek.Skipped],
                Quota([profile.ReviewWeekHeld, profile.ReviewWeekDeleted, 1 - profile.ReviewWeekHeld - profile.ReviewWeekDeleted], WindowWeeks));
        }
        foreach (var team in _teams)
        {
            foreach (var rep in team.Reps)
                AddReviews(rep);
            if (team.Persona == ManagerPersona.Reliable)
                AddReviewDay(team);
        }
    }

    private enum ReviewWeek
    {
        Held,
        Deleted,
        Skipped,
    }

    /// <summary>One stretch of a rep's reviews with one manager (a rep who changed manager has two).</summary>
    private readonly record struct ReviewSpell(Team Team, DateOnly From, DateOnly Until);

    private void AddReviews(Rep rep)
    {
        var offsetMinutes = SampleData.TeamLocations[rep.Team.Location].UtcOffset * 60;
        // A standing slot: Tuesday to Thursday, 9:00 to 15:30 local time.
        var weekday = Between(1, 3);
        var minute = Between(18, 31) * 30 - offsetMinutes;
        var end = _windowStart.AddDays(7 * (WindowWeeks + FutureWeeks));
        ReviewSpell[] spells = rep.MovedOn is { } moved
            ? [new(rep.FormerTeam!, _windowStart, moved), new(rep.Team, moved, end)]
            : [new(rep.Team, _windowStart, end)];
        foreach (var spell in spells)
        {
            var team = spell.Team;
            if (team.Persona == ManagerPersona.NeverReviews)
                continue;
            var subject = team.ReviewStyle switch
            {
                0 => string.Concat("1:1 ", team.ManagerFirstName, " / ", rep.FirstName),
                1 => string.Concat("One-on-one: ", rep.FirstName, " & ", team.ManagerFirstName),
                _ => string.Concat("Weekly pipeline review - ", rep.FirstName),
            };
            var type = team.ReviewStyle switch { 0 => "Pipeline Review", 1 => "Meeting", _ => null };
            if (rep.Booking == ReviewBooking.Weekly)
                AddWeeklyReviews(rep, spell, subject, type, weekday, minute);
            else
                AddReviewSeries(rep, spell, subject, type, weekday, minute);
        }
    }

    /// <summary>The days of a spell's reviews: the standing weekday of each week, now and then moved; none before hire or after leaving.</summary>
    private IEnumerable<(int Week, DateOnly Day, bool Moved)> ReviewDays(Rep rep, ReviewSpell spell, int weekday, DateOnly from)
    {
        for (var week = 0; week < WindowWeeks + FutureWeeks; week++)
        {
            var monday = _windowStart.AddDays(7 * week);
            if (monday < spell.From || monday >= spell.Until)
                continue;
            var moved = Chance(0.15);
            var day = monday.AddDays(moved ? Between(0, 4) : weekday);
            if (day < from || day < rep.HireDay || (!rep.IsActive && day > rep.LastDay))
                continue;
            yield return (week, day, moved);
        }
    }

    /// <summary>A meeting booked each week a few days ahead, owned by the manager; only the window's weeks.</summary>
    private void AddWeeklyReviews(Rep rep, ReviewSpell spell, string subject, string? type, int weekday, int minute)
    {
        foreach (var (week, day, _) in ReviewDays(rep, spell, weekday, _windowStart))
        {
            if (week >= WindowWeeks)
                break;
            var kind = spell.Team.ReviewWeeks[week];
            if (kind == ReviewWeek.Skipped)
                continue;
            AddReview(spell.Team, rep, subject, type, At(day, minute), kind == ReviewWeek.Deleted);
        }
    }

    private void AddReview(Team team, Rep rep, string subject, string? type, DateTimeOffset start, bool deleted)
    {
        // Booked a week ahead (or when the rep joined); a cancelled review is deleted before it starts.
        var created = At(Max(rep.HireDay, DateOnly.FromDateTime(start.UtcDateTime).AddDays(-6)), 8 * 60);
        if (created > _asOf)
            created = _asOf;
        var modified = created;
        if (deleted)
        {
            var deletedAt = start.AddHours(-Between(1, 48));
            modified = deletedAt < created ? created : deletedAt > _asOf ? _asOf : deletedAt;
        }
        var eventId = AddEvent(subject, type, start, isAllDay: false, team.ManagerId, null, null, created, modified, deleted);

        var (status, responded) = Reply(rep, start, created);
        AddEventRelation(eventId, rep.Id, status, created, responded > modified ? responded : modified, deleted);
    }

    /// <summary>
    /// The rep's reply to one review: accepted, declined or no answer by persona; declined on their week
    /// off. A reply after the as-of moment has not happened yet.
    /// </summary>
    private (string Status, DateTimeOffset At) Reply(Rep rep, DateTimeOffset start, DateTimeOffset invited)
    {
        var profile = rep.Profile;
        var roll = _random.NextDouble();
        var status = rep.IsOff(DateOnly.FromDateTime(start.UtcDateTime)) ? "Declined"
            : roll < profile.ReviewAccepted ? "Accepted" : roll < profile.ReviewAccepted + profile.ReviewDeclined ? "Declined" : "New";
        var responded = status == "Declined" ? Later(invited, start.AddHours(-Between(1, 72))) : invited.AddMinutes(Between(5, 2 * 24 * 60));
        return status == "New" || responded > _asOf ? ("New", invited) : (status, responded);
    }

    /// <summary>
    /// A weekly series set up months before the window (or when the rep joined, or when they changed
    /// manager): a master Event (IsRecurrence) and one occurrence per week pointing at it, every one of
    /// them and every invitation created with the series. A week the manager skipped or cancelled is a
    /// deleted occurrence; in a series the rep owns, a week the manager skipped is declined by the manager.
    /// </summary>
    private void AddReviewSeries(Rep rep, ReviewSpell spell, string subject, string? type, int weekday, int minute)
    {
        var team = spell.Team;
        var setUp = spell.From == _windowStart ? Max(rep.HireDay, _today.AddDays(-Between(90, 300))) : spell.From.AddDays(-Between(1, 4));
        var created = At(setUp, 8 * 60 + Between(0, 120));
        var firstDay = setUp.AddDays(1);
        while ((int)firstDay.DayOfWeek != weekday + 1)
            firstDay = firstDay.AddDays(1);
        var repOwns = rep.Booking == ReviewBooking.RepSeries;
        var (owner, invitee) = repOwns ? (rep.Id, team.ManagerId) : (team.ManagerId, rep.Id);
        // A series ends with the spell: a rep who changed manager, or left, had theirs ended then.
        var lastDay = spell.Until < _windowStart.AddDays(7 * WindowWeeks) ? spell.Until.AddDays(-1) : setUp.AddDays(364);
        if (!rep.IsActive)
            lastDay = Min(lastDay, rep.LastDay);
        var masterModified = lastDay < _today ? Earlier(At(lastDay.AddDays(1), 9 * 60), _asOf) : created;
        var seriesId = AddSeriesMaster(subject, type, At(firstDay, minute), lastDay, owner,
            SampleData.TeamLocations[team.Location].TimeZone, created, masterModified);
        AddEventRelation(seriesId, invitee, "Accepted", created, created.AddMinutes(Between(5, 600)), isDeleted: false);

        foreach (var (week, day, moved) in ReviewDays(rep, spell, weekday, firstDay))
        {
            if (day > lastDay)
                break;
            var start = At(day, minute);
            var kind = week < WindowWeeks ? team.ReviewWeeks[week] : ReviewWeek.Held;
            var deleted = kind == ReviewWeek.Deleted || (kind == ReviewWeek.Skipped && !repOwns) || (repOwns && rep.IsOff(day));
            // Moving or cancelling one occurrence stamps it then; the rest keep the series' stamps.
            var modified = created;
            if (deleted || moved)
                modified = Earlier(Later(created, start.AddHours(-Between(1, 7 * 24))), _asOf);
            var occurrenceId = AddEvent(subject, type, start, isAllDay: false, owner, null, null, created, modified, deleted, seriesId);

            string status;
            var replied = created.AddMinutes(Between(5, 600));
            if (repOwns)
            {
                status = kind == ReviewWeek.Skipped ? "Declined" : "Accepted";
                if (status == "Declined")
                    replied = Later(created, start.AddHours(-Between(1, 72)));
                if (replied > _asOf)
                    (status, replied) = ("Accepted", created.AddMinutes(5));
            }
            else
            {
                (status, replied) = Reply(rep, start, created);
            }
            AddEventRelation(occurrenceId, invitee, status, created, Later(replied, modified), deleted);
        }
    }

    /// <summary>
    /// Once a quarter a reliable manager blocks a whole day for team pipeline reviews: an all-day
    /// event, which the trust score does not count as a one-on-one.
    /// </summary>
    private void AddReviewDay(Team team)
    {
        var day = _windowStart.AddDays(7 * Between(0, WindowWeeks - 2) + 2);
        var start = At(day, 0);
        var created = start.AddDays(-14);
        var eventId = AddEvent("Quarterly pipeline review day", "Pipeline Review", start, isAllDay: true, team.ManagerId, null, null, created, created);
        foreach (var rep in team.Reps)
        {
            if (day >= rep.HireDay && day <= rep.LastDay)
                AddEventRelation(eventId, rep.Id, "Accepted", created, created.AddHours(2), isDeleted: false);
        }
    }
}
