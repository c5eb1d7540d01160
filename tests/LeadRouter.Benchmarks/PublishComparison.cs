using System.Diagnostics;
using System.Globalization;
using System.Runtime;
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
/// times, with publisher confirms, to the same node, as many in flight as the relay's batches. Both go to a
/// durable queue. The node is LEADROUTER_TEST_RABBITMQ's (an amqp URI). Prints one JSON object.
/// Each side first publishes <see cref="Warmup"/> messages untimed, <see cref="WarmupRounds"/> times, each followed by a wait
/// until the JIT is idle, so both are timed with their code compiled (the raw side otherwise runs on RabbitMQ.Client code
/// MassTransit's publishes already compiled, and after a single warm-up of 2,000 the tiered JIT went on recompiling the
/// relay's code through the timed relay run, about 2,000 methods, and the raw run, up to most of a core of this 2-core
/// machine); the methods compiled during each timed run are reported (a few dozen at most when the JIT kept out of it),
/// and so is the relay's first warm-up drain in a fresh process.
/// </summary>
internal static class PublishComparison
{
    private const int InFlight = OutboxRelay.BatchSize;
    private const int Warmup = 2000;
    // The relay's store code runs once a batch: tiered up (tier 0, instrumented, optimized: about 30 calls each) only after tens of batches.
    private const int WarmupRounds = 10;
    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan JitSettleLimit = TimeSpan.FromSeconds(20);
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

            var (relayWarmup, relay, sample) = await RelayAsync(node, channel, Path.Combine(folder.FullName, "store.db"), count);
            var raw = await RawAsync(channel, sample, count);

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                messages = count,
                bytesPerMessage = sample.Body.Length,
                relaySeconds = Math.Round(relay.Seconds, 3),
                relayMessagesPerSecond = Math.Round(count / relay.Seconds),
                relayCpuSeconds = Math.Round(relay.CpuSeconds, 3),
                rawSeconds = Math.Round(raw.Seconds, 3),
                rawMessagesPerSecond = Math.Round(count / raw.Seconds),
                rawCpuSeconds = Math.Round(raw.CpuSeconds, 3),
                ratio = Math.Round(raw.Seconds / relay.Seconds, 3),
                relayMethodsCompiled = relay.MethodsCompiled,
                rawMethodsCompiled = raw.MethodsCompiled,
                warmupMessages = Warmup,
                warmupRounds = WarmupRounds,
                relayWarmupSeconds = Math.Round(relayWarmup.Seconds, 3),
                relayWarmupCpuSeconds = Math.Round(relayWarmup.CpuSeconds, 3),
            }));
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The relay's warm-up drain, its drain of <paramref name="count"/> messages, and one of them as MassTransit put it on the wire.</summary>
    private static async Task<(Timing Warmup, Timing Timed, BasicGetResult Sample)> RelayAsync(Uri node, IChannel channel, string storePath, int count)
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
            var relay = provider.GetRequiredService<OutboxRelay>();

            async Task<Timing> DrainAsync(int messages)
            {
                await channel.QueuePurgeAsync(queue);
                var now = DateTimeOffset.UtcNow;
                var runId = Guid.NewGuid();
                await new Outbox(database).EnqueueAsync(
                    Enumerable.Range(0, messages).Select(i => OutboxMessages.Create(Scored(runId, i, now), now)).ToList());
                var clock = Timing.Start();
                var sent = await relay.DrainAsync(CancellationToken.None);
                var timing = clock.Stop();
                var unsent = await OutboxBacklog.CountUnsentAsync(database);
                if (sent != messages || unsent > 0)
                    throw new InvalidOperationException($"the relay sent {sent} of {messages} messages and left {unsent} unsent");
                return timing;
            }

            var warmup = await DrainAsync(Warmup);
            await SettleJitAsync();
            for (var round = 1; round < WarmupRounds; round++)
            {
                await DrainAsync(Warmup);
                await SettleJitAsync();
            }
            var timed = await DrainAsync(count);
            var sample = await channel.BasicGetAsync(queue, autoAck: true)
                ?? throw new InvalidOperationException("no message reached the queue bound to MassTransit's exchange");
            await channel.QueueDeleteAsync(queue);
            return (warmup, timed, sample);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>The same bytes and properties, published <paramref name="count"/> times (after the warm-up) with confirms, <see cref="InFlight"/> at a time.</summary>
    private static async Task<Timing> RawAsync(IChannel channel, BasicGetResult sample, int count)
    {
        const string queue = "leadrouter-bench-raw";
        await channel.ExchangeDeclareAsync(RawExchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, RawExchange, "");
        await channel.QueuePurgeAsync(queue);
        var properties = new BasicProperties(sample.BasicProperties);
        var body = sample.Body.ToArray();

        async Task PublishAsync(int messages)
        {
            var confirms = new List<Task>(InFlight);
            for (var i = 0; i < messages; i++)
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
        }

        for (var round = 0; round < WarmupRounds; round++)
        {
            await PublishAsync(Warmup);
            await SettleJitAsync();
        }
        await channel.QueuePurgeAsync(queue);
        var clock = Timing.Start();
        await PublishAsync(count);
        var timing = clock.Stop();
        await channel.QueueDeleteAsync(queue);
        await channel.ExchangeDeleteAsync(RawExchange);
        return timing;
    }

    /// <summary>Waits until the JIT has compiled nothing for <see cref="JitQuiet"/> (at most <see cref="JitSettleLimit"/>).</summary>
    private static async Task SettleJitAsync()
    {
        var waited = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        while (waited.Elapsed < JitSettleLimit)
        {
            await Task.Delay(JitQuiet);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == compiled)
                return;
            compiled = now;
        }
    }

    /// <summary>
    /// Wall-clock seconds and this process's CPU seconds (user + system) of one side, and the methods the JIT compiled
    /// meanwhile: on a loaded machine the wall clock stretches with the load, the CPU a message costs does not (the
    /// broker's CPU is not in it).
    /// </summary>
    private sealed record Timing(double Seconds, double CpuSeconds, long MethodsCompiled)
    {
        public static Clock Start() => new(Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime, JitInfo.GetCompiledMethodCount());

        public sealed record Clock(Stopwatch Wall, TimeSpan CpuAtStart, long CompiledAtStart)
        {
            public Timing Stop() => new(Wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart).TotalSeconds,
                JitInfo.GetCompiledMethodCount() - CompiledAtStart);
        }
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
