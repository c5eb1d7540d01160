using LeadRouter.Worker.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>Settings are checked at start, errors name the key, and the password never shows.</summary>
[TestFixture]
public sealed class MessagingOptionsTests
{
    private const string Secret = "s3cr3t-Pa55word";

    [Test]
    public void Defaults_are_the_in_memory_transport_and_valid()
    {
        var options = new MessagingOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Transport, Is.EqualTo(MessagingTransport.InMemory));
            Assert.That(new MessagingOptionsValidator().Validate(null, options).Succeeded, Is.True);
        });
    }

    [Test]
    public void The_bus_reports_no_usage_to_MassTransits_makers()
    {
        using var host = BusHost.Build(new Dictionary<string, string?>(), new ReceivedMessages(), _ => { });

        Assert.That(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled, Is.False);
    }

    [Test]
    public void RabbitMq_without_a_password_fails_at_start_naming_the_key()
    {
        using var host = BusHost.Build(
            new Dictionary<string, string?> { ["LeadRouter:Messaging:Transport"] = "RabbitMq" },
            new ReceivedMessages(), _ => { });

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("LeadRouter:Messaging:RabbitMq:Password is required"));
    }

    [TestCase("RabbitMq:Port", "0", "LeadRouter:Messaging:RabbitMq:Port must be between 1 and 65535 (was 0)")]
    [TestCase("RabbitMq:Host", " ", "LeadRouter:Messaging:RabbitMq:Host is required")]
    [TestCase("RabbitMq:VirtualHost", "", "LeadRouter:Messaging:RabbitMq:VirtualHost is required")]
    [TestCase("Retry:Limit", "-1", "LeadRouter:Messaging:Retry:Limit must be between 0 and 20 (was -1)")]
    [TestCase("Retry:MaxInterval", "00:00:00.1", "LeadRouter:Messaging:Retry:MaxInterval must be at least MinInterval")]
    [TestCase("Retry:IntervalDelta", "00:00:00", "LeadRouter:Messaging:Retry:IntervalDelta must be positive")]
    [TestCase("PrefetchCount", "0", "LeadRouter:Messaging:PrefetchCount must be between 1 and 1000 (was 0)")]
    public void A_bad_setting_is_reported_with_its_key(string key, string value, string expected)
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["LeadRouter:Messaging:Transport"] = "RabbitMq",
            ["LeadRouter:Messaging:RabbitMq:Password"] = Secret,
            ["LeadRouter:Messaging:" + key] = value,
        });

        var result = new MessagingOptionsValidator().Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.One.StartsWith(expected));
            Assert.That(result.FailureMessage, Does.Not.Contain(Secret));
        });
    }

    [Test]
    public void An_unknown_transport_is_refused_naming_the_key()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LeadRouter:Messaging:Transport"] = "Kafka" })
            .Build();

        var error = Assert.Throws<LeadRouter.Worker.Hosting.ConfigurationException>(() => services.AddLeadRouterBus(configuration));

        Assert.That(error!.Message, Does.Contain("LeadRouter:Messaging:Transport"));
    }

    [Test]
    public void ToString_shows_the_settings_but_never_the_password()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["LeadRouter:Messaging:Transport"] = "RabbitMq",
            ["LeadRouter:Messaging:RabbitMq:Host"] = "rabbitmq",
            ["LeadRouter:Messaging:RabbitMq:Password"] = Secret,
        });

        var text = options.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Transport=RabbitMq"));
            Assert.That(text, Does.Contain("Host=rabbitmq"));
            Assert.That(text, Does.Contain("Password=***"));
            Assert.That(text, Does.Not.Contain(Secret));
        });
    }

    [Test]
    public void Endpoint_names_are_kebab_case_with_the_leadrouter_prefix()
    {
        using var host = BusHost.Build(new Dictionary<string, string?>(), new ReceivedMessages(), _ => { });
        var formatter = host.Services.GetRequiredService<IEndpointNameFormatter>();

        Assert.That(formatter.Consumer<AlwaysFailingConsumer>(), Is.EqualTo("leadrouter-always-failing"));
    }

    private static MessagingOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(MessagingOptions.SectionPath).Get<MessagingOptions>()!;
}
