using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Storage;
using LeadRouter.Worker.Messaging;
using LeadRouter.Worker.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>
/// The outbox relay sends each row's stored JSON without serializing it again (StoredJsonSerializer): what a
/// consumer receives must be the message MassTransit itself would have sent, on both transports.
/// </summary>
[TestFixture(MessagingTransport.InMemory)]
[TestFixture(MessagingTransport.RabbitMq)]
[NonParallelizable]
public sealed class RelayedMessageTests(MessagingTransport transport)
{
    private const string Queue = "leadrouter-envelope-capturing";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private RabbitMqBroker? _broker;
    private DirectoryInfo _folder = null!;
    private LeadRouterDatabase _database = null!;
    private IHost? _host;
    private CapturedEnvelopes _captured = null!;

    [SetUp]
    public async Task SetUp()
    {
        var settings = new Dictionary<string, string?>();
        if (transport == MessagingTransport.RabbitMq)
        {
            _broker = RabbitMqBroker.RequireOrIgnore();
            await _broker.DeleteQueuesAsync(Queue);
            settings = _broker.Settings();
        }
        _folder = Directory.CreateTempSubdirectory("leadrouter-relayed-");
        _database = new LeadRouterDatabase(StorageOptions.SqliteFile(Path.Combine(_folder.FullName, "store.db")));
        await _database.MigrateAsync();
        _captured = new CapturedEnvelopes();
        _host = BusHost.Build(settings, new ReceivedMessages(), bus => bus.AddConsumer<EnvelopeCapturingConsumer>(),
            services => services.AddSingleton(_captured));
        await _host.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
        if (_broker is not null)
            await _broker.DeleteQueuesAsync(Queue);
        _folder.Delete(recursive: true);
    }

    [Test]
    public async Task A_relayed_message_is_the_envelope_MassTransit_sends_around_the_stored_json()
    {
        var publisher = _host!.Services.GetRequiredService<IPublishEndpoint>();
        foreach (var message in SampleMessages.All)
            await publisher.Publish(message, message.GetType());
        var direct = await _captured.WaitForAsync(SampleMessages.All.Count, Timeout);

        var rows = SampleMessages.All.Select(Row).ToList();
        await new Outbox(_database).EnqueueAsync(rows);
        Assert.That(await Relay().DrainAsync(CancellationToken.None), Is.EqualTo(rows.Count));
        var relayed = await _captured.WaitForAsync(SampleMessages.All.Count, Timeout);

        foreach (var (sample, row) in SampleMessages.All.Zip(rows))
        {
            var name = sample.GetType().Name;
            var viaMassTransit = direct.Single(e => e.MessageType == sample.GetType());
            var viaRelay = relayed.Single(e => e.MessageType == sample.GetType());
            Assert.Multiple(() =>
            {
                Assert.That(viaRelay.Body, Does.Contain(row.Payload), $"{name}: the stored JSON goes out as it is");
                Assert.That(viaRelay.Json, Is.EqualTo(viaMassTransit.Json), $"{name}: the record the consumer gets");
                Assert.That(viaRelay.MessageId, Is.EqualTo(sample.MessageId), $"{name}: envelope MessageId");
                Assert.That(viaRelay.ContentType, Is.EqualTo(viaMassTransit.ContentType), $"{name}: content type");
                Assert.That(viaRelay.SupportedMessageTypes, Is.EqualTo(viaMassTransit.SupportedMessageTypes), $"{name}: message type URNs");
                Assert.That(EnvelopeFields(viaRelay), Is.EqualTo(EnvelopeFields(viaMassTransit)), $"{name}: envelope fields");
                Assert.That(viaRelay.TransportHeaders, Is.EqualTo(viaMassTransit.TransportHeaders), $"{name}: the transport's headers and properties");
                Assert.That(JsonNode.DeepEquals(MessageNode(viaRelay), MessageNode(viaMassTransit)), Is.True,
                    $"{name}: the envelope's message object\nrelay: {MessageNode(viaRelay)}\nMassTransit: {MessageNode(viaMassTransit)}");
            });
        }
    }

    [Test]
    public async Task A_row_published_again_keeps_its_message_id()
    {
        var sample = SampleMessages.LeadAssignmentRecommended;
        var outbox = new Outbox(_database);
        await outbox.EnqueueAsync([OutboxMessages.Create(sample, DateTimeOffset.UtcNow)]);
        // A publisher that claimed the row and died before marking it sent: its lease has run out.
        var lost = await new Outbox(_database, new LeaseOwner("gone-publisher")).ClaimAsync(10, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMinutes(1));
        Assert.That(lost, Has.Count.EqualTo(1));

        var relay = Relay();
        Assert.That(await relay.DrainAsync(CancellationToken.None), Is.EqualTo(1), "the relay takes over the expired lease");
        var first = (await _captured.WaitForAsync(1, Timeout)).Single();
        await _database.InTransactionAsync(transaction => outbox.RepublishAsync([sample.MessageId], transaction), CancellationToken.None);
        Assert.That(await relay.DrainAsync(CancellationToken.None), Is.EqualTo(1), "the republished row goes out again");
        var second = (await _captured.WaitForAsync(1, Timeout)).Single();

        Assert.That(new[] { first.MessageId, second.MessageId }, Has.All.EqualTo(sample.MessageId));
        Assert.That(await OutboxBacklog.CountUnsentAsync(_database), Is.Zero);
    }

