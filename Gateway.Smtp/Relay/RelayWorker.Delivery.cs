using System.Diagnostics;
using Gateway.Core.Domain;
using Gateway.Core.Queue;
using Gateway.Smtp.Relay.Routing;

using Gateway.Smtp.Telemetry;

namespace Gateway.Smtp.Relay;

public sealed partial class RelayWorker
{
    private string HeloName => string.IsNullOrWhiteSpace(_options.HeloName)
        ? smtpOptions.Value.Hostname
        : _options.HeloName;

    private async Task DeliverAsync(
        IReadOnlyList<ClaimedRecipient> claimed,
        string owner,
        CancellationToken stoppingToken)
    {
        // Another loop may be idle while more mail waits: pass the wake-up on.
        _wake.Writer.TryWrite(true);

        var lease = new BatchLease(queue, owner, claimed, _options.LeaseDuration, time);
        var messages = await queue.LoadAsync(claimed.Select(c => c.MessageId), stoppingToken);
        var routes = new Dictionary<string, Destination>(StringComparer.OrdinalIgnoreCase);
        var byDestination = new Dictionary<string, (Destination Destination, List<ClaimedRecipient> Recipients)>();
        foreach (var recipient in claimed.Where(c => messages.ContainsKey(c.MessageId)))
        {
            var domain = NextHopRouter.DomainOf(recipient.Address);
            if (!routes.TryGetValue(domain, out var destination))
            {
                destination = await router.RouteAsync(domain, stoppingToken);
                routes[domain] = destination;
            }

            if (!byDestination.TryGetValue(destination.Key, out var entry))
            {
                entry = (destination, []);
                byDestination[destination.Key] = entry;
            }

            entry.Recipients.Add(recipient);
        }

        foreach (var (destination, recipients) in byDestination.Values)
        {
            // One transaction per message per next hop: group this destination's recipients by message.
            var transactions = recipients.GroupBy(r => r.MessageId)
                .Select(g => new PendingTransaction(messages[g.Key], g.ToList()))
                .ToList();
            if (destination.Failure is not null)
            {
                await RecordUnroutableAsync(owner, destination, transactions, stoppingToken);
                continue;
            }

            using (await _gate.EnterAsync(destination.Key, stoppingToken))
            {
                await DeliverToAsync(destination, transactions, lease, owner, stoppingToken);
            }
        }
    }

    private Task RecordUnroutableAsync(
        string owner,
        Destination destination,
        List<PendingTransaction> transactions,
        CancellationToken cancellationToken)
    {
        var attempt = new Attempt("none", null, time.GetUtcNow(), 0);
        var results = transactions.Select(t => ResultsOf(t, attempt,
            t.Recipients.Select(_ => Verdict.From(destination.Failure!)).ToList())).ToList();
        return RecordAsync(owner, results, cancellationToken);
    }

    // Many messages over one connection; a failed connection, or a 421, defers the rest without another try. The
    // results are recorded behind the sending (ResultRecorder), and all of them before this returns.
    private async Task DeliverToAsync(
        Destination destination,
        List<PendingTransaction> transactions,
        BatchLease lease,
        string owner,
        CancellationToken stoppingToken)
    {
        var connector = new NextHopConnector(_options, HeloName, logger);
        var recorder = new ResultRecorder((results, token) => RecordAsync(owner, results, token), logger);
        SmtpDeliveryClient? client = null;
        NextHopException? connectionFailure = null;
        try
        {
            foreach (var pending in transactions)
            {
                if (lease.IsRenewalDue)
                {
                    // Renewal and a result commit lock the same rows, in different orders: never both at once.
                    await recorder.FlushAsync();
                    await lease.RenewAsync(stoppingToken);
                }

                var transaction = pending with { Recipients = pending.Recipients.Where(lease.Holds).ToList() };
                if (transaction.Recipients.Count == 0)
                {
                    continue;
                }

                var started = time.GetUtcNow();
                var stopwatch = Stopwatch.StartNew();
                if (connectionFailure is not null)
                {
                    await recorder.AddAsync(Deferral(transaction,
                        new Attempt(destination.Hops[0].ToString(), null, started, 0), connectionFailure));
                    continue;
                }

                using var activity = AttemptActivity.Start(transaction.Message.Id, transaction.Recipients.Count,
                    destination.Hops[0].ToString());
                TransactionResults results;
                try
                {
                    if (client is null)
                    {
                        client = await _idle.TakeAsync(destination.Key, stoppingToken);
                        if (client is null)
                        {
                            client = await connector.ConnectAsync(destination, stoppingToken);
                            metrics.ConnectionOpened();
                        }
                    }

                    var envelope = OutboundEnvelope.For(transaction.Message, transaction.Recipients);
                    var replies = await client.SendAsync(envelope, transaction.Message.Content, stoppingToken);
                    var attempt = new Attempt(client.NextHop.ToString(), client.TlsProtocol, started,
                        stopwatch.Elapsed.TotalMilliseconds)
                    {
                        DsnPassedOn = client.SupportsDsn,
                    };
                    results = ResultsOf(transaction, attempt, replies.Select(Verdict.From).ToList());
                    if (client.IsBroken)
                    {
                        await client.DisposeAsync();
                        metrics.ConnectionClosed();
                        client = null;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException ||
                                           !stoppingToken.IsCancellationRequested)
                {
                    // Refused connection, timeout, 421, or an error of ours: the recipients wait for a later try
                    // rather than sitting out their lease.
                    var attempt = new Attempt(client?.NextHop.ToString() ?? destination.Hops[0].ToString(),
                        client?.TlsProtocol, started, stopwatch.Elapsed.TotalMilliseconds);
                    var failure = ex as NextHopException ?? new NextHopException(ex.Message, ex);
                    if (failure.Reply?.Code == 421 || (client is null && ex is NextHopException))
                    {
                        // RFC 5321 §3.8: after 421 the next hop takes nothing more on this connection for now.
                        connectionFailure = failure;
                    }

                    results = Deferral(transaction, attempt, failure);
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                        metrics.ConnectionClosed();
                        client = null;
                    }
                }

                AttemptActivity.Finish(activity, results.Results);
                await recorder.AddAsync(results);
            }
        }
        finally
        {
            // Whatever ended the loop (done, shutdown, an error), what was delivered is recorded before leaving.
            await recorder.FlushAsync();
            if (client is not null)
            {
                // Kept for the next round's mail to this destination, or closed (QUIT) when it cannot be.
                await _idle.ReturnAsync(destination.Key, client);
            }
        }
    }

    private TransactionResults Deferral(PendingTransaction transaction, Attempt attempt, NextHopException failure)
    {
        // A broken connection is never a permanent failure of the recipients, whatever reply ended it.
        var verdict = new Verdict(AttemptOutcome.Deferred, failure.Reply?.Code, failure.Reply?.EnhancedCode,
            failure.Reply?.Text ?? failure.Message);
        return ResultsOf(transaction, attempt, transaction.Recipients.Select(_ => verdict).ToList());
    }
}
