using System.Runtime.CompilerServices;
using LeadRouter.Org;

namespace LeadRouter.Trust;

/// <summary>
/// One pass over a snapshot: counts per rep and week slot (see <see cref="TrustCalendar"/>) for every
/// component, the manager mirror's counts, and the facts the pipeline audit needs per open opportunity.
/// Built for large orgs: no allocation per row, one dictionary look-up per id, subjects classified
/// once each. The loops run once per score, so they are compiled fully optimized at once rather than
/// through tiered compilation.
/// </summary>
internal sealed class TrustLedger
{
    private const int None = -1;
    private const string OpportunityPrefix = "006";
    private const string AccountPrefix = "001";
    private const string ContactPrefix = "003";
    private const string LeadPrefix = "00Q";
    private const int MinutesPerDay = 24 * 60;

    private readonly RepRoster roster;
    private readonly TrustCalendar calendar;
    private readonly ActivityClassifier classifier;
    private readonly IssueLog issues;
    private readonly int slots;
    private readonly Dictionary<string, int> opportunityIndex = new(StringComparer.Ordinal);

    // Reviews: candidate events in the window, their participants as a linked list in flat arrays.
    private readonly Dictionary<string, int> reviewIndex = new(StringComparer.Ordinal);
    private readonly List<int> reviewSlot = [];
    private readonly List<int> reviewDay = [];
    private readonly List<int> reviewFirstParticipant = [];
    private readonly List<int> participantPerson = [];
    private readonly List<bool> participantDeclined = [];
    private readonly List<int> participantNext = [];

    // Out-of-office days per rep, [rep × day] from the oldest week either view reads to the as-of day.
    private readonly int firstDayOff;
    private readonly int dayOffSpan;
    private readonly bool[] daysOff;

    /// <summary>Managers other than the current one with whom the rep held a review in the window (a change of manager).</summary>
    private readonly List<int>?[] formerManagers;
    private readonly bool[] managesReps;

    public TrustLedger(OrgSnapshot org, RepRoster roster, TrustCalendar calendar, ActivityClassifier classifier,
        int serviceDays, IssueLog issues)
    {
        this.roster = roster;
        this.calendar = calendar;
        this.classifier = classifier;
        this.issues = issues;
        slots = calendar.SlotCount;
        ServiceDays = serviceDays;

        var repSlots = roster.Reps.Count * slots;
        Held = new int[repSlots];
        Attended = new int[repSlots];
        Selling = new int[repSlots];
        Delegated = new int[repSlots];
        Kept = new int[repSlots];
        Active = new int[repSlots];
        var people = roster.PersonIds.Count;
        ManagerReviews = new int[people * slots];
        DelegatedTo = new int[people];
        ServedInTime = new int[people];
        ServedLate = new int[people];
        OpenOverdue = new int[people];
        OpenNotYetDue = new int[people];
        firstDayOff = calendar.WeekMonday - 7 * calendar.Weeks;
        dayOffSpan = calendar.MomentDays[TrustCalendar.Current] - firstDayOff + 1;
        daysOff = new bool[roster.Reps.Count * dayOffSpan];
        formerManagers = new List<int>?[roster.Reps.Count];
        managesReps = new bool[people];
        foreach (var manager in roster.Managers)
            managesReps[manager] = true;

        IndexOpportunities(org.Opportunities ?? []);
        IndexContactRoles(org.ContactRoles ?? []);
        IndexHistory(org.OpportunityHistory ?? []);
        // Reviews before tasks: work delegated to a former manager counts once the reviews show who that was.
        IndexEvents(org.Events ?? []);
        IndexEventRelations(org.EventRelations ?? []);
        CountReviews();
        IndexTasks(org.Tasks ?? []);
    }

    public int ServiceDays { get; }

