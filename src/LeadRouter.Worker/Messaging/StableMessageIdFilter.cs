using LeadRouter.Contracts.V1;
using MassTransit;

namespace LeadRouter.Worker.Messaging;

/// <summary>
/// Puts a LeadRouter message's stable <see cref="ILeadRouterMessage.MessageId"/> on the envelope,
/// so broker-level tools and MassTransit's own MessageId agree with the payload and a republished
/// fact carries the same id. Other messages keep MassTransit's id.
/// </summary>
public sealed class StableMessageIdFilter<T> : IFilter<SendContext<T>>, IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(SendContext<T> context, IPipe<SendContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("leadRouterStableMessageId");

    private static void Stamp(SendContext<T> context)
    {
        if (context.Message is ILeadRouterMessage message)
            context.MessageId = message.MessageId;
    }
}
