namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>A Lead as the tests read it through the client, with its owner's name through the Owner relationship.</summary>
internal sealed record LeadRow(string Id, string? Company, string? Status, bool IsDeleted, NamedRecord? Owner, DateTimeOffset? SystemModstamp);

/// <summary>The parent record of a relationship field such as Owner.Name.</summary>
internal sealed record NamedRecord(string? Name);

internal sealed record EventRow(string Id, string? Subject, DateTimeOffset? StartDateTime);
