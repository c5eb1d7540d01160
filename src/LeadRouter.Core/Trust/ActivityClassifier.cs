using System.Text.RegularExpressions;

namespace LeadRouter.Trust;

/// <summary>
/// Tells reviews, admin tasks and selling activity apart. Patterns are compiled once per scorer; each
/// distinct Subject is matched once per run (the cache), since activity subjects repeat heavily.
/// </summary>
internal sealed class ActivityClassifier
{
    // Unique subjects beyond this many are matched without being cached, so a pathological org cannot
    // grow the cache without bound.
    private const int MaxCachedSubjects = 250_000;

    private readonly ActivityPatterns patterns;
    private readonly Dictionary<string, bool> reviewSubjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> adminSubjects = new(StringComparer.Ordinal);

    // Picklist values seen so far, exactly as spelled, with what they mean: one exact look-up per row
    // instead of several case-insensitive ones.
    private readonly Dictionary<string, TypeMeaning> types = new(StringComparer.Ordinal);

    public ActivityClassifier(ActivityPatterns patterns) => this.patterns = patterns;

    public HashSet<string> DecisionMakerRoles => patterns.DecisionMakerRoles;

    /// <summary>Review by Type or Subject; all-day events are never reviews.</summary>
    public bool IsReview(Org.CalendarEvent e) =>
        !e.IsAllDayEvent
        && ((Meaning(e.Type) & TypeMeaning.Review) != 0 || Matches(reviewSubjects, patterns.ReviewSubject, e.Subject));

    /// <summary>
    /// Admin by Type or Subject, selling by Type or TaskSubtype (<see cref="TypeMeaning.Review"/> is never
    /// set). One call per task so its Type is looked up once.
    /// </summary>
    public TypeMeaning Classify(Org.ActivityTask t)
    {
        var type = Meaning(t.Type);
        var meaning = TypeMeaning.None;
        if ((type & TypeMeaning.Admin) != 0 || Matches(adminSubjects, patterns.AdminSubject, t.Subject))
            meaning |= TypeMeaning.Admin;
        if ((type & TypeMeaning.Selling) != 0 || (Meaning(t.TaskSubtype) & TypeMeaning.Selling) != 0)
            meaning |= TypeMeaning.Selling;
        return meaning;
    }

    private TypeMeaning Meaning(string? type)
    {
        if (type is null)
            return TypeMeaning.None;
        if (types.TryGetValue(type, out var meaning))
            return meaning;
        meaning = TypeMeaning.None;
        if (patterns.ReviewTypes.Contains(type))
            meaning |= TypeMeaning.Review;
        if (patterns.AdminTypes.Contains(type))
            meaning |= TypeMeaning.Admin;
        if (patterns.SellingTypes.Contains(type))
            meaning |= TypeMeaning.Selling;
        if (types.Count < MaxCachedSubjects)
            types[type] = meaning;
        return meaning;
    }

    private bool Matches(Dictionary<string, bool> cache, Regex pattern, string? subject)
    {
        if (string.IsNullOrEmpty(subject))
            return false;
        if (cache.TryGetValue(subject, out var known))
            return known;
        var match = pattern.IsMatch(subject);
        if (cache.Count < MaxCachedSubjects)
            cache[subject] = match;
        return match;
    }
}

[Flags]
internal enum TypeMeaning
{
    None = 0,
    Review = 1,
    Admin = 2,
    Selling = 4,
}

/// <summary>The classification settings, validated and compiled once.</summary>
internal sealed class ActivityPatterns
{
    public ActivityPatterns(TrustSettings settings)
    {
        ReviewSubject = Compile(settings.ReviewSubjectPattern, nameof(TrustSettings.ReviewSubjectPattern));
        AdminSubject = Compile(settings.AdminSubjectPattern, nameof(TrustSettings.AdminSubjectPattern));
        ReviewTypes = Set(settings.ReviewTypes, nameof(TrustSettings.ReviewTypes));
        AdminTypes = Set(settings.AdminTaskTypes, nameof(TrustSettings.AdminTaskTypes));
        SellingTypes = Set(settings.SellingActivityTypes, nameof(TrustSettings.SellingActivityTypes));
        DecisionMakerRoles = Set(settings.DecisionMakerRoles, nameof(TrustSettings.DecisionMakerRoles));
    }

    public Regex ReviewSubject { get; }
    public Regex AdminSubject { get; }

    // Picklist values compare case-insensitively, as Salesforce does.
    public HashSet<string> ReviewTypes { get; }
    public HashSet<string> AdminTypes { get; }
    public HashSet<string> SellingTypes { get; }
    public HashSet<string> DecisionMakerRoles { get; }

    private static Regex Compile(string? pattern, string setting)
    {
        if (string.IsNullOrWhiteSpace(pattern))
            throw new ArgumentException($"TrustSettings.{setting} is empty: give a regular expression.", "settings");
        // Linear-time matching: no subject can make a pattern run away, so no wall-clock timeout is needed
        // and the same input classifies the same on any machine, however loaded.
        try
        {
            return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"TrustSettings.{setting} is not a valid regular expression: {e.Message}", "settings", e);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException(
                $"TrustSettings.{setting} uses a construct linear-time matching does not support (backreference, lookaround, atomic group): {e.Message}",
                "settings", e);
        }
    }

    private static HashSet<string> Set(IReadOnlyList<string>? values, string setting)
    {
        if (values is null)
            throw new ArgumentException($"TrustSettings.{setting} is missing: give a list (it may be empty).", "settings");
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
                throw new ArgumentException($"TrustSettings.{setting}[{i}] is empty.", "settings");
            set.Add(values[i].Trim());
        }
        return set;
    }
}
