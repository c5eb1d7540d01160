namespace LeadRouter.SalesforceEmulator.Generation;

// Each rep's working days: completed calls and emails, customer meetings, internal meetings, and admin
// tasks that are either delegated to the manager (created by the rep, owned by the manager) or kept and
// done by the rep; and a week off for some.
internal sealed partial class OrgGeneration
{
    private void AddActivity(Rep rep)
    {
        var profile = rep.Profile;
        var adminPerDay = profile.AdminPerWeek / 5.0;
        var last = Min(rep.LastDay, _today);
        if (rep.WeekOff is { } monday)
            AddOutOfOffice(rep.Id, monday, WorkingMoment(monday.AddDays(-Between(14, 60))));
        for (var day = Max(_windowStart, rep.HireDay); day <= last; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day) || rep.IsOff(day))
                continue;
            var selling = (int)(profile.SellingPerDay * (0.5 + _random.NextDouble()));
            for (var i = 0; i < selling; i++)
                AddSellingTask(rep, day);
            var admin = CountWithMean(adminPerDay);
            for (var i = 0; i < admin; i++)
                AddAdminTask(rep, day);
            if (Chance(0.15))
                AddInternalMeeting(rep, day);
        }
    }

    /// <summary>A meeting among colleagues the rep organises: no account, opportunity, contact or lead on it.</summary>
    private void AddInternalMeeting(Rep rep, DateOnly day)
    {
        var start = At(day, Between(16, 34) * 30);
        if (start > _asOf)
            return;
        var booked = start.AddDays(-Between(1, 10));
        AddEvent(Pick(SampleData.InternalMeetingSubjects), "Meeting", start, isAllDay: false, rep.Id, null, null, booked, booked);
    }

    /// <summary>
    /// A customer meeting in the calendar. With Shared Activities the contact is also an EventRelation row
    /// (IsParent), invited or not.
    /// </summary>
    private void AddCustomerMeeting(Rep rep, string subject, DateTimeOffset start, string? whatId, string? whoId, DateTimeOffset booked)
    {
        var eventId = AddEvent(subject, "Meeting", start, isAllDay: false, rep.Id, whatId, whoId, booked, booked);
        if (whoId is null)
            return;
        var invited = Chance(0.3);
        AddEventRelation(eventId, whoId, invited ? "Accepted" : null, booked, booked, isDeleted: false, isInvitee: invited, isParent: true);
    }

    private void AddSellingTask(Rep rep, DateOnly day)
    {
        var at = WorkingMoment(day);
        if (at > _asOf)
            return;
        var (subject, type, subtype) = SellingActivity();

        // Work on a deal is filed on the opportunity only up to its LastActivityDate; otherwise on the account.
        string? whatId = null, whoId = null;
        if (rep.Deals.Count > 0)
        {
            var deal = rep.Deals[_random.Next(rep.Deals.Count)];
            whatId = deal.LastActivity >= day && deal.CreatedDay <= day ? deal.OpportunityId : deal.AccountId;
            whoId = deal.ContactId;
        }
        // Customer meetings sit in the calendar; calls and emails are logged tasks, a few of them by mistake
        // and deleted (only queryAll returns those).
        if (type == "Meeting")
            AddCustomerMeeting(rep, subject, at, whatId, whoId, at.AddDays(-Between(1, 7)));
        else
            AddTask(subject, type, subtype, rep.Id, rep.Id, whatId, whoId, day, at, at, isDeleted: Chance(0.003));
    }

    /// <summary>
    /// A call, email or customer meeting. Some calls and emails are logged with only a TaskSubtype,
    /// as Salesforce's "Log a Call" and email logging do.
    /// </summary>
    private (string Subject, string? Type, string Subtype) SellingActivity()
    {
        var kind = _random.NextDouble();
        if (kind < 0.5)
            return (Pick(SampleData.CallSubjects), Chance(0.85) ? "Call" : null, "Call");
        if (kind < 0.9)
            return (Pick(SampleData.EmailSubjects), Chance(0.85) ? "Email" : null, "Email");
        return (Pick(SampleData.MeetingSubjects), "Meeting", "Task");
    }

    private void AddAdminTask(Rep rep, DateOnly day)
    {
        var created = WorkingMoment(day);
        if (created > _asOf)
            return;
        string subject;
        string? type;
        if (Chance(0.65))
            (subject, type) = (Pick(SampleData.AdminSubjects), Chance(0.5) ? "Other" : null);
        else
            (subject, type) = Pick(SampleData.AdminTyped);
        var due = day.AddDays(3);

        if (Chance(rep.Profile.DelegationRate))
        {
            // Delegated: the manager of the day owns it and, depending on the manager, gets it done in days, late, or not yet.
            var team = rep.TeamOn(day);
            var manager = team.Profile;
            var roll = _random.NextDouble();
            DateTimeOffset? done = roll < manager.DelegatedDoneInTime
                ? created.AddHours(Between(2, 96))
                : roll < manager.DelegatedDoneInTime + manager.DelegatedDoneLate ? created.AddDays(Between(8, 14)) : null;
            if (done > _asOf)
                done = null;
            AddTask(subject, type, "Task", team.ManagerId, rep.Id, null, null, due, created, done);
            return;
        }

        // Kept: the rep does it the same day.
        DateTimeOffset? completed = created.AddMinutes(Between(10, 300));
        if (completed > _asOf)
            completed = null;
        AddTask(subject, type, "Task", rep.Id, rep.Id, null, null, due, created, completed);
    }
}
