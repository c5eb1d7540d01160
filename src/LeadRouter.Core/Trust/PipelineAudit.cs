using System.Numerics;

namespace LeadRouter.Trust;

/// <summary>
/// The six checks on an open opportunity as of a view's moment, of which a deal is scored on those that
/// apply to it: the next-step date check applies when there is a source for the date (the configured
/// field; otherwise a written next step, or an open task or upcoming event on the deal), so a deal with no
/// next step at all fails once ("no next step"), not twice. The snapshot holds each opportunity's
/// current state, so the previous week's audit re-reads the same rows at the earlier moment: dates move,
/// and tasks, events and history created after that moment are left out.
/// </summary>
internal static class PipelineAudit
{
    public const int Checks = 6;

    /// <param name="applicable">The checks that apply to the deal (5 or 6).</param>
    public static OpportunityFlags Audit(TrustLedger ledger, int o, int view, TrustCalendar calendar, TrustSettings settings,
        out int? nextStepDay, out int? daysSinceActivity, out int applicable)
    {
        var opportunity = ledger.Opportunities[o];
        var today = calendar.MomentDays[view];
        var flags = OpportunityFlags.None;
        applicable = Checks;

        var noNextStep = string.IsNullOrWhiteSpace(opportunity.NextStep);
        if (noNextStep)
            flags |= OpportunityFlags.NoNextStep;

        nextStepDay = settings.NextStepDateField is null
            ? Earliest(ledger.EarliestOpenTaskDay[view][o], ledger.EarliestFutureEventDay[view][o])
            : opportunity.NextStepDate?.DayNumber;
        if (nextStepDay is null && noNextStep && settings.NextStepDateField is null)
            applicable--;
        else if (nextStepDay is null)
            flags |= OpportunityFlags.NextStepDateMissing;
        else if (nextStepDay < today)
            flags |= OpportunityFlags.NextStepDatePast;

        if (opportunity.CloseDate is not { } close || close.DayNumber < today)
            flags |= OpportunityFlags.CloseDatePast;

        var lastActivity = ledger.LastActivityDay[view][o];
        if (opportunity.LastActivityDate is { } recorded && recorded.DayNumber <= today)
            lastActivity = Math.Max(lastActivity, recorded.DayNumber);
        daysSinceActivity = lastActivity == int.MinValue ? null : today - lastActivity;
        if (daysSinceActivity is null || daysSinceActivity > settings.StaleAfterDays)
            flags |= OpportunityFlags.Stale;

        if (!ledger.HasDecisionMaker[o])
            flags |= OpportunityFlags.NoDecisionMaker;

        if (ledger.Pushes[view][o] > settings.MaxCloseDatePushes)
            flags |= OpportunityFlags.CloseDatePushedTooOften;
        return flags;
    }

    /// <summary>Checks passed of those that apply; the two next-step-date flags are one check.</summary>
    public static int Passed(OpportunityFlags flags, int applicable) => applicable - BitOperations.PopCount((uint)flags);

    private static int? Earliest(int openTaskDay, int futureEventDay)
    {
        var day = Math.Min(openTaskDay, futureEventDay);
        return day == int.MaxValue ? null : day;
    }
}
