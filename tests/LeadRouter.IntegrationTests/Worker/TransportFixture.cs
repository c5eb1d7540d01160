using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.Worker.Messaging;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Worker tests run on the in-memory bus and on a real RabbitMQ node (skipped without one), with quick
/// consumer retries; the assignment queues start empty for each test.
/// </summary>
public abstract class TransportFixture(MessagingTransport transport)
{
    protected MessagingTransport Transport { get; } = transport;

    /// <summary>The transport's settings, for a rig.</summary>
    protected Dictionary<string, string?> TransportSettings { get; private set; } = [];

    private RabbitMqBroker? _broker;

    [OneTimeSetUp]
    public void ChooseTransport()
    {
        if (Transport == MessagingTransport.RabbitMq)
        {
            _broker = RabbitMqBroker.RequireOrIgnore();
            TransportSettings = _broker.Settings();
        }
        // Quick retries keep failure tests short.
        TransportSettings["LeadRouter:Messaging:Retry:Limit"] = "2";
        TransportSettings["LeadRouter:Messaging:Retry:MinInterval"] = "00:00:00.050";
        TransportSettings["LeadRouter:Messaging:Retry:MaxInterval"] = "00:00:00.200";
        TransportSettings["LeadRouter:Messaging:Retry:IntervalDelta"] = "00:00:00.050";
    }

    [SetUp]
    public async Task EmptyQueues()
    {
        if (_broker is not null)
            await _broker.DeleteQueuesAsync("leadrouter-lead-assignment", "leadrouter-lead-assignment_error");
    }
}
