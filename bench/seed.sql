-- Fills the store with :count delivered messages (one recipient, two events each) for the REST query benchmark.
-- Run with: psql -v count=1000000 -f bench/seed.sql <connection options>
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE seed_ids ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, now() - make_interval(secs => :count - n) AS at
FROM generate_series(1, :count) AS n;

INSERT INTO messages (id, received_at, client_address, helo_name, reverse_path, size, smtp_utf8,
    message_id_header, subject, from_header, to_header, date_header)
SELECT id, at, '127.0.0.1', 'seed.bench', 'app' || (n % 50) || '@seed.example', 2048, false,
    '<' || n || '@seed.example>', 'Seeded message ' || n, 'app@seed.example', 'user' || n || '@sink.example',
    to_char(at, 'Dy, DD Mon YYYY HH24:MI:SS +0000')
FROM seed_ids;

INSERT INTO message_contents (message_id, data)
SELECT id, convert_to('Subject: Seeded message ' || n || E'\r\n\r\nSeeded.\r\n', 'UTF8') FROM seed_ids;

INSERT INTO recipients (message_id, address, state, attempt_count, next_attempt_at, last_reply_code,
    last_reply_text, delivered_at, updated_at)
SELECT id, 'user' || n || '@sink.example', 'Delivered', 1, at, 250, '2.0.0 Ok', at, at FROM seed_ids;

INSERT INTO events (message_id, kind, at, details)
SELECT id, 'Received', at, 'from 127.0.0.1 (seed.bench), 1 recipient(s)' FROM seed_ids
UNION ALL
SELECT id, 'Delivered', at, 'user' || n || '@sink.example' FROM seed_ids;
COMMIT;
ANALYZE;