    // Per rep × slot (index rep * SlotCount + slot).
    /// <summary>Reviews held with the rep and their manager of that week on them (not on the rep's days off).</summary>
    public int[] Held { get; }
    /// <summary>Held reviews the rep did not decline.</summary>
    public int[] Attended { get; }
    /// <summary>Completed selling tasks and past customer meetings the rep owns.</summary>
    public int[] Selling { get; }
    /// <summary>Admin tasks the rep created for their manager.</summary>
    public int[] Delegated { get; }
    /// <summary>Admin tasks the rep created, owns and completed.</summary>
    public int[] Kept { get; }
    /// <summary>Anything the rep did: a task created or completed, an event, a review; marks the weeks with data.</summary>
    public int[] Active { get; }

    // Manager mirror, per person (× slot for reviews).
    /// <summary>Distinct reviews held by the manager with at least one of their reps.</summary>
    public int[] ManagerReviews { get; }
    public int[] DelegatedTo { get; }
    public int[] ServedInTime { get; }
    public int[] ServedLate { get; }
    public int[] OpenOverdue { get; }
    public int[] OpenNotYetDue { get; }

    // Open opportunities owned by reps, with the facts per view (Current, Previous).
    public List<Opportunity> Opportunities { get; } = [];
    public List<int> OpportunityRep { get; } = [];
    public List<bool> HasDecisionMaker { get; } = [];
    /// <summary>Earliest due date (day) of a task on the opportunity still open at the view's moment.</summary>
    public List<int>[] EarliestOpenTaskDay { get; } = [[], []];
    /// <summary>Earliest day of an event on the opportunity after the view's moment.</summary>
    public List<int>[] EarliestFutureEventDay { get; } = [[], []];
    /// <summary>Latest day of a completed task or past event on the opportunity as of the view's moment.</summary>
    public List<int>[] LastActivityDay { get; } = [[], []];
    /// <summary>Close-date pushes recorded in the view's window.</summary>
    public List<int>[] Pushes { get; } = [[], []];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexOpportunities(IReadOnlyList<Opportunity> opportunities)
    {
        for (var i = 0; i < opportunities.Count; i++)
        {
            var opportunity = opportunities[i];
            if (string.IsNullOrEmpty(opportunity?.Id))
            {
                issues.Count(DataIssueKind.MissingId, "Opportunities", null);
                continue;
            }
            var owner = Owner(opportunity.Id, opportunity.OwnerId, "Opportunities");
            if (owner == None || opportunity.IsClosed || roster.RepOfPerson[owner] == None)
                continue;
            if (!opportunityIndex.TryAdd(opportunity.Id, Opportunities.Count))
                continue;
            Opportunities.Add(opportunity);
            OpportunityRep.Add(roster.RepOfPerson[owner]);
            HasDecisionMaker.Add(false);
            for (var view = 0; view < 2; view++)
            {
                EarliestOpenTaskDay[view].Add(int.MaxValue);
                EarliestFutureEventDay[view].Add(int.MaxValue);
                LastActivityDay[view].Add(int.MinValue);
                Pushes[view].Add(0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexContactRoles(IReadOnlyList<OpportunityContactRole> roles)
    {
        var decisionMakerRoles = classifier.DecisionMakerRoles;
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i];
            if (role?.Role is { } name && decisionMakerRoles.Contains(name)
                && role.OpportunityId is not null && opportunityIndex.TryGetValue(role.OpportunityId, out var o))
                HasDecisionMaker[o] = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexHistory(IReadOnlyList<OpportunityHistory> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            var row = history[i];
            if (row?.CloseDate is not { } close || row.PrevCloseDate is not { } previous || close <= previous
                || row.OpportunityId is null || !opportunityIndex.TryGetValue(row.OpportunityId, out var o))
                continue;
            var slot = calendar.SlotOf(row.CreatedDate);
            if (slot == None)
                continue;
            for (var view = 0; view < 2; view++)
            {
                if (calendar.AgeIn(view, slot) != None)
                    Pushes[view][o]++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexTasks(IReadOnlyList<ActivityTask> tasks)
    {
        var moments = calendar.Moments;
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            if (task is null)
                continue;
            var owner = Owner(task.Id, task.OwnerId, "Tasks");
            if (owner == None)
                continue;
            var ownerRep = roster.RepOfPerson[owner];
            var meaning = classifier.Classify(task);
            var admin = (meaning & TypeMeaning.Admin) != 0;

            // When the task was done: the completion time, else its due date, else its creation.
            var completionDay = int.MaxValue;
            var completionSlot = None;
            if (task.IsClosed)
            {
                if (task.CompletedDateTime is { } completed)
                {
                    completionDay = calendar.LocalDay(completed);
                    completionSlot = calendar.SlotOf(completed, completionDay);
                }
                else
                {
                    completionDay = task.ActivityDate?.DayNumber ?? calendar.LocalDay(task.CreatedDate);
                    completionSlot = calendar.SlotOfDay(completionDay);
                }
            }

            if (task.WhatId is { } whatId && IsOpportunityId(whatId) && opportunityIndex.TryGetValue(whatId, out var o))
            {
                for (var view = 0; view < 2; view++)
                {
                    if (task.CreatedDate > moments[view])
                        continue;
                    if (completionDay <= calendar.MomentDays[view])
                        LastActivityDay[view][o] = Math.Max(LastActivityDay[view][o], completionDay);
                    else if (task.ActivityDate is { } due)
                        EarliestOpenTaskDay[view][o] = Math.Min(EarliestOpenTaskDay[view][o], due.DayNumber);
                }
            }

            var createdDay = None;
            var createdSlot = None;
            if (ownerRep != None || admin)
            {
                createdDay = calendar.LocalDay(task.CreatedDate);
                createdSlot = calendar.SlotOf(task.CreatedDate, createdDay);
            }

            if (ownerRep != None)
            {
                var row = ownerRep * slots;
                if (createdSlot != None)
                    Active[row + createdSlot]++;
                if (completionSlot != None)
                {
                    Active[row + completionSlot]++;
                    if ((meaning & TypeMeaning.Selling) != 0)
                        Selling[row + completionSlot]++;
                    if (admin && string.Equals(task.CreatedById, task.OwnerId, StringComparison.Ordinal))
                        Kept[row + completionSlot]++;
                }
            }

            if (admin && !string.Equals(task.CreatedById, task.OwnerId, StringComparison.Ordinal))
            {
                var creatorRep = roster.Rep(task.CreatedById);
                if (creatorRep != None && IsManagerOf(creatorRep, owner) && createdSlot != None)
                {
                    Delegated[creatorRep * slots + createdSlot]++;
                    Active[creatorRep * slots + createdSlot]++;
                    if (calendar.AgeIn(TrustCalendar.Current, createdSlot) != None)
                        ServeDelegatedTask(owner, createdDay, completionDay);
                }
            }
        }
    }

    /// <summary>Manager mirror: was a task delegated in the window completed within the service days?</summary>
    private void ServeDelegatedTask(int manager, int createdDay, int completionDay)
    {
        DelegatedTo[manager]++;
        var asOfDay = calendar.MomentDays[TrustCalendar.Current];
        if (completionDay <= asOfDay)
        {
            if (TrustCalendar.WorkingDaysBetween(createdDay, completionDay) <= ServiceDays)
                ServedInTime[manager]++;
            else
                ServedLate[manager]++;
        }
        else if (TrustCalendar.WorkingDaysBetween(createdDay, asOfDay) > ServiceDays)
            OpenOverdue[manager]++;
        else
            OpenNotYetDue[manager]++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexEvents(IReadOnlyList<CalendarEvent> events)
    {
        var moments = calendar.Moments;
        var o = None;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            // A recurring series' master only describes the series: its occurrences are the meetings.
            if (e is null || e.IsDeleted || e.IsRecurrence)
                continue;
            var owner = Owner(e.Id, e.OwnerId, "Events");
            if (owner == None)
                continue;
            if (string.Equals(e.ShowAs, "OutOfOffice", StringComparison.OrdinalIgnoreCase))
            {
                // Time off is no meeting; a whole day off marks the rep away.
                if (e.IsAllDayEvent && roster.RepOfPerson[owner] is var away and not None)
                    MarkDaysOff(away, e);
                continue;
            }
            var onOpportunity = e.WhatId is { } whatId && IsOpportunityId(whatId) && opportunityIndex.TryGetValue(whatId, out o);
            if (!onOpportunity && e.StartDateTime > moments[TrustCalendar.Current])
                continue;
            var startDay = calendar.LocalDay(e.StartDateTime);
            var slot = calendar.SlotOf(e.StartDateTime, startDay);

            if (onOpportunity)
            {
                for (var view = 0; view < 2; view++)
                {
                    if (e.StartDateTime <= moments[view])
                        LastActivityDay[view][o] = Math.Max(LastActivityDay[view][o], startDay);
                    else
                        EarliestFutureEventDay[view][o] = Math.Min(EarliestFutureEventDay[view][o], startDay);
                }
            }

            if (slot == None)
                continue;
            if (classifier.IsReview(e))
            {
                AddReview(e.Id, owner, slot, startDay);
                continue;
            }
            var ownerRep = roster.RepOfPerson[owner];
            if (ownerRep != None && !e.IsAllDayEvent && IsCustomerMeeting(e))
            {
                Selling[ownerRep * slots + slot]++;
                Active[ownerRep * slots + slot]++;
            }
        }
    }

    /// <summary>
    /// A meeting with a customer or lead on it: a WhatId on an opportunity or account, or a WhoId on a
    /// contact or lead. Internal meetings (team syncs, trainings) are not selling.
    /// </summary>
    private static bool IsCustomerMeeting(CalendarEvent e) =>
        (e.WhatId is { } what && (what.StartsWith(OpportunityPrefix, StringComparison.Ordinal) || what.StartsWith(AccountPrefix, StringComparison.Ordinal)))
        || (e.WhoId is { } who && (who.StartsWith(ContactPrefix, StringComparison.Ordinal) || who.StartsWith(LeadPrefix, StringComparison.Ordinal)));

    /// <summary>
    /// The days of an all-day event. Salesforce stores an all-day event at midnight GMT of its date, so the
    /// days are UTC dates, lasting DurationInMinutes (whole days) or up to EndDateTime.
    /// </summary>
    private void MarkDaysOff(int rep, CalendarEvent e)
    {
        var first = DateOnly.FromDateTime(e.StartDateTime.UtcDateTime).DayNumber;
        var minutes = e.DurationInMinutes ?? (e.EndDateTime is { } end ? (int)Math.Min(int.MaxValue, (end - e.StartDateTime).TotalMinutes) : MinutesPerDay);
        var days = Math.Max(1, (minutes + MinutesPerDay - 1) / MinutesPerDay);
        var from = Math.Max(first, firstDayOff);
        var to = Math.Min(first + days - 1, firstDayOff + dayOffSpan - 1);
        for (var day = from; day <= to; day++)
            daysOff[rep * dayOffSpan + day - firstDayOff] = true;
    }

    private bool IsDayOff(int rep, int day) =>
        day >= firstDayOff && day < firstDayOff + dayOffSpan && daysOff[rep * dayOffSpan + day - firstDayOff];

    /// <summary>
    /// A week the rep was away: out of office on every working day of the week up to the view's moment.
    /// It is no observation of selling (nobody sells on holiday), nor of reviews held on those days.
    /// </summary>
    public bool IsWeekOff(int rep, int view, int age)
    {
        var monday = calendar.WeekMonday - 7 * (age + view);
        var last = Math.Min(monday + 4, calendar.MomentDays[view]);
        if (last < monday)
            return false;
        for (var day = monday; day <= last; day++)
        {
            if (!IsDayOff(rep, day))
                return false;
        }
        return true;
    }

    /// <summary>The rep's manager now, or one they held a review with in the window (before a change of manager).</summary>
    private bool IsManagerOf(int rep, int person) =>
        roster.RepManager[rep] == person || (formerManagers[rep] is { } former && former.Contains(person));

    private void AddReview(string? id, int owner, int slot, int day)
    {
        var review = reviewSlot.Count;
        reviewSlot.Add(slot);
        reviewDay.Add(day);
        reviewFirstParticipant.Add(None);
        AddParticipant(review, owner, declined: false);
        if (!string.IsNullOrEmpty(id))
            reviewIndex.TryAdd(id, review);
    }

    private void AddParticipant(int review, int person, bool declined)
    {
        participantPerson.Add(person);
        participantDeclined.Add(declined);
        participantNext.Add(reviewFirstParticipant[review]);
        reviewFirstParticipant[review] = participantPerson.Count - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexEventRelations(IReadOnlyList<EventRelation> relations)
    {
        if (reviewIndex.Count == 0)
            return;
        for (var i = 0; i < relations.Count; i++)
        {
            var relation = relations[i];
            // Most invitees are contacts or leads: only users can be a rep or a manager. Shared Activities
            // rows that only name the event's contacts or What (not invited) say nothing about attendance.
            if (relation is null || relation.IsWhat || !relation.IsInvitee || !IdPrefix.IsUser(relation.RelationId) || relation.EventId is null
                || !reviewIndex.TryGetValue(relation.EventId, out var review))
                continue;
            var person = roster.Person(relation.RelationId);
            if (person != None)
                AddParticipant(review, person, string.Equals(relation.Status, "Declined", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// A review counts for each rep on it whose manager of that week is on it too and did not decline (a
    /// review the manager declined was not held). The snapshot holds only today's ManagerId, so the
    /// manager of a past week is read from the review itself: the current manager, or else another user
    /// who manages reps. The rep attended unless their only entries are declines (the owner of an event
    /// never declines it). A review on a rep's day off is no observation for them.
    /// </summary>
    private void CountReviews()
    {
        var lastReviewOfRep = new int[roster.Reps.Count];
        Array.Fill(lastReviewOfRep, None);
        var lastReviewOfManager = new int[roster.PersonIds.Count];
        Array.Fill(lastReviewOfManager, None);
        for (var review = 0; review < reviewSlot.Count; review++)
        {
            var slot = reviewSlot[review];
            for (var p = reviewFirstParticipant[review]; p != None; p = participantNext[p])
            {
                var rep = roster.RepOfPerson[participantPerson[p]];
                if (rep == None || lastReviewOfRep[rep] == review)
                    continue;
                lastReviewOfRep[rep] = review;
                var manager = ManagerOn(review, rep);
                if (manager == None || IsDayOff(rep, reviewDay[review]))
                    continue;
                if (manager != roster.RepManager[rep] && !IsManagerOf(rep, manager))
                    (formerManagers[rep] ??= []).Add(manager);
                IsOn(review, participantPerson[p], out var attended);
                var row = rep * slots + slot;
                Held[row]++;
                Active[row]++;
                if (attended)
                    Attended[row]++;
                if (lastReviewOfManager[manager] != review)
                {
                    lastReviewOfManager[manager] = review;
                    ManagerReviews[manager * slots + slot]++;
                }
            }
        }
    }

    /// <summary>The rep's current manager when on the review and not declining, else another user who manages reps; None otherwise.</summary>
    private int ManagerOn(int review, int rep)
    {
        var current = roster.RepManager[rep];
        if (IsOn(review, current, out var accepted) && accepted)
            return current;
        var repPerson = roster.RepPerson[rep];
        for (var p = reviewFirstParticipant[review]; p != None; p = participantNext[p])
        {
            var person = participantPerson[p];
            if (person != repPerson && person != current && managesReps[person] && IsOn(review, person, out accepted) && accepted)
                return person;
        }
        return None;
    }

    private bool IsOn(int review, int person, out bool accepted)
    {
        var found = false;
        accepted = false;
        for (var p = reviewFirstParticipant[review]; p != None; p = participantNext[p])
        {
            if (participantPerson[p] != person)
                continue;
            found = true;
            accepted |= !participantDeclined[p];
        }
        return found;
    }

    // Most activities hang off accounts, contacts or leads: a prefix test spares their look-up.
    private static bool IsOpportunityId(string id) => id.StartsWith(OpportunityPrefix, StringComparison.Ordinal);

    /// <summary>Person index of a record's owner; None (and an issue unless a queue owns it) when unknown.</summary>
    private int Owner(string? recordId, string? ownerId, string objects)
    {
        var owner = roster.Person(ownerId);
        if (owner == None && !IdPrefix.IsQueue(ownerId))
            issues.Count(DataIssueKind.UnknownOwner, objects, recordId);
        return owner;
    }
}
