using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Serialization;

namespace LeadRouter.Worker.Messaging;

/// <summary>
/// Sends a message whose JSON is already written (an outbox row's payload): MassTransit's own JSON envelope
/// (content type, message id, message types, addresses, headers and host, as its System.Text.Json serializer
/// writes them) with the stored JSON copied in as the "message" object, so the outbox relay does not serialize
/// each message a second time. Consumers read it as any MassTransit message; the stored JSON is camelCase with
/// string enums, as MassTransit writes the contracts (only string escaping may differ, e.g. "+" as "\u002B").
/// </summary>
public sealed class StoredJsonSerializer(string messageJson) : IMessageSerializer
{
    /// <summary>MassTransit's envelope settings, read once the bus is configured, plus the verbatim copy of the stored JSON.</summary>
    private static readonly Lazy<JsonSerializerOptions> EnvelopeOptions = new(() =>
    {
        var options = new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options);
        options.Converters.Insert(0, new StoredJsonConverter());
        return options;
    });

    public ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    /// <summary>
    /// The send pipe that makes MassTransit send <paramref name="messageJson"/> as a <paramref name="contract"/> message
    /// with the stable id <paramref name="messageId"/>: the envelope names the contract's message types, as a publish of it does.
    /// </summary>
    public static IPipe<SendContext> Sending(Guid messageId, Type contract, string messageJson) =>
        Pipe.Execute<SendContext>(context =>
        {
            context.MessageId = messageId;
            context.SupportedMessageTypes = MessageTypeCache.GetMessageTypeNames(contract);
            context.Serializer = new StoredJsonSerializer(messageJson);
        });

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class => new EnvelopeBody(context, new StoredJson(messageJson));

    /// <summary>The envelope is written when the transport first asks for the body, as MassTransit's own bodies are: the context is complete by then.</summary>
    private sealed class EnvelopeBody(SendContext context, StoredJson message) : MessageBody
    {
        private byte[]? _bytes;

        public long? Length => _bytes?.Length;

        public Stream GetStream() => new MemoryStream(GetBytes(), writable: false);

        public byte[] GetBytes() =>
            _bytes ??= JsonSerializer.SerializeToUtf8Bytes(new JsonMessageEnvelope(context, message), EnvelopeOptions.Value);

        public string GetString() => Encoding.UTF8.GetString(GetBytes());
    }

    private sealed record StoredJson(string Json);

    /// <summary>Writes the stored JSON as it is: it was validated when the row was written and read back by the relay before publishing.</summary>
    private sealed class StoredJsonConverter : JsonConverter<StoredJson>
    {
        public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Stored message JSON is only written.");

        public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}
