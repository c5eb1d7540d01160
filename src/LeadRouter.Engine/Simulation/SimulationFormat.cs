using System.Globalization;
using LeadRouter.Routing;

namespace LeadRouter.Simulation;

/// <summary>Words and figures shared by the simulation's terminal table and its HTML report.</summary>
public static class SimulationFormat
{
    public static string Reason(UnroutableReason reason) => reason switch
    {
        UnroutableReason.NoTierRule => "no tier rule matches",
        UnroutableReason.NoTerritory => "no territory matches",
        UnroutableReason.NoEligibleRep => "no eligible rep",
        _ => "every eligible rep at capacity",
    };

    /// <summary>One figure, or "baseline → rules" when there is a baseline.</summary>
    public static string Both(double? baseline, double rules, string format) =>
        baseline is { } b
            ? $"{b.ToString(format, CultureInfo.InvariantCulture)} → {rules.ToString(format, CultureInfo.InvariantCulture)}"
            : rules.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A share or a fill as a whole percentage; "no limit" where there is no capacity.</summary>
    public static string Percent(double? ratio) =>
        ratio is { } r ? (100 * r).ToString("0", CultureInfo.InvariantCulture) + "%" : "no limit";
}
