using System.Collections.Concurrent;
using System.Text.Json;
using LeadRouter.Contracts.V1;
using MassTransit;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>What the test consumers saw: each message with the envelope id it arrived with.</summary>
internal sealed class ReceivedMessages
{
    private readonly ConcurrentDictionary<Type, TaskCompletionSource<Received>> _byType = new();
    private int _failedAttempts;

    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    /// <summary>Keyed by the consumed type: a Fault arrives as MassTransit's own implementation type.</summary>
    public void Add<T>(T message, Guid? envelopeMessageId) where T : class =>
        Slot(typeof(T)).TrySetResult(new Received(message, envelopeMessageId));

    public int AddFailedAttempt() => Interlocked.Increment(ref _failedAttempts);

    public Task<Received> WaitFor(Type messageType, TimeSpan timeout) => Slot(messageType).Task.WaitAsync(timeout);

    private TaskCompletionSource<Received> Slot(Type type) =>
        _byType.GetOrAdd(type, _ => new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously));

    public sealed record Received(object Message, Guid? EnvelopeMessageId)
    {
        /// <summary>The payload as JSON: the contracts hold lists, so records compare by reference.</summary>
        public string Json => JsonSerializer.Serialize(Message, Message.GetType(), JsonSerializerOptions.Web);
    }
}

/// <summary>Receives every contract. Its endpoint is "leadrouter-capturing".</summary>
internal sealed class CapturingConsumer(ReceivedMessages received) :
    IConsumer<RepTrustScored>,
    IConsumer<LeadAssignmentRecommended>,
    IConsumer<LeadAssigned>,
    IConsumer<LeadAssignmentSkipped>,
    IConsumer<WeeklyDigestReady>
{
    public Task Consume(ConsumeContext<RepTrustScored> context) => Record(context);
    public Task Consume(ConsumeContext<LeadAssignmentRecommended> context) => Record(context);
    public Task Consume(ConsumeContext<LeadAssigned> context) => Record(context);
    public Task Consume(ConsumeContext<LeadAssignmentSkipped> context) => Record(context);
    public Task Consume(ConsumeContext<WeeklyDigestReady> context) => Record(context);

    private Task Record<T>(ConsumeContext<T> context) where T : class
    {
        received.Add(context.Message, context.MessageId);
        return Task.CompletedTask;
    }
}

/// <summary>Fails every attempt, like a consumer whose Salesforce write keeps failing. Endpoint "leadrouter-always-failing".</summary>
internal sealed class AlwaysFailingConsumer(ReceivedMessages received) : IConsumer<LeadAssigned>
{
    public Task Consume(ConsumeContext<LeadAssigned> context)
    {
        var attempt = received.AddFailedAttempt();
        throw new InvalidOperationException($"attempt {attempt} failed on purpose");
    }
}

/// <summary>Receives the Fault MassTransit publishes once retries are spent (in-memory check of the error path).</summary>
internal sealed class LeadAssignedFaultConsumer(ReceivedMessages received) : IConsumer<Fault<LeadAssigned>>
{
    public Task Consume(ConsumeContext<Fault<LeadAssigned>> context)
    {
        received.Add(context.Message, context.MessageId);
        return Task.CompletedTask;
    }
}

/// <summary>Only here so an endpoint "leadrouter-queue-type-probe" is declared for the queue-type checks.</summary>
internal sealed class QueueTypeProbeConsumer : IConsumer<WeeklyDigestReady>
{
    public Task Consume(ConsumeContext<WeeklyDigestReady> context) => Task.CompletedTask;
}
