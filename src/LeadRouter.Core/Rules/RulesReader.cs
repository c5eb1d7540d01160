using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadRouter.Trust;

namespace LeadRouter.Rules;

/// <summary>
/// Walks a parsed rules file, checks every field and builds the model. Each problem is recorded with
/// its path and position and the walk goes on, so one load reports every error. The model is only
/// returned when nothing is wrong.
/// </summary>
internal sealed class RulesReader(string source, JsonPositions positions)
{
    private const double WeightTolerance = 1e-6;

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownFields { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["root"] = ["$schema", "version", "queues", "closedStatuses", "customFields", "tiers", "territories", "unavailableReps", "policy", "fairness", "trust"],
        ["tier"] = ["name", "rules", "minTrust", "minConfidence", "weeklyCapacity", "mode"],
        ["tierRule"] = ["name", "conditions"],
        ["condition"] = ["field", "operator", "value", "values"],
        ["territory"] = ["name", "when", "reps"],
        ["territoryReps"] = ["usernames", "where"],
        ["userCondition"] = ["field", "operator", "value", "values", "leadField"],
        ["fairness"] = ["rampWeeks", "weeklyFloor"],
        ["trust"] =
        [
            "windowWeeks", "halfLifeWeeks", "priorStrength", "minTeamSize", "weights", "reviewTypes", "reviewSubjectPattern",
            "adminTaskTypes", "adminSubjectPattern", "delegationTarget", "sellingActivityTypes", "staleAfterDays",
            "maxCloseDatePushes", "decisionMakerRoles", "nextStepDateField", "delegatedTaskServiceDays", "timeZone", "neutralPrior",
        ],
        ["weights"] = ["reviewAttendance", "pipelineHonesty", "delegation", "sellingActivity"],
    };

    private IReadOnlyList<string> _customFields = [];

    public List<RulesError> Errors { get; } = [];

    public RoutingRules? ReadRoot(JsonElement root)
    {
        foreach (var (path, line, column) in positions.Duplicates)
            Errors.Add(new RulesError(source, line, column, path, "this field appears twice in the same object"));
        if (!IsObject(root, "$", "root", ["queues", "tiers"]))
            return null;

        _customFields = ReadCustomFields(root);
        var queues = StringList(root, "$", "queues", nonEmpty: true);
        var closedStatuses = StringList(root, "$", "closedStatuses") ?? RoutingRules.DefaultClosedStatuses;
        var tiers = ReadTiers(root);
        var territories = ReadList(root, "$", "territories", ReadTerritory) ?? [];
        RequireUnique(territories.Select(t => t?.Name).ToList(), "$.territories", "territory");
        var unavailable = StringList(root, "$", "unavailableReps") ?? [];
        var policy = Enum<RoutingPolicy>(root, "$", "policy") ?? RoutingPolicy.TrustWeighted;
        var fairness = Child(root, "$", "fairness") is { } f ? ReadFairness(f.Element, f.Path) : new FairnessSettings();
        var trust = Child(root, "$", "trust") is { } t ? ReadTrust(t.Element, t.Path) : new TrustSettings();
        var version = String(root, "$", "version") ?? "";

        if (Errors.Count > 0 || queues is null || tiers is null || territories.Any(x => x is null) || fairness is null || trust is null)
            return null;
        return new RoutingRules
        {
            Queues = queues,
            ClosedStatuses = closedStatuses,
            CustomFields = _customFields,
            Tiers = tiers,
            Territories = territories!,
            UnavailableReps = unavailable,
            Policy = policy,
            Fairness = fairness,
            Trust = trust,
            Version = version,
        };
    }

