using System.Globalization;
using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>Merges a message's events and delivery attempts into one list, oldest first.</summary>
public static class Timeline
{
    public static IReadOnlyList<TimelineEntry> Build(
        IEnumerable<MessageEvent> events,
        IEnumerable<Recipient> recipients)
    {
        var addresses = recipients.ToDictionary(r => r.Id, r => r.Address);
        var entries = events.Select(e => new TimelineEntry(
            e.At,
            e.Kind.ToString(),
            e.RecipientId is { } id ? addresses.GetValueOrDefault(id) : null,
            e.Actor is null ? e.Details : $"{e.Details} ({e.Actor})",
            ToneOf(e.Kind)));
        var attempts = recipients.SelectMany(r => r.Attempts.Select(a => new TimelineEntry(
                a.StartedAt,
                $"Attempt: {a.Outcome}",
                r.Address,
                Describe(a),
                ToneOf(a.Outcome))));

        // Attempts start before the event they cause, so time alone orders them; ties keep events first.
        return [.. entries.Concat(attempts).OrderBy(e => e.At)];
    }

    public static string Describe(DeliveryAttempt attempt)
    {
        var reply = attempt.ReplyCode is { } code
            ? string.Join(' ', new[] { code.ToString(CultureInfo.InvariantCulture), attempt.EnhancedCode,
                attempt.ReplyText }.Where(s => !string.IsNullOrEmpty(s)))
            : attempt.ReplyText ?? "no reply";
        var duration = attempt.DurationMs.ToString("0", CultureInfo.InvariantCulture);
        return $"{reply} (via {attempt.NextHop}, {duration} ms)";
    }

    private static string ToneOf(EventKind kind) => kind switch
    {
        EventKind.Delivered => "good",
        EventKind.Failed or EventKind.Bounced => "bad",
        EventKind.Deferred or EventKind.Held or EventKind.Cancelled => "warn",
        _ => "neutral",
    };

    private static string ToneOf(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Delivered => "good",
        AttemptOutcome.Failed => "bad",
        _ => "warn",
    };
}
