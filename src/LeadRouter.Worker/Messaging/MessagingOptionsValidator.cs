using System.Globalization;
using Microsoft.Extensions.Options;

namespace LeadRouter.Worker.Messaging;

/// <summary>Checks <see cref="MessagingOptions"/> at start; each error names the setting's configuration key.</summary>
public sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public const int MaxRetryLimit = 20;
    public const int MaxPrefetchCount = 1000;

    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var errors = new List<string>();
        const string root = MessagingOptions.SectionPath;

        if (!Enum.IsDefined(options.Transport))
            errors.Add(Error($"{root}:Transport", $"must be InMemory or RabbitMq (was {(int)options.Transport})"));
        if (options.PrefetchCount is < 1 or > MaxPrefetchCount)
            errors.Add(Error($"{root}:PrefetchCount", $"must be between 1 and {MaxPrefetchCount} (was {options.PrefetchCount})"));

        var retry = options.Retry;
        var retryKey = $"{root}:Retry";
        if (retry.Limit is < 0 or > MaxRetryLimit)
            errors.Add(Error($"{retryKey}:Limit", $"must be between 0 and {MaxRetryLimit} (was {retry.Limit})"));
        if (retry.MinInterval < TimeSpan.Zero)
            errors.Add(Error($"{retryKey}:MinInterval", $"must not be negative (was {retry.MinInterval:c})"));
        if (retry.MaxInterval < retry.MinInterval)
            errors.Add(Error($"{retryKey}:MaxInterval", $"must be at least MinInterval {retry.MinInterval:c} (was {retry.MaxInterval:c})"));
        if (retry.IntervalDelta <= TimeSpan.Zero)
            errors.Add(Error($"{retryKey}:IntervalDelta", $"must be positive (was {retry.IntervalDelta:c})"));

        if (options.Transport == MessagingTransport.RabbitMq)
        {
            var rabbit = options.RabbitMq;
            var rabbitKey = $"{root}:RabbitMq";
            if (string.IsNullOrWhiteSpace(rabbit.Host))
                errors.Add(Error($"{rabbitKey}:Host", "is required with the RabbitMq transport"));
            if (rabbit.Port is < 1 or > 65535)
                errors.Add(Error($"{rabbitKey}:Port", $"must be between 1 and 65535 (was {rabbit.Port})"));
            if (string.IsNullOrWhiteSpace(rabbit.VirtualHost))
                errors.Add(Error($"{rabbitKey}:VirtualHost", "is required (\"/\" is the default virtual host)"));
            if (string.IsNullOrWhiteSpace(rabbit.Username))
                errors.Add(Error($"{rabbitKey}:Username", "is required with the RabbitMq transport"));
            // The value itself never appears in a message, only whether it is there.
            if (string.IsNullOrEmpty(rabbit.Password))
                errors.Add(Error($"{rabbitKey}:Password", "is required with the RabbitMq transport (set it from a secret, e.g. LeadRouter__Messaging__RabbitMq__Password)"));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Error(string key, string problem) => string.Create(CultureInfo.InvariantCulture, $"{key} {problem}.");
}
