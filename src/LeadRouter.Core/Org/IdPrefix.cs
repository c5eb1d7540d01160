namespace LeadRouter.Org;

/// <summary>Key prefixes of Salesforce ids: an OwnerId starting with 00G is a queue, 005 a user.</summary>
public static class IdPrefix
{
    public const string User = "005";
    public const string Queue = "00G";

    public static bool IsUser(string? id) => id is not null && id.StartsWith(User, StringComparison.Ordinal);
    public static bool IsQueue(string? id) => id is not null && id.StartsWith(Queue, StringComparison.Ordinal);
}
