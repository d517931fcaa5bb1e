namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Decides how <see cref="DownstreamSmtpServer"/> behaves. It may be changed while the server runs; every
/// member is safe to use from the test thread while sessions read it.
/// </summary>
/// <remarks>
/// The reply to RCPT and to the end of DATA is chosen in this order: the next queued reply (per address for
/// RCPT, then the address-independent queue), then the handler (a null result falls through), then 250.
/// </remarks>
public sealed class DownstreamScript
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<DownstreamReply>> recipientReplies =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<DownstreamReply> anyRecipientReplies = new();
    private readonly Queue<DownstreamReply> dataReplies = new();
    private readonly Queue<DownstreamReply> mailFromReplies = new();

    /// <summary>Name used in the greeting and the EHLO reply.</summary>
    public string Hostname { get; set; } = "downstream.test";

    /// <summary>Whether EHLO advertises SMTPUTF8 (and MAIL FROM accepts the SMTPUTF8 parameter).</summary>
    public bool AdvertiseSmtpUtf8 { get; set; }

    /// <summary>Whether EHLO advertises DSN (RFC 3461); without it RET, ENVID, NOTIFY and ORCPT get 555.</summary>
    public bool AdvertiseDsn { get; set; }

    /// <summary>Whether EHLO advertises 8BITMIME (on by default); without it a BODY parameter gets 555.</summary>
    public bool Advertise8BitMime { get; set; } = true;

    /// <summary>The SIZE limit advertised and enforced, in bytes.</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Delay before every reply, greeting included: a slow server.</summary>
    public TimeSpan ReplyDelay { get; set; }

    /// <summary>Extra delay before the reply to the end of DATA only.</summary>
    public TimeSpan DataReplyDelay { get; set; }

    /// <summary>The greeting; set a 421/554 reply to refuse sessions. Null means 220.</summary>
    public DownstreamReply? Greeting { get; set; }

    /// <summary>Decides the reply to MAIL FROM by reverse-path; null (or a null result) means 250.</summary>
    public Func<string, DownstreamReply?>? MailFromHandler { get; set; }

    /// <summary>Decides the reply to RCPT TO by address; null (or a null result) means 250.</summary>
    public Func<string, DownstreamReply?>? RecipientHandler { get; set; }

    /// <summary>Decides the reply to the end of DATA from the would-be message; null means 250.</summary>
    public Func<ReceivedMail, DownstreamReply?>? DataHandler { get; set; }

    /// <summary>Queues replies for the next RCPT TO commands naming <paramref name="address"/>.</summary>
    public void EnqueueRecipientReplies(string address, params DownstreamReply[] replies)
    {
        lock (gate)
        {
            if (!recipientReplies.TryGetValue(address, out var queue))
            {
                queue = new Queue<DownstreamReply>();
                recipientReplies[address] = queue;
            }

            foreach (var reply in replies)
            {
                queue.Enqueue(reply);
            }
        }
    }

    /// <summary>Queues replies for the next RCPT TO commands, whatever the address.</summary>
    public void EnqueueRecipientReplies(params DownstreamReply[] replies)
    {
        EnqueueAll(anyRecipientReplies, replies);
    }

    /// <summary>Queues replies for the next ends of DATA, e.g. 451 then (by default) 250.</summary>
    public void EnqueueDataReplies(params DownstreamReply[] replies)
    {
        EnqueueAll(dataReplies, replies);
    }

    /// <summary>Queues replies for the next MAIL FROM commands.</summary>
    public void EnqueueMailFromReplies(params DownstreamReply[] replies)
    {
        EnqueueAll(mailFromReplies, replies);
    }

    internal DownstreamReply? NextMailFromReply(string reversePath)
    {
        return Dequeue(mailFromReplies) ?? MailFromHandler?.Invoke(reversePath);
    }

    internal DownstreamReply? NextRecipientReply(string address)
    {
        DownstreamReply? queued = null;
        lock (gate)
        {
            if (recipientReplies.TryGetValue(address, out var queue) && queue.Count > 0)
            {
                queued = queue.Dequeue();
            }
            else if (anyRecipientReplies.Count > 0)
            {
                queued = anyRecipientReplies.Dequeue();
            }
        }

        return queued ?? RecipientHandler?.Invoke(address);
    }

    internal DownstreamReply? NextDataReply(ReceivedMail mail)
    {
        return Dequeue(dataReplies) ?? DataHandler?.Invoke(mail);
    }

    private void EnqueueAll(Queue<DownstreamReply> queue, DownstreamReply[] replies)
    {
        lock (gate)
        {
            foreach (var reply in replies)
            {
                queue.Enqueue(reply);
            }
        }
    }

    private DownstreamReply? Dequeue(Queue<DownstreamReply> queue)
    {
        lock (gate)
        {
            return queue.Count > 0 ? queue.Dequeue() : null;
        }
    }
}
