using System.Globalization;

namespace LeadRouter.Worker.Messaging;

/// <summary>Which broker carries the messages.</summary>
public enum MessagingTransport
{
    /// <summary>Inside this process only: for one-machine setups, simulations and tests.</summary>
    InMemory,

    /// <summary>A RabbitMQ broker (3.10 or later).</summary>
    RabbitMq,
}

/// <summary>
/// The message bus settings, bound from the configuration section "LeadRouter:Messaging"
/// (environment variables LeadRouter__Messaging__...). Checked when the host starts.
/// </summary>
public sealed class MessagingOptions
{
    public const string SectionPath = "LeadRouter:Messaging";

    public MessagingTransport Transport { get; set; } = MessagingTransport.InMemory;

    public RabbitMqOptions RabbitMq { get; set; } = new();

    public RetryOptions Retry { get; set; } = new();

    /// <summary>Messages each receive endpoint holds at once (RabbitMQ prefetch; in-memory concurrency).</summary>
    public int PrefetchCount { get; set; } = 16;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Transport={Transport}, PrefetchCount={PrefetchCount}, RabbitMq={{{RabbitMq}}}, Retry={{{Retry}}}");
}

/// <summary>The RabbitMQ broker and how the queues are declared.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    /// <summary>Required with the RabbitMq transport; never logged (see <see cref="ToString"/>).</summary>
    public string? Password { get; set; }

    /// <summary>Declare receive queues as quorum queues (replicated, durable); a queue's type cannot change once declared.</summary>
    public bool UseQuorumQueues { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Host={Host}, Port={Port}, VirtualHost={VirtualHost}, Username={Username}, " +
        $"Password={(string.IsNullOrEmpty(Password) ? "(not set)" : "***")}, UseQuorumQueues={UseQuorumQueues}");
}

/// <summary>
/// In-process retry of a failing consumer with exponential backoff; after the last retry the
/// message goes to the endpoint's "_error" queue. There is no delayed redelivery.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 sends a failing message straight to "_error".</summary>
    public int Limit { get; set; } = 5;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The growth step of the exponential backoff.</summary>
    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromSeconds(1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Limit={Limit}, MinInterval={MinInterval:c}, MaxInterval={MaxInterval:c}, IntervalDelta={IntervalDelta:c}");
}
