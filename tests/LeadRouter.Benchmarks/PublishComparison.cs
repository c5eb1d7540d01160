using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Storage;
using LeadRouter.Worker.Messaging;
using LeadRouter.Worker.Outbox;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace LeadRouter.Benchmarks;

/// <summary>
/// "publish-compare --messages N" (issue 9's publish path): the outbox relay publishes N RepTrustScored
/// messages through MassTransit to RabbitMQ, as the worker does (publisher confirms, the relay's claims
/// and marks in a SQLite store); then raw RabbitMQ.Client publishes the very bytes MassTransit sent, N
/// times, with publisher confirms, to the same node, 200 in flight as the relay's batches. Both go to a
/// durable queue. The node is LEADROUTER_TEST_RABBITMQ's (an amqp URI). Prints one JSON object.
/// </summary>
internal static class PublishComparison
{
    private const int InFlight = 200;
    private const string RawExchange = "leadrouter-bench-raw";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["--messages", var text] || !int.TryParse(text, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            Console.Error.WriteLine("publish-compare: give --messages N (N ≥ 1).");
            return 2;
        }
        if (Environment.GetEnvironmentVariable("LEADROUTER_TEST_RABBITMQ") is not { Length: > 0 } amqp)
        {
            Console.Error.WriteLine("publish-compare: LEADROUTER_TEST_RABBITMQ (an amqp URI) names no RabbitMQ node.");
            return 2;
        }
        var node = new Uri(amqp);
        var folder = Directory.CreateTempSubdirectory("leadrouter-publish-");
        try
        {
            var factory = new ConnectionFactory { Uri = node };
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

            var (relaySeconds, sample) = await RelayAsync(node, channel, Path.Combine(folder.FullName, "store.db"), count);
            var rawSeconds = await RawAsync(channel, sample, count);

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                messages = count,
                bytesPerMessage = sample.Body.Length,
                relaySeconds = Math.Round(relaySeconds, 3),
                relayMessagesPerSecond = Math.Round(count / relaySeconds),
                rawSeconds = Math.Round(rawSeconds, 3),
                rawMessagesPerSecond = Math.Round(count / rawSeconds),
                ratio = Math.Round(rawSeconds / relaySeconds, 3),
            }));
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The relay's drain of <paramref name="count"/> messages, and one of them as MassTransit put it on the wire.</summary>
    private static async Task<(double Seconds, BasicGetResult Sample)> RelayAsync(Uri node, IChannel channel, string storePath, int count)
    {
        var user = node.UserInfo.Split(':', 2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LeadRouter:Messaging:Transport"] = nameof(MessagingTransport.RabbitMq),
            ["LeadRouter:Messaging:RabbitMq:Host"] = node.Host,
            ["LeadRouter:Messaging:RabbitMq:Port"] = node.Port.ToString(CultureInfo.InvariantCulture),
            ["LeadRouter:Messaging:RabbitMq:Username"] = Uri.UnescapeDataString(user[0]),
            ["LeadRouter:Messaging:RabbitMq:Password"] = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "",
        }).Build();
        var database = new LeadRouterDatabase(StorageOptions.SqliteFile(storePath));
        await database.MigrateAsync();

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(database)
            .AddSingleton(LeaseOwner.ForThisProcess())
            .AddSingleton<OutboxRelay>();
        services.AddLeadRouterBus(configuration);
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        try
        {
            // MassTransit publishes to an exchange named after the message type; a queue bound to it keeps the messages.
            var exchange = $"{typeof(RepTrustScored).Namespace}:{nameof(RepTrustScored)}";
            const string queue = "leadrouter-bench-relay";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");
            await channel.QueuePurgeAsync(queue);

            var now = DateTimeOffset.UtcNow;
            var runId = Guid.NewGuid();
            await new Outbox(database).EnqueueAsync(
                Enumerable.Range(0, count).Select(i => OutboxMessages.Create(Scored(runId, i, now), now)).ToList());

            var clock = Stopwatch.StartNew();
            var sent = await provider.GetRequiredService<OutboxRelay>().DrainAsync(CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            if (sent != count)
                throw new InvalidOperationException($"the relay sent {sent} of {count} messages");
            var sample = await channel.BasicGetAsync(queue, autoAck: true)
                ?? throw new InvalidOperationException("no message reached the queue bound to MassTransit's exchange");
            await channel.QueueDeleteAsync(queue);
            return (seconds, sample);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>The same bytes and properties, published <paramref name="count"/> times with confirms, <see cref="InFlight"/> at a time.</summary>
    private static async Task<double> RawAsync(IChannel channel, BasicGetResult sample, int count)
    {
        const string queue = "leadrouter-bench-raw";
        await channel.ExchangeDeclareAsync(RawExchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, RawExchange, "");
        await channel.QueuePurgeAsync(queue);
        var properties = new BasicProperties(sample.BasicProperties);
        var body = sample.Body.ToArray();

        var clock = Stopwatch.StartNew();
        var confirms = new List<Task>(InFlight);
        for (var i = 0; i < count; i++)
        {
            // With confirmation tracking on, each publish completes when the broker confirms it.
            confirms.Add(channel.BasicPublishAsync(RawExchange, "", mandatory: false, properties, body).AsTask());
            if (confirms.Count == InFlight)
            {
                await Task.WhenAll(confirms);
                confirms.Clear();
            }
        }
        await Task.WhenAll(confirms);
        var seconds = clock.Elapsed.TotalSeconds;
        await channel.QueueDeleteAsync(queue);
        await channel.ExchangeDeleteAsync(RawExchange);
        return seconds;
    }

    private static RepTrustScored Scored(Guid runId, int i, DateTimeOffset asOf) => new(
        runId,
        $"005bench{i:D10}",
        $"Rep {i}",
        "005benchmanager001",
        "2026-W41",
        asOf,
        Trust: 72.5,
        Confidence: 0.78,
        ChangeSinceLastWeek: 1.5,
        [
            new("ReviewAttendance", 0.9, 0.35, 12, "attended 9 of 10 reviews held in the last 12 weeks"),
            new("PipelineHonesty", 0.8, 0.30, 120, "96 of 120 pipeline checks passed on 20 open opportunities"),
            new("Delegation", 0.7, 0.20, 40, "delegated 28 of 40 admin tasks to their manager"),
            new("SellingActivity", 0.6, 0.15, 11, "logged 240 selling activities"),
        ],
        ["engage a decision maker on 4 opportunities (add the contact role): +2.1"]);
}