    private IReadOnlyList<string> ReadCustomFields(JsonElement root)
    {
        var names = StringList(root, "$", "customFields") ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (ApiName.CustomFieldProblem(names[i]) is { } problem)
                Error(RulesPath.Item("$.customFields", i), problem);
        }
        RequireUnique(names, "$.customFields", "custom field");
        return names;
    }

    private List<Tier>? ReadTiers(JsonElement root)
    {
        var tiers = ReadList(root, "$", "tiers", ReadTier, nonEmpty: true);
        if (tiers is null)
            return null;
        RequireUnique(tiers.Select(t => t?.Name).ToList(), "$.tiers", "tier");

        // First match wins across all tiers, so a catch-all anywhere but at the very end hides every rule after it.
        var rules = tiers.SelectMany((t, ti) => (t?.Rules ?? []).Select((r, ri) => (Rule: r, Path: $"$.tiers[{ti}].rules[{ri}]"))).ToList();
        for (var i = 0; i < rules.Count - 1; i++)
        {
            if (rules[i].Rule.IsCatchAll)
                Error(rules[i].Path, "a rule without conditions matches every lead, so it must be the last rule of the last tier");
        }
        return Complete(tiers);
    }

    private Tier? ReadTier(JsonElement e, string path)
    {
        if (!IsObject(e, path, "tier", ["name", "rules"]))
            return null;
        var name = String(e, path, "name", nonEmpty: true);
        var rules = ReadList(e, path, "rules", ReadTierRule, nonEmpty: true);
        var minTrust = Number(e, path, "minTrust", 0, 100) ?? 0;
        var minConfidence = Number(e, path, "minConfidence", 0, 1) ?? 0;
        var capacity = Integer(e, path, "weeklyCapacity", 0);
        var mode = Enum<RoutingMode>(e, path, "mode") ?? RoutingMode.Recommend;
        if (name is null || rules is null || rules.Any(r => r is null))
            return null;
        return new Tier(name, rules!, minTrust, minConfidence, capacity, mode);
    }

    private TierRule? ReadTierRule(JsonElement e, string path)
    {
        if (!IsObject(e, path, "tierRule", []))
            return null;
        var name = String(e, path, "name") ?? $"rule {Index(path) + 1}";
        var conditions = ReadList(e, path, "conditions", ReadLeadCondition) ?? [];
        return conditions.Any(c => c is null) ? null : new TierRule(name, conditions!);
    }

    private Condition? ReadLeadCondition(JsonElement e, string path)
    {
        if (!IsObject(e, path, "condition", ["field", "operator"]))
            return null;
        var field = LeadField(e, path, "field");
        var op = Operator(e, path);
        if (field is null || op is null)
            return null;
        if (Conditions.OperatorProblem(field.Kind, op.Value, field.Name) is { } problem)
        {
            Error(RulesPath.Child(path, "operator"), problem);
            return null;
        }
        var values = Operands(e, path, op.Value, field.Kind);
        return values is null ? null : new Condition(field.Name, op.Value, values);
    }

    private Territory? ReadTerritory(JsonElement e, string path)
    {
        if (!IsObject(e, path, "territory", ["name", "reps"]))
            return null;
        var name = String(e, path, "name", nonEmpty: true);
        var when = ReadList(e, path, "when", ReadLeadCondition) ?? [];
        var reps = Child(e, path, "reps");
        if (reps is null || !IsObject(reps.Value.Element, reps.Value.Path, "territoryReps", []))
            return null;
        var (repsElement, repsPath) = reps.Value;
        var usernames = StringList(repsElement, repsPath, "usernames") ?? [];
        var where = ReadList(repsElement, repsPath, "where", ReadUserCondition) ?? [];
        if (usernames.Count == 0 && where.Count == 0)
            Error(repsPath, "a territory needs reps: give 'usernames', 'where' conditions on User fields, or both");
        if (name is null || when.Any(c => c is null) || where.Any(c => c is null))
            return null;
        return new Territory(name, when!, usernames, where!);
    }

    private UserCondition? ReadUserCondition(JsonElement e, string path)
    {
        if (!IsObject(e, path, "userCondition", ["field", "operator"]))
            return null;
        FieldAccessor<Org.User>? field = null;
        if (String(e, path, "field") is { } fieldName)
        {
            field = UserFields.All.GetValueOrDefault(fieldName);
            if (field is null)
                Error(RulesPath.Child(path, "field"), $"User has no field '{fieldName}'; known: {string.Join(", ", UserFields.All.Keys)}");
        }
        var op = Operator(e, path);
        var leadField = e.TryGetProperty("leadField", out _) ? LeadField(e, path, "leadField") : null;
        if (field is null || op is null)
            return null;
        if (Conditions.OperatorProblem(field.Kind, op.Value, field.Name) is { } problem)
        {
            Error(RulesPath.Child(path, "operator"), problem);
            return null;
        }
        if (e.TryGetProperty("leadField", out _))
        {
            if (op is not (ConditionOperator.EqualTo or ConditionOperator.NotEqualTo))
                Error(RulesPath.Child(path, "leadField"), "'leadField' works with the operators equals and notEquals only");
            if (e.TryGetProperty("value", out _) || e.TryGetProperty("values", out _))
                Error(RulesPath.Child(path, "leadField"), "give either 'leadField' or a fixed 'value', not both");
            return leadField is null ? null : new UserCondition(field.Name, op.Value, [], leadField.Name);
        }
        var values = Operands(e, path, op.Value, field.Kind);
        return values is null ? null : new UserCondition(field.Name, op.Value, values);
    }

    private FieldAccessor<Org.Lead>? LeadField(JsonElement e, string path, string name)
    {
        if (String(e, path, name) is not { } fieldName)
            return null;
        var field = LeadFields.Find(fieldName, _customFields);
        if (field is null)
        {
            var hint = fieldName.EndsWith("__c", StringComparison.OrdinalIgnoreCase)
                ? " (declare custom fields in $.customFields)"
                : $"; standard fields: {string.Join(", ", LeadFields.Standard.Keys)}";
            Error(RulesPath.Child(path, name), $"Lead has no field '{fieldName}'{hint}");
        }
        return field;
    }

    private ConditionOperator? Operator(JsonElement e, string path)
    {
        if (String(e, path, "operator") is not { } name)
            return null;
        if (Conditions.OperatorsByName.TryGetValue(name, out var op))
            return op;
        Error(RulesPath.Child(path, "operator"), $"unknown operator '{name}'; use one of {string.Join(", ", Conditions.OperatorsByName.Keys)}");
        return null;
    }

    /// <summary>The operands of a condition as invariant text: 'value' for one, 'values' for in/notIn, none for blank tests.</summary>
    private List<string>? Operands(JsonElement e, string path, ConditionOperator op, FieldKind kind)
    {
        var hasValue = e.TryGetProperty("value", out var value);
        var hasValues = e.TryGetProperty("values", out var values);
        var opName = Conditions.NameOf(op);
        List<string>? operands;
        string operandPath;
        switch (Conditions.OperandsOf(op))
        {
            case OperandCount.None:
                if (hasValue || hasValues)
                    Error(RulesPath.Child(path, hasValue ? "value" : "values"), $"operator '{opName}' takes no value");
                return [];
            case OperandCount.Many:
                operandPath = RulesPath.Child(path, "values");
                if (hasValue)
                    Error(RulesPath.Child(path, "value"), $"operator '{opName}' takes a list in 'values'");
                if (!hasValues)
                {
                    Error(path, $"missing required field 'values' for operator '{opName}'");
                    return null;
                }
                if (values.ValueKind != JsonValueKind.Array)
                {
                    Error(operandPath, $"expected an array, found {Describe(values)}");
                    return null;
                }
                operands = [];
                var i = 0;
                foreach (var item in values.EnumerateArray())
                {
                    if (Scalar(item, RulesPath.Item(operandPath, i++)) is { } text)
                        operands.Add(text);
                }
                if (i == 0)
                    Error(operandPath, "the list is empty");
                if (operands.Count != i)
                    return null;
                break;
            default:
                operandPath = RulesPath.Child(path, "value");
                if (hasValues)
                    Error(RulesPath.Child(path, "values"), $"operator '{opName}' takes one 'value', not a list");
                if (!hasValue)
                {
                    Error(path, $"missing required field 'value' for operator '{opName}'");
                    return null;
                }
                if (Scalar(value, operandPath) is not { } single)
                    return null;
                operands = [single];
                break;
        }
        if (Conditions.OperandProblem(kind, op, operands) is { } problem)
        {
            Error(operandPath, problem);
            return null;
        }
        return operands;
    }

    private string? Scalar(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                return e.GetRawText();
            case JsonValueKind.True or JsonValueKind.False:
                return e.GetBoolean() ? "true" : "false";
            default:
                Error(path, $"expected a string, number or boolean, found {Describe(e)}");
                return null;
        }
    }

    private FairnessSettings? ReadFairness(JsonElement e, string path)
    {
        if (!IsObject(e, path, "fairness", []))
            return null;
        var defaults = new FairnessSettings();
        return new FairnessSettings
        {
            RampWeeks = Integer(e, path, "rampWeeks", 0) ?? defaults.RampWeeks,
            WeeklyFloor = Integer(e, path, "weeklyFloor", 0) ?? defaults.WeeklyFloor,
        };
    }

    private TrustSettings? ReadTrust(JsonElement e, string path)
    {
        if (!IsObject(e, path, "trust", []))
            return null;
        var d = new TrustSettings();
        var weights = Child(e, path, "weights") is { } w ? ReadWeights(w.Element, w.Path) : d.Weights;
        var timeZone = String(e, path, "timeZone", nonEmpty: true);
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
            Error(RulesPath.Child(path, "timeZone"), $"unknown time zone '{timeZone}'; use an IANA name such as Europe/Berlin or UTC");
        var nextStepDateField = String(e, path, "nextStepDateField");
        if (nextStepDateField is not null && ApiName.CustomFieldProblem(nextStepDateField) is { } problem)
            Error(RulesPath.Child(path, "nextStepDateField"), problem);
        var settings = new TrustSettings
        {
            WindowWeeks = Integer(e, path, "windowWeeks", 1) ?? d.WindowWeeks,
            HalfLifeWeeks = Number(e, path, "halfLifeWeeks", double.Epsilon, double.MaxValue) ?? d.HalfLifeWeeks,
            PriorStrength = Number(e, path, "priorStrength", 0, double.MaxValue) ?? d.PriorStrength,
            MinTeamSize = Integer(e, path, "minTeamSize", 1) ?? d.MinTeamSize,
            Weights = weights ?? d.Weights,
            ReviewTypes = StringList(e, path, "reviewTypes") ?? d.ReviewTypes,
            ReviewSubjectPattern = Pattern(e, path, "reviewSubjectPattern") ?? d.ReviewSubjectPattern,
            AdminTaskTypes = StringList(e, path, "adminTaskTypes") ?? d.AdminTaskTypes,
            AdminSubjectPattern = Pattern(e, path, "adminSubjectPattern") ?? d.AdminSubjectPattern,
            DelegationTarget = Number(e, path, "delegationTarget", double.Epsilon, 1) ?? d.DelegationTarget,
            SellingActivityTypes = StringList(e, path, "sellingActivityTypes") ?? d.SellingActivityTypes,
            StaleAfterDays = Integer(e, path, "staleAfterDays", 0) ?? d.StaleAfterDays,
            MaxCloseDatePushes = Integer(e, path, "maxCloseDatePushes", 0) ?? d.MaxCloseDatePushes,
            DecisionMakerRoles = StringList(e, path, "decisionMakerRoles") ?? d.DecisionMakerRoles,
            NextStepDateField = nextStepDateField ?? d.NextStepDateField,
            DelegatedTaskServiceDays = Integer(e, path, "delegatedTaskServiceDays", 0) ?? d.DelegatedTaskServiceDays,
            TimeZone = timeZone ?? d.TimeZone,
            NeutralPrior = Number(e, path, "neutralPrior", 0, 1) ?? d.NeutralPrior,
        };
        return weights is null ? null : settings;
    }

    private ComponentWeights? ReadWeights(JsonElement e, string path)
    {
        var names = KnownFields["weights"];
        if (!IsObject(e, path, "weights", names))
            return null;
        var values = names.Select(n => Number(e, path, n, 0, 1)).ToList();
        if (values.Any(v => v is null))
            return null;
        var weights = new ComponentWeights
        {
            ReviewAttendance = values[0]!.Value,
            PipelineHonesty = values[1]!.Value,
            Delegation = values[2]!.Value,
            SellingActivity = values[3]!.Value,
        };
        if (Math.Abs(weights.Sum - 1) > WeightTolerance)
            Error(path, $"the weights must sum to 1, they sum to {weights.Sum.ToString("0.######", CultureInfo.InvariantCulture)}");
        return weights;
    }

    /// <summary>A trust-settings pattern: a case-insensitive .NET regex as the trust engine runs it (backtracking allowed).</summary>
    private string? Pattern(JsonElement e, string path, string name)
    {
        var pattern = String(e, path, name, nonEmpty: true);
        if (pattern is null)
            return null;
        try
        {
            _ = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            Error(RulesPath.Child(path, name), $"regular expression does not compile: {ex.Message}");
        }
        return pattern;
    }

    // ---- typed field readers: each reports its own problem and returns null when the field is absent or wrong ----

    private bool IsObject(JsonElement e, string path, string kind, IReadOnlyList<string> required)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"expected an object, found {Describe(e)}");
            return false;
        }
        var known = KnownFields[kind];
        foreach (var property in e.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var near = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                var hint = near is null ? $"known fields: {string.Join(", ", known)}" : $"did you mean '{near}'?";
                Error(RulesPath.Child(path, property.Name), $"unknown field '{property.Name}'; {hint}");
            }
        }
        foreach (var name in required)
        {
            if (!e.TryGetProperty(name, out _))
                Error(path, $"missing required field '{name}'");
        }
        return true;
    }

    private (JsonElement Element, string Path)? Child(JsonElement e, string path, string name) =>
        e.TryGetProperty(name, out var child) ? (child, RulesPath.Child(path, name)) : null;

    private string? String(JsonElement e, string path, string name, bool nonEmpty = false)
    {
        if (Child(e, path, name) is not (var value, var valuePath))
            return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(valuePath, $"expected a string, found {Describe(value)}");
            return null;
        }
        var text = value.GetString()!;
        if (nonEmpty && string.IsNullOrWhiteSpace(text))
        {
            Error(valuePath, "must not be empty");
            return null;
        }
        return text;
    }

    private double? Number(JsonElement e, string path, string name, double min, double max)
    {
        if (Child(e, path, name) is not (var value, var valuePath))
            return null;
        if (value.ValueKind != JsonValueKind.Number)
        {
            Error(valuePath, $"expected a number, found {Describe(value)}");
            return null;
        }
        var number = value.GetDouble();
        if (number < min || number > max)
        {
            var range = max == double.MaxValue
                ? (min == double.Epsilon ? "greater than 0" : $"at least {min.ToString(CultureInfo.InvariantCulture)}")
                : $"between {(min == double.Epsilon ? "0 (exclusive)" : min.ToString(CultureInfo.InvariantCulture))} and {max.ToString(CultureInfo.InvariantCulture)}";
            Error(valuePath, $"{value.GetRawText()} is out of range: must be {range}");
            return null;
        }
        return number;
    }

    private int? Integer(JsonElement e, string path, string name, int min)
    {
        if (Child(e, path, name) is not (var value, var valuePath))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error(valuePath, $"expected a whole number, found {Describe(value)}");
            return null;
        }
        if (number < min)
        {
            Error(valuePath, $"{number} is out of range: must be at least {min}");
            return null;
        }
        return number;
    }

    private TEnum? Enum<TEnum>(JsonElement e, string path, string name)
        where TEnum : struct, Enum
    {
        if (String(e, path, name) is not { } text)
            return null;
        if (System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed) && !char.IsAsciiDigit(text[0]))
            return parsed;
        Error(RulesPath.Child(path, name), $"unknown {name} '{text}'; use one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
        return null;
    }

    private List<string>? StringList(JsonElement e, string path, string name, bool nonEmpty = false)
    {
        var list = ReadList(e, path, name, (item, itemPath) =>
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                return item.GetString();
            Error(itemPath, item.ValueKind == JsonValueKind.String ? "must not be empty" : $"expected a string, found {Describe(item)}");
            return null;
        }, nonEmpty);
        return Complete(list);
    }

    private List<T?>? ReadList<T>(JsonElement e, string path, string name, Func<JsonElement, string, T?> readItem, bool nonEmpty = false)
        where T : class
    {
        if (Child(e, path, name) is not (var value, var listPath))
            return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(listPath, $"expected an array, found {Describe(value)}");
            return null;
        }
        var items = value.EnumerateArray().Select((item, i) => readItem(item, RulesPath.Item(listPath, i))).ToList();
        if (nonEmpty && items.Count == 0)
        {
            Error(listPath, "the list is empty");
            return null;
        }
        return items;
    }

    /// <summary>The items when every one of them was read without error, else null.</summary>
    private static List<T>? Complete<T>(List<T?>? items)
        where T : class =>
        items is null || items.Any(i => i is null) ? null : items.ConvertAll(i => i!);

    private void RequireUnique(IReadOnlyList<string?> names, string listPath, string what)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is { } name && !seen.Add(name))
            {
                var itemPath = RulesPath.Item(listPath, i);
                Error(what == "custom field" ? itemPath : RulesPath.Child(itemPath, "name"), $"duplicate {what} name '{name}'");
            }
        }
    }

    private void Error(string path, string message)
    {
        var (line, column) = positions.Of(path);
        Errors.Add(new RulesError(source, line, column, path, message));
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static int Index(string path) => int.Parse(path[(path.LastIndexOf('[') + 1)..^1], CultureInfo.InvariantCulture);
}
