using System.Text;
using LeadRouter.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>The bus wiring on a real RabbitMQ node (scripts/services/rabbitmq.sh).</summary>
[TestFixture]
[NonParallelizable]
public sealed class RabbitMqBusTests
{
    private const string CapturingQueue = "leadrouter-capturing";
    private const string FailingQueue = "leadrouter-always-failing";
    private const string ProbeQueue = "leadrouter-queue-type-probe";
    private static readonly string[] Queues =
        [CapturingQueue, FailingQueue, FailingQueue + "_error", FailingQueue + "_skipped", ProbeQueue, ProbeQueue + "_error"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private RabbitMqBroker _broker = null!;
    private IHost? _host;

    [SetUp]
    public async Task SetUp()
    {
        _broker = RabbitMqBroker.RequireOrIgnore();
        await _broker.DeleteQueuesAsync(Queues);
    }

    [TearDown]
    public async Task TearDown()
    {
        await BusHost.StopAsync(_host);
        _host = null;
        if (Environment.GetEnvironmentVariable(RabbitMqBroker.UriVariable) is { Length: > 0 })
            await _broker.DeleteQueuesAsync(Queues);
    }

    [Test]
    public async Task Every_contract_round_trips_with_its_stable_id_on_the_envelope()
    {
        var received = new ReceivedMessages();
        _host = await BusHost.StartAsync(_broker.Settings(), received, bus => bus.AddConsumer<CapturingConsumer>());
        var publisher = _host.Services.GetRequiredService<IPublishEndpoint>();

        foreach (var message in SampleMessages.All)
            await publisher.Publish(message, message.GetType());

        foreach (var sent in SampleMessages.All)
        {
            var got = await received.WaitFor(sent.GetType(), Timeout);
            var expected = new ReceivedMessages.Received(sent, sent.MessageId);
            Assert.Multiple(() =>
            {
                Assert.That(got.Json, Is.EqualTo(expected.Json), sent.GetType().Name);
                Assert.That(got.EnvelopeMessageId, Is.EqualTo(sent.MessageId), $"{sent.GetType().Name} envelope MessageId");
            });
        }
        // The endpoint name follows the kebab-case "leadrouter-" convention (a passive declare throws when missing).
        Assert.That(await _broker.MessageCountAsync(CapturingQueue), Is.Zero);
    }

    [Test]
    public async Task A_consumer_that_always_fails_is_retried_then_its_message_lands_in_the_error_queue()
    {
        const int retryLimit = 2;
        var received = new ReceivedMessages();
        _host = await BusHost.StartAsync(
            new Dictionary<string, string?>(_broker.Settings().Concat(BusHost.FastRetry(retryLimit))),
            received, bus => bus.AddConsumer<AlwaysFailingConsumer>());
        var message = SampleMessages.LeadAssigned;

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(message);

        var faulted = await _broker.GetAsync(FailingQueue + "_error", Timeout);
        var headers = faulted.BasicProperties.Headers!;
        Assert.Multiple(() =>
        {
            Assert.That(received.FailedAttempts, Is.EqualTo(retryLimit + 1), "first attempt plus each retry");
            Assert.That(faulted.BasicProperties.MessageId, Is.EqualTo(message.MessageId.ToString()));
            Assert.That(Header(headers, "MT-Fault-RetryCount"), Is.EqualTo(retryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Header(headers, "MT-Fault-Message"), Does.Contain("failed on purpose"));
            Assert.That(Encoding.UTF8.GetString(faulted.Body.Span), Does.Contain(message.LeadId));
        });
    }

    [Test]
    public async Task Quorum_queue_option_declares_receive_queues_as_quorum_queues()
    {
        _host = await BusHost.StartAsync(
            new Dictionary<string, string?>(_broker.Settings()) { ["LeadRouter:Messaging:RabbitMq:UseQuorumQueues"] = "true" },
            new ReceivedMessages(), bus => bus.AddConsumer<QueueTypeProbeConsumer>());

        var asClassic = await _broker.RedeclareWithTypeAsync(ProbeQueue, "classic");
        var asQuorum = await _broker.RedeclareWithTypeAsync(ProbeQueue, "quorum");

        Assert.That(asClassic, Is.Not.Null, "the broker accepted a classic declare, so the queue is not a quorum queue");
        Assert.Multiple(() =>
        {
            Assert.That(asClassic!.ShutdownReason?.ReplyCode, Is.EqualTo(406));
            Assert.That(asClassic.ShutdownReason?.ReplyText, Does.Contain("x-queue-type"));
            Assert.That(asQuorum, Is.Null, "a quorum declare must be equivalent to the existing queue");
        });
    }

    [Test]
    public async Task With_quorum_queues_the_error_queue_is_a_quorum_queue_too()
    {
        var received = new ReceivedMessages();
        var settings = new Dictionary<string, string?>(_broker.Settings().Concat(BusHost.FastRetry(1)))
        {
            ["LeadRouter:Messaging:RabbitMq:UseQuorumQueues"] = "true",
        };
        _host = await BusHost.StartAsync(settings, received, bus => bus.AddConsumer<AlwaysFailingConsumer>());

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(SampleMessages.LeadAssigned);
        var faulted = await _broker.GetAsync(FailingQueue + "_error", Timeout);
        var asClassic = await _broker.RedeclareWithTypeAsync(FailingQueue + "_error", "classic");
        var asQuorum = await _broker.RedeclareWithTypeAsync(FailingQueue + "_error", "quorum");

        Assert.Multiple(() =>
        {
            Assert.That(faulted.BasicProperties.MessageId, Is.EqualTo(SampleMessages.LeadAssigned.MessageId.ToString()));
            Assert.That(asClassic?.ShutdownReason?.ReplyCode, Is.EqualTo(406), "a classic declare was accepted");
            Assert.That(asQuorum, Is.Null);
        });
    }

    [Test]
    public async Task Without_the_quorum_option_receive_queues_are_classic()
    {
        _host = await BusHost.StartAsync(_broker.Settings(), new ReceivedMessages(), bus => bus.AddConsumer<QueueTypeProbeConsumer>());

        var asQuorum = await _broker.RedeclareWithTypeAsync(ProbeQueue, "quorum");

        Assert.That(asQuorum?.ShutdownReason?.ReplyCode, Is.EqualTo(406));
    }

    [Test]
    public async Task A_refused_password_fails_the_start_and_never_reaches_the_logs_or_the_error()
    {
        const string wrongPassword = "Wr0ng-Secret-4711";
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string?>(_broker.Settings())
        {
            ["LeadRouter:Messaging:RabbitMq:Password"] = wrongPassword,
        };
        using var host = BusHost.Build(settings, new ReceivedMessages(), _ => { }, services =>
        {
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            services.Configure<MassTransitHostOptions>(options => options.StartTimeout = TimeSpan.FromSeconds(10));
        });

        var error = Assert.CatchAsync(() => host.StartAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.ToString(), Does.Not.Contain(wrongPassword));
            Assert.That(logs.Text, Does.Contain("ACCESS_REFUSED"), "the broker refused the login");
            Assert.That(logs.Text, Does.Contain("Password=***"), "the settings are logged, redacted");
            Assert.That(logs.Text, Does.Not.Contain(wrongPassword));
        });
        await host.StopAsync();
    }

    private static string? Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        } : null;
}
