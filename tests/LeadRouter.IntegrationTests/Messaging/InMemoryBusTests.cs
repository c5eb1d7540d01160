using LeadRouter.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>The same wiring on the in-memory transport (the default): no broker needed.</summary>
[TestFixture]
public sealed class InMemoryBusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private IHost? _host;

    [TearDown]
    public async Task TearDown()
    {
        await BusHost.StopAsync(_host);
        _host = null;
    }

    [Test]
    public async Task Every_contract_round_trips_with_its_stable_id_on_the_envelope()
    {
        var received = new ReceivedMessages();
        _host = await BusHost.StartAsync(new Dictionary<string, string?>(), received, bus => bus.AddConsumer<CapturingConsumer>());
        var publisher = _host.Services.GetRequiredService<IPublishEndpoint>();

        foreach (var message in SampleMessages.All)
            await publisher.Publish(message, message.GetType());

        foreach (var sent in SampleMessages.All)
        {
            var got = await received.WaitFor(sent.GetType(), Timeout);
            Assert.Multiple(() =>
            {
                Assert.That(got.Json, Is.EqualTo(new ReceivedMessages.Received(sent, null).Json), sent.GetType().Name);
                Assert.That(got.EnvelopeMessageId, Is.EqualTo(sent.MessageId), $"{sent.GetType().Name} envelope MessageId");
            });
        }
    }

    [Test]
    public async Task A_consumer_that_always_fails_is_retried_then_faults()
    {
        const int retryLimit = 3;
        var received = new ReceivedMessages();
        _host = await BusHost.StartAsync(BusHost.FastRetry(retryLimit), received, bus =>
        {
            bus.AddConsumer<AlwaysFailingConsumer>();
            bus.AddConsumer<LeadAssignedFaultConsumer>();
        });

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(SampleMessages.LeadAssigned);

        var fault = (Fault<LeadAssigned>)(await received.WaitFor(typeof(Fault<LeadAssigned>), Timeout)).Message;
        Assert.Multiple(() =>
        {
            Assert.That(received.FailedAttempts, Is.EqualTo(retryLimit + 1));
            Assert.That(fault.Message.LeadId, Is.EqualTo(SampleMessages.LeadAssigned.LeadId));
            Assert.That(fault.Exceptions.Single().Message, Does.Contain("failed on purpose"));
        });
    }

    [Test]
    public async Task With_no_retry_a_failing_message_faults_after_one_attempt()
    {
        var received = new ReceivedMessages();
        _host = await BusHost.StartAsync(BusHost.FastRetry(0), received, bus =>
        {
            bus.AddConsumer<AlwaysFailingConsumer>();
            bus.AddConsumer<LeadAssignedFaultConsumer>();
        });

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(SampleMessages.LeadAssigned);

        await received.WaitFor(typeof(Fault<LeadAssigned>), Timeout);
        Assert.That(received.FailedAttempts, Is.EqualTo(1));
    }
}
