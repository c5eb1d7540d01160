using System.Numerics;

namespace LeadRouter.Trust;

/// <summary>
/// The six checks on an open opportunity as of a view's moment. The snapshot holds each opportunity's
/// current state, so the previous week's audit re-reads the same rows at the earlier moment: dates move,
/// and tasks, events and history created after that moment are left out.
/// </summary>
internal static class PipelineAudit
{
    public const int Checks = 6;

    public static OpportunityFlags Audit(TrustLedger ledger, int o, int view, TrustCalendar calendar, TrustSettings settings,
        out int? nextStepDay, out int? daysSinceActivity)
    {
        var opportunity = ledger.Opportunities[o];
        var today = calendar.MomentDays[view];
        var flags = OpportunityFlags.None;

        if (string.IsNullOrWhiteSpace(opportunity.NextStep))
            flags |= OpportunityFlags.NoNextStep;

        nextStepDay = settings.NextStepDateField is null
            ? Earliest(ledger.EarliestOpenTaskDay[view][o], ledger.EarliestFutureEventDay[view][o])
            : opportunity.NextStepDate?.DayNumber;
        if (nextStepDay is null)
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

    /// <summary>Checks passed; the two next-step-date flags are one check.</summary>
    public static int Passed(OpportunityFlags flags) => Checks - BitOperations.PopCount((uint)flags);

    private static int? Earliest(int openTaskDay, int futureEventDay)
    {
        var day = Math.Min(openTaskDay, futureEventDay);
        return day == int.MaxValue ? null : day;
    }
}
