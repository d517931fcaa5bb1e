using Gateway.Core.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Core.Ingest;

/// <summary>
/// The inserts that store a group of messages: one statement per table for the whole group, over arrays, plus one
/// per message for its content (which is passed as it is, never copied into an array). So a group commit of n
/// messages costs PostgreSQL n + 4 statements rather than 5n.
/// </summary>
internal static class IngestCommands
{
    public static void Add(NpgsqlBatch batch, IReadOnlyList<IncomingMessage> messages)
    {
        var headers = messages.Select(m => HeadlineHeaders.Parse(m.Content)).ToList();
        batch.BatchCommands.Add(Messages(messages, headers));
        foreach (var message in messages)
        {
            batch.BatchCommands.Add(Content(message));
        }

        batch.BatchCommands.Add(TraceHeaders(messages, headers));
        batch.BatchCommands.Add(Recipients(messages));
        batch.BatchCommands.Add(SqlValues.Batch(
            """
            INSERT INTO events (message_id, kind, at, actor, details)
            SELECT e.message_id, 'Received', e.at, e.actor, e.details
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY
                AS e(message_id, at, actor, details, position)
            ORDER BY e.position
            """,
            messages.Select(m => m.Id).ToArray(),
            messages.Select(m => m.ReceivedAt).ToArray(),
            messages.Select(m => m.AuthenticatedUser).ToArray(),
            messages.Select(m => $"from {m.ClientAddress} ({m.HeloName}), {m.Recipients.Count} recipient(s)")
                .ToArray()));
    }

    private static NpgsqlBatchCommand Messages(IReadOnlyList<IncomingMessage> messages, List<HeadlineHeaders> headers)
    {
        return SqlValues.Batch(
            """
            INSERT INTO messages (id, received_at, client_address, helo_name, authenticated_user, tls_protocol,
                tls_cipher, reverse_path, size, body_type, smtp_utf8, message_id_header, subject, from_header,
                to_header, date_header, dsn_return, dsn_envelope_id, has_long_lines)
            SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                $7::text[], $8::text[], $9::bigint[], $10::text[], $11::boolean[], $12::text[], $13::text[],
                $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::boolean[])
            """,
            messages.Select(m => m.Id).ToArray(),
            messages.Select(m => m.ReceivedAt).ToArray(),
            messages.Select(m => m.ClientAddress).ToArray(),
            messages.Select(m => m.HeloName).ToArray(),
            messages.Select(m => m.AuthenticatedUser).ToArray(),
            messages.Select(m => m.TlsProtocol).ToArray(),
            messages.Select(m => m.TlsCipher).ToArray(),
            messages.Select(m => m.ReversePath).ToArray(),
            messages.Select(m => (long)m.Content.Length).ToArray(),
            messages.Select(m => m.BodyType).ToArray(),
            messages.Select(m => m.SmtpUtf8).ToArray(),
            headers.Select(h => h.MessageId).ToArray(),
            headers.Select(h => h.Subject).ToArray(),
            headers.Select(h => h.From).ToArray(),
            headers.Select(h => h.To).ToArray(),
            headers.Select(h => h.Date).ToArray(),
            messages.Select(m => m.DsnReturn).ToArray(),
            messages.Select(m => m.DsnEnvelopeId).ToArray(),
            messages.Select(m => m.HasLongLines).ToArray());
    }

    private static NpgsqlBatchCommand Content(IncomingMessage message)
    {
        var content = new NpgsqlBatchCommand("INSERT INTO message_contents (message_id, data) VALUES ($1, $2)");
        content.Parameters.Add(new NpgsqlParameter { Value = message.Id });
        content.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>
        {
            TypedValue = message.Content,
            NpgsqlDbType = NpgsqlDbType.Bytea,
        });
        return content;
    }

    // Every Received header of every message, in order, numbered from 0 within its message.
    private static NpgsqlBatchCommand TraceHeaders(
        IReadOnlyList<IncomingMessage> messages,
        List<HeadlineHeaders> headers)
    {
        var ids = new List<Guid>();
        var positions = new List<int>();
        var values = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            for (var position = 0; position < headers[i].Received.Count; position++)
            {
                ids.Add(messages[i].Id);
                positions.Add(position);
                values.Add(headers[i].Received[position]);
            }
        }

        return SqlValues.Batch(
            """
            INSERT INTO trace_headers (message_id, position, value)
            SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[])
            """,
            ids.ToArray(), positions.ToArray(), values.ToArray());
    }

    private static NpgsqlBatchCommand Recipients(IReadOnlyList<IncomingMessage> messages)
    {
        var ids = new List<Guid>();
        var receivedAt = new List<DateTimeOffset>();
        var addresses = new List<string>();
        var notify = new List<string?>();
        var originalRecipients = new List<string?>();
        foreach (var message in messages)
        {
            for (var i = 0; i < message.Recipients.Count; i++)
            {
                ids.Add(message.Id);
                receivedAt.Add(message.ReceivedAt);
                addresses.Add(message.Recipients[i]);
                notify.Add(message.RecipientDsn?[i].Notify);
                originalRecipients.Add(message.RecipientDsn?[i].OriginalRecipient);
            }
        }

        // Recipients keep the order they were given in (their ids are assigned in it).
        return SqlValues.Batch(
            """
            INSERT INTO recipients (message_id, address, dsn_notify, dsn_original_recipient, state, attempt_count,
                next_attempt_at, updated_at)
            SELECT r.message_id, r.address, r.notify, r.orcpt, 'Queued', 0, r.received_at, r.received_at
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY
                AS r(message_id, address, notify, orcpt, received_at, position)
            ORDER BY r.position
            """,
            ids.ToArray(), addresses.ToArray(), notify.ToArray(), originalRecipients.ToArray(),
            receivedAt.ToArray());
    }
}
