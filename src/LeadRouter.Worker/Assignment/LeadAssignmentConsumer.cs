using LeadRouter.Assignment;
using LeadRouter.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Assignment;

/// <summary>
/// The routing consumer. AutoAssign recommendations are carried out in batches (one Salesforce
/// collection call per 200 leads) by <see cref="LeadAssigner"/>, which re-checks each lead and skips
/// those a person took meanwhile. Recommend-mode ones wait for the manager's approval (the `approve`
/// verb), so the consumer leaves them pending. Redelivered messages change nothing.
/// </summary>
public sealed class LeadAssignmentConsumer(LeadAssigner assigner, ILogger<LeadAssignmentConsumer> logger)
    : IConsumer<Batch<LeadAssignmentRecommended>>
{
    public async Task Consume(ConsumeContext<Batch<LeadAssignmentRecommended>> context)
    {
        var requests = context.Message
            .Select(m => m.Message)
            .Where(m => m.Mode == AssignmentMode.AutoAssign)
            .Select(m => new AssignmentRequest(m.RunId, m.LeadId, m.RepId, m.MessageId))
            .ToList();
        if (requests.Count == 0)
            return;
        var outcomes = await assigner.AssignAsync(requests, context.CancellationToken).ConfigureAwait(false);
        foreach (var skipped in outcomes.Where(o => !o.Assigned))
        {
            using (logger.BeginScope(new Dictionary<string, object> { ["LeadId"] = skipped.Request.LeadId, ["RunId"] = skipped.Request.RunId }))
                logger.LogInformation("Lead not assigned ({Reason}): {Detail}", skipped.Reason, skipped.Detail);
        }
        logger.LogInformation("Assigned {Assigned} of {Count} leads; {Skipped} skipped",
            outcomes.Count(o => o.Assigned), requests.Count, outcomes.Count(o => !o.Assigned));
    }
}

/// <summary>Batches of up to 200 (one sObject collection call), gathered for at most a second.</summary>
public sealed class LeadAssignmentConsumerDefinition : ConsumerDefinition<LeadAssignmentConsumer>
{
    public const int BatchLimit = 200;

    public LeadAssignmentConsumerDefinition()
    {
        EndpointName = "leadrouter-lead-assignment";
        ConcurrentMessageLimit = BatchLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<LeadAssignmentConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = BatchLimit;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchLimit)
            .SetTimeLimit(TimeSpan.FromSeconds(1))
            .SetConcurrencyLimit(1));
    }
}
