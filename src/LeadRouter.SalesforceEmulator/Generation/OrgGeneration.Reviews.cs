namespace LeadRouter.SalesforceEmulator.Generation;

// Weekly one-on-one pipeline reviews: one Event per rep and week, owned by the manager, with the rep
// invited through an EventRelation whose Status says whether they came.
internal sealed partial class OrgGeneration
{
    private void AddReviews(Team team)
    {
        var offsetMinutes = SampleData.TeamLocations[team.Location].UtcOffset * 60;
        var reps = team.Reps;
        var weekdays = new int[reps.Count];
        var minutes = new int[reps.Count];
        var subjects = new string[reps.Count];
        for (var r = 0; r < reps.Count; r++)
        {
            // A standing slot: Tuesday to Thursday, 9:00 to 15:30 local time.
            weekdays[r] = Between(1, 3);
            minutes[r] = Between(18, 31) * 30 - offsetMinutes;
            subjects[r] = team.ReviewStyle switch
            {
                0 => string.Concat("1:1 ", team.ManagerFirstName, " / ", reps[r].FirstName),
                1 => string.Concat("One-on-one: ", reps[r].FirstName, " & ", team.ManagerFirstName),
                _ => string.Concat("Weekly pipeline review - ", reps[r].FirstName),
            };
        }
        var type = team.ReviewStyle switch { 0 => "Pipeline Review", 1 => "Meeting", _ => null };

        // The manager's weeks in a random order: held, booked then deleted, or skipped. A skipped week
        // is the manager's miss, not the reps'.
        var profile = team.Profile;
        var weeks = Spread(
            [ReviewWeek.Held, ReviewWeek.Deleted, ReviewWeek.Skipped],
            Quota([profile.ReviewWeekHeld, profile.ReviewWeekDeleted, 1 - profile.ReviewWeekHeld - profile.ReviewWeekDeleted], WindowWeeks));
        for (var week = 0; week < WindowWeeks; week++)
        {
            if (weeks[week] == ReviewWeek.Skipped)
                continue;
            var monday = _windowStart.AddDays(7 * week);
            var deleted = weeks[week] == ReviewWeek.Deleted;
            for (var r = 0; r < reps.Count; r++)
            {
                var rep = reps[r];
                // Now and then the slot moves to another weekday.
                var day = monday.AddDays(Chance(0.15) ? Between(0, 4) : weekdays[r]);
                // Reviews later this week are already in the calendar; none after a rep left.
                if (day < rep.HireDay || (!rep.IsActive && day > rep.LastDay))
                    continue;
                AddReview(team, rep, subjects[r], type, At(day, minutes[r]), deleted);
            }
        }

        if (team.Persona == ManagerPersona.Reliable)
            AddReviewDay(team);
    }

    private enum ReviewWeek
    {
        Held,
        Deleted,
        Skipped,
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

        var profile = rep.Profile;
        var roll = _random.NextDouble();
        var status = roll < profile.ReviewAccepted ? "Accepted" : roll < profile.ReviewAccepted + profile.ReviewDeclined ? "Declined" : "New";
        // A reply after the as-of moment has not happened yet.
        var responded = created.AddMinutes(Between(5, 2 * 24 * 60));
        if (status == "New" || responded > _asOf)
            (status, responded) = ("New", created);
        AddEventRelation(eventId, rep.Id, status, created, responded > modified ? responded : modified, deleted);
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