    [Test]
    public async Task A_row_of_an_unknown_kind_fails_in_the_relay_and_waits_for_its_retry()
    {
        var good = OutboxMessages.Create(SampleMessages.LeadAssigned, DateTimeOffset.UtcNow);
        var unknown = good with { Id = Guid.NewGuid(), MessageType = "lead-teleported" };
        await new Outbox(_database).EnqueueAsync([good, unknown]);

        Assert.That(await Relay().DrainAsync(CancellationToken.None), Is.EqualTo(1), "the readable row goes out");
        Assert.That((await _captured.WaitForAsync(1, Timeout)).Single().MessageId, Is.EqualTo(good.Id));
        var failed = await new Outbox(_database).ClaimAsync(10, DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromMinutes(1));
        Assert.That(failed.Select(r => (r.Id, r.Attempts)), Is.EqualTo(new[] { (unknown.Id, 1) }));
        Assert.That(failed[0].LastError, Does.Contain("unknown kind 'lead-teleported'"));
    }

    /// <summary>The outbox row the engine writes for a message.</summary>
    private static OutboxMessage Row(ILeadRouterMessage message) => message switch
    {
        RepTrustScored scored => OutboxMessages.Create(scored, DateTimeOffset.UtcNow),
        LeadAssignmentRecommended recommended => OutboxMessages.Create(recommended, DateTimeOffset.UtcNow),
        LeadAssigned assigned => OutboxMessages.Create(assigned, DateTimeOffset.UtcNow),
        LeadAssignmentSkipped skipped => OutboxMessages.Create(skipped, DateTimeOffset.UtcNow),
        WeeklyDigestReady digest => OutboxMessages.Create(digest, DateTimeOffset.UtcNow),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "not a contract the outbox carries"),
    };

    private OutboxRelay Relay() => new(_database, _host!.Services.GetRequiredService<IPublishEndpointProvider>(), TimeProvider.System,
        NullLogger<OutboxRelay>.Instance, LeaseOwner.ForThisProcess());

    private static JsonNode? MessageNode(CapturedEnvelope envelope) => JsonNode.Parse(envelope.Body)!["message"];

    /// <summary>The envelope's field names, and the values that do not change from one send to the next.</summary>
    private static string[] EnvelopeFields(CapturedEnvelope envelope) =>
        JsonNode.Parse(envelope.Body)!.AsObject()
            .Select(p => p.Key is "messageId" or "messageType" or "destinationAddress" or "headers" ? $"{p.Key}={p.Value?.ToJsonString()}" : p.Key)
            .Order(StringComparer.Ordinal).ToArray();
}

internal sealed record CapturedEnvelope(
    Type MessageType, Guid? MessageId, string ContentType, string[] SupportedMessageTypes, string[] TransportHeaders, string Body, string Json);

/// <summary>Each delivery with its raw body, handed out in the order they came.</summary>
internal sealed class CapturedEnvelopes
{
    private readonly ConcurrentQueue<CapturedEnvelope> _envelopes = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public void Add(CapturedEnvelope envelope)
    {
        _envelopes.Enqueue(envelope);
        _arrived.Release();
    }

    public async Task<IReadOnlyList<CapturedEnvelope>> WaitForAsync(int count, TimeSpan timeout)
    {
        var taken = new List<CapturedEnvelope>(count);
        while (taken.Count < count)
        {
            if (!await _arrived.WaitAsync(timeout))
                Assert.Fail($"{taken.Count} of {count} messages arrived within {timeout}");
            taken.Add(_envelopes.TryDequeue(out var envelope) ? envelope : throw new InvalidOperationException("signalled without a message"));
        }
        return taken;
    }
}

/// <summary>Keeps each message with the body it came in. Its endpoint is "leadrouter-envelope-capturing".</summary>
internal sealed class EnvelopeCapturingConsumer(CapturedEnvelopes captured) :
    IConsumer<RepTrustScored>,
    IConsumer<LeadAssignmentRecommended>,
    IConsumer<LeadAssigned>,
    IConsumer<LeadAssignmentSkipped>,
    IConsumer<WeeklyDigestReady>
{
    public Task Consume(ConsumeContext<RepTrustScored> context) => Capture(context);
    public Task Consume(ConsumeContext<LeadAssignmentRecommended> context) => Capture(context);
    public Task Consume(ConsumeContext<LeadAssigned> context) => Capture(context);
    public Task Consume(ConsumeContext<LeadAssignmentSkipped> context) => Capture(context);
    public Task Consume(ConsumeContext<WeeklyDigestReady> context) => Capture(context);

    private Task Capture<T>(ConsumeContext<T> context) where T : class
    {
        captured.Add(new CapturedEnvelope(typeof(T), context.MessageId, context.ReceiveContext.ContentType.MediaType,
            context.SupportedMessageTypes.ToArray(), TransportHeaders(context.ReceiveContext), context.ReceiveContext.Body.GetString(),
            new ReceivedMessages.Received(context.Message, context.MessageId).Json));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The transport's headers and, on RabbitMQ, the message's properties, but for those numbering each delivery and each
    /// publish on its channel (RabbitMQ.Client's publisher-confirm sequence number).
    /// </summary>
    private static string[] TransportHeaders(ReceiveContext context) =>
        context.TransportHeaders.GetAll().Where(h => h.Key is not ("RabbitMQ-DeliveryTag" or "x-dotnet-pub-seq-no")).Select(h => $"{h.Key}={h.Value}")
            .Concat(context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
                ? [$"exchange={rabbit.Exchange}", $"routingKey={rabbit.RoutingKey}", $"persistent={rabbit.Properties.Persistent}",
                   $"messageId={rabbit.Properties.MessageId}", $"contentType={rabbit.Properties.ContentType}", $"type={rabbit.Properties.Type}",
                   $"correlationId={rabbit.Properties.CorrelationId}", $"expiration={rabbit.Properties.Expiration}", $"priority={rabbit.Properties.Priority}"]
                : [])
            .Order(StringComparer.Ordinal).ToArray();
}
