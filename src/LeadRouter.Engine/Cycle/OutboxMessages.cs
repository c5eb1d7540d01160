using System.Text.Json;
using System.Text.Json.Serialization;
using LeadRouter.Contracts.V1;
using LeadRouter.Storage;

namespace LeadRouter.Cycle;

/// <summary>
/// How messages travel through the outbox table: the row names the message by its contract kind
/// ("lead-assignment-recommended"), never by CLR type name, so renaming a class cannot strand rows.
/// </summary>
public static class OutboxMessages
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly IReadOnlyDictionary<string, Type> Types = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [RepTrustScored.Kind] = typeof(RepTrustScored),
        [LeadAssignmentRecommended.Kind] = typeof(LeadAssignmentRecommended),
        [LeadAssigned.Kind] = typeof(LeadAssigned),
        [LeadAssignmentSkipped.Kind] = typeof(LeadAssignmentSkipped),
        [WeeklyDigestReady.Kind] = typeof(WeeklyDigestReady),
    };

    private static readonly IReadOnlyDictionary<Type, string> Kinds = Types.ToDictionary(p => p.Value, p => p.Key);

    public static OutboxMessage Create<T>(T message, DateTimeOffset createdAt)
        where T : ILeadRouterMessage =>
        new(message.MessageId, Kinds[typeof(T)], JsonSerializer.Serialize(message, Json), createdAt);

    /// <summary>The contract a row of <paramref name="kind"/> holds; throws naming the row when the kind is unknown.</summary>
    public static Type ContractOf(Guid id, string kind) =>
        Types.TryGetValue(kind, out var type) ? type : throw new InvalidOperationException($"Outbox message {id} has unknown kind '{kind}'.");
}
