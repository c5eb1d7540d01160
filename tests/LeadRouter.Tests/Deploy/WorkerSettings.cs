using System.Reflection;
using LeadRouter.Salesforce;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Messaging;

namespace LeadRouter.Tests.Deploy;

/// <summary>
/// Which configuration keys the worker reads: a path of property names through its options classes
/// (compared case-insensitively, as the binder does) that ends on a value it can bind. A deploy file
/// setting anything else has a typo the worker would silently ignore.
/// </summary>
internal static class WorkerSettings
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ScheduleOptions.SectionPath] = typeof(ScheduleOptions),
        [$"{LeadRouterOptions.SectionPath}:{SalesforceOptions.SectionName}"] = typeof(SalesforceOptions),
        [MessagingOptions.SectionPath] = typeof(MessagingOptions),
        [HealthOptions.SectionPath] = typeof(HealthOptions),
        [TelemetryOptions.SectionPath] = typeof(TelemetryOptions),
        [LeadRouterOptions.SectionPath] = typeof(LeadRouterOptions),
    };

    /// <summary>Variables the .NET host reads itself.</summary>
    private static readonly string[] HostVariables = ["DOTNET_ENVIRONMENT", "DOTNET_NOLOGO"];

    /// <summary>Whether the environment variable (LeadRouter__Section__Key form) is a setting the worker reads.</summary>
    public static bool IsVariable(string name) =>
        HostVariables.Contains(name, StringComparer.Ordinal)
        || name.StartsWith("Logging__", StringComparison.Ordinal)
        || IsKey(name.Replace("__", ":", StringComparison.Ordinal));

    /// <summary>Whether the configuration key (LeadRouter:Section:Key) is a setting the worker reads.</summary>
    public static bool IsKey(string key)
    {
        // The longest section that prefixes the key owns it.
        foreach (var (section, type) in Sections.OrderByDescending(s => s.Key.Length))
        {
            if (key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                return IsSetting(type, key[(section.Length + 1)..].Split(':'));
        }
        return false;
    }

    /// <summary>Whether the path of property names leads to a bindable setting with a public setter.</summary>
    public static bool IsSetting(Type type, IReadOnlyList<string> path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property?.GetSetMethod() is null) return false;
        var leaf = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return path.Count == 1
            ? leaf.IsPrimitive || leaf.IsEnum || leaf == typeof(string) || leaf == typeof(TimeSpan) || leaf == typeof(Uri)
            : IsSetting(property.PropertyType, path.Skip(1).ToArray());
    }
}
