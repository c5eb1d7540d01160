using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>
/// The private RabbitMQ node started by scripts/services/rabbitmq.sh (LEADROUTER_TEST_RABBITMQ);
/// tests using it are skipped when it is not there.
/// </summary>
internal sealed class RabbitMqBroker
{
    public const string UriVariable = "LEADROUTER_TEST_RABBITMQ";

    private readonly Uri _uri;

    private RabbitMqBroker(Uri uri) => _uri = uri;

    public static RabbitMqBroker RequireOrIgnore()
    {
        var value = Environment.GetEnvironmentVariable(UriVariable);
        if (string.IsNullOrWhiteSpace(value))
            Assert.Ignore($"{UriVariable} is not set: run scripts/test.sh, which starts a private RabbitMQ node.");
        return new RabbitMqBroker(new Uri(value));
    }

    /// <summary>The same node, in another virtual host.</summary>
    public RabbitMqBroker InVirtualHost(string name) => new(new UriBuilder(_uri) { Path = "/" + Uri.EscapeDataString(name) }.Uri);

    /// <summary>The worker's configuration keys pointing at this node.</summary>
    public Dictionary<string, string?> Settings()
    {
        var credentials = _uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(_uri.AbsolutePath.TrimStart('/'));
        return new Dictionary<string, string?>
        {
            ["LeadRouter:Messaging:Transport"] = "RabbitMq",
            ["LeadRouter:Messaging:RabbitMq:Host"] = _uri.Host,
            ["LeadRouter:Messaging:RabbitMq:Port"] = _uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LeadRouter:Messaging:RabbitMq:VirtualHost"] = vhost.Length == 0 ? "/" : vhost,
            ["LeadRouter:Messaging:RabbitMq:Username"] = Uri.UnescapeDataString(credentials[0]),
            ["LeadRouter:Messaging:RabbitMq:Password"] = Uri.UnescapeDataString(credentials[1]),
        };
    }

    public async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = _uri, ClientProvidedName = "leadrouter-integration-tests" }.CreateConnectionAsync();

    /// <summary>Deletes the queues a test declares, so each test starts from nothing (a missing queue is fine).</summary>
    public async Task DeleteQueuesAsync(params string[] queues)
    {
        await using var connection = await ConnectAsync();
        foreach (var queue in queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    /// <summary>
    /// The first message on <paramref name="queue"/> (acknowledged), polling until it arrives.
    /// MassTransit declares an "_error" queue only when it moves the first message there, and a
    /// new quorum queue answers INTERNAL_ERROR (noproc) until its replica has started: both are
    /// "not yet". Each poll has its own connection, since those errors close it.
    /// </summary>
    public async Task<BasicGetResult> GetAsync(string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = await ConnectAsync();
                await using var channel = await connection.CreateChannelAsync();
                if (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
                    return result;
            }
            catch (OperationInterruptedException notYet) when (notYet.ShutdownReason?.ReplyCode is 404 or 541)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no message on queue {queue} within {timeout}");
            await Task.Delay(50);
        }
    }

    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    /// <summary>
    /// Declares <paramref name="queue"/> again with only x-queue-type set. RabbitMQ answers
    /// PRECONDITION_FAILED (406) when the existing queue has another type, so this tells the
    /// queue's type without the management plugin. Returns the broker's refusal, or null when it agreed.
    /// </summary>
    public async Task<OperationInterruptedException?> RedeclareWithTypeAsync(string queue, string queueType)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = queueType });
            return null;
        }
        catch (OperationInterruptedException refused)
        {
            return refused;
        }
    }
}

/// <summary>The private test node (scripts/services/rabbitmq.sh): its AMQP side stopped and started with rabbitmqctl.</summary>
internal static class RabbitMqNode
{
    /// <summary>Marks the test ignored unless the node is the private one, which a test may stop.</summary>
    public static void IgnoreUnlessOurs()
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_NODENAME") is null)
            Assert.Ignore("RABBITMQ_NODENAME is not set: the broker is not one this test may stop (scripts/test.sh starts one).");
    }

    public static Task StopAppAsync() => CtlAsync("stop_app");

    /// <summary>
    /// Starts the node's AMQP side again. Just after stop_app the old listener may still hold the port (eaddrinuse, seen
    /// once in a clean-clone run): start_app is then tried again, for five seconds at most.
    /// </summary>
    public static async Task StartAppAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, error) = await RunCtlAsync("start_app");
            if (exitCode == 0)
                return;
            if (attempt == 10 || !error.Contains("eaddrinuse", StringComparison.Ordinal))
                Assert.Fail($"rabbitmqctl start_app: {error}");
            await Task.Delay(500);
        }
    }

    /// <summary>A virtual host of the test's own, open to guest: what runs there cannot touch another test's queues.</summary>
    public static async Task AddVirtualHostAsync(string name)
    {
        await CtlAsync("add_vhost", name);
        await CtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
    }

    /// <summary>Deletes the virtual host, closing every connection to it (a consumer still reconnecting after a restart included).</summary>
    public static Task DeleteVirtualHostAsync(string name) => CtlAsync("delete_vhost", name);

    private static async Task CtlAsync(params string[] command)
    {
        var (exitCode, error) = await RunCtlAsync(command);
        Assert.That(exitCode, Is.Zero, $"rabbitmqctl {string.Join(' ', command)}: {error}");
    }

    private static async Task<(int ExitCode, string Error)> RunCtlAsync(params string[] command)
    {
        var start = new ProcessStartInfo("/usr/lib/rabbitmq/bin/rabbitmqctl")
        {
            ArgumentList = { "-q", "-n", Environment.GetEnvironmentVariable("RABBITMQ_NODENAME")! },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command)
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = Path.Combine(Environment.GetEnvironmentVariable("LEADROUTER_TEST_WORK")!, "rabbitmq", "home");
        using var ctl = Process.Start(start)!;
        var error = ctl.StandardError.ReadToEndAsync();
        await ctl.StandardOutput.ReadToEndAsync();
        await ctl.WaitForExitAsync();
        return (ctl.ExitCode, await error);
    }
}
