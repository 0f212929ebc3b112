/**
 * The Postgres event store's schema. Idempotent: every statement may run again on an
 * up-to-date database (`PostgresEventStore.ensureSchema()` runs it through `applySchemaOnce`:
 * once per version, under an advisory lock, so several processes starting at once do not race on
 * CREATE, and a restart of an up-to-date service takes no table lock).
 */

/** NOTIFY channel; the payload is the committed append's notice (subscription/append-notice.ts). */
export const EVENTS_CHANNEL = 'chronicle_events';

/** Custom SQLSTATE raised by chronicle_append on a failed expectation. */
export const WRONG_EXPECTED_VERSION_SQLSTATE = 'CHWEV';

/** Custom SQLSTATE raised by chronicle_append on an append to a deleted (tombstoned) stream. */
export const STREAM_DELETED_SQLSTATE = 'CHSDL';

/*
 * Why readers never see a smaller position appear after a larger one
 * ------------------------------------------------------------------
 * A plain sequence hands out positions at insert time, but transactions commit in any order:
 * T1 takes 10, T2 takes 11, T2 commits, a reader sees 11 and checkpoints it, then T1 commits
 * and 10 appears behind the reader's checkpoint, lost forever.
 *
 * chronicle_append takes one transaction-scoped advisory lock (APPEND_LOCK_KEY) right before it
 * allocates positions, after every validation (stream row locks, expected revisions), and keeps
 * it until its transaction ends. So between two appends that both commit, the one that got the
 * lock first also allocated lower positions and committed first. Postgres makes a committing
 * transaction visible (ProcArrayEndTransaction) before it releases its locks, so when the next
 * appender obtains the lock, the previous one is already visible to every new snapshot. Hence
 * any snapshot that contains position p contains every committed position below p, and a reader
 * that resumes "after p" misses nothing. Rolled-back appends leave holes in the numbering;
 * holes are allowed (positions increase but need not be contiguous), reordering is not.
 *
 * nextval/setval are used only under that lock, so one append's positions are consecutive and
 * increase in batch order. The cost: appends to different streams are serialised from position
 * allocation to commit (a short critical section: one INSERT, the NOTIFY, the commit).
 *
 * Deadlocks: stream rows are locked in stream-id order, and the global lock is taken last,
 * after which an append waits for no other lock.
 */
export const APPEND_LOCK_KEY = 4_242_010_001;

export const SCHEMA_SQL = `
CREATE SEQUENCE IF NOT EXISTS events_position_seq AS bigint START 1;

CREATE TABLE IF NOT EXISTS events (
  position    bigint      NOT NULL,
  stream_id   text        NOT NULL,
  revision    bigint      NOT NULL,
  event_id    uuid        NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (position),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
);

CREATE INDEX IF NOT EXISTS events_type_position_idx ON events (type, position);

-- One row per stream: the row lock is the per-stream write lock of chronicle_append.
CREATE TABLE IF NOT EXISTS streams (
  stream_id text   NOT NULL,
  revision  bigint NOT NULL,
  CONSTRAINT streams_pkey PRIMARY KEY (stream_id)
);

-- deleteStream keeps the row as a tombstone (its events are gone): chronicle_append refuses it,
-- so a redelivered command or a retried creation cannot bring a purged stream back.
ALTER TABLE streams ADD COLUMN IF NOT EXISTS deleted boolean NOT NULL DEFAULT false;

-- Appends a batch [{ "s": streamId, "e": expected, "ev": [{ id, type, data, metadata }] }] in
-- one call (one round trip, one transaction); "e" is 'no_stream' | 'any' | 'stream_exists' |
-- a decimal revision. Returns each entry's last revision and last position, and (the same on
-- every row) the head of the log it saw under the append lock (the last committed position
-- before its first, null on an empty log) and its recorded_at: with them, the appending process
-- hands its own events to its subscriptions without reading them back (subscription/appended-events.ts).
-- p_writer (any text naming the appending store, or null) goes into the notice as "w", so that
-- a store knows its own appends' notices.
CREATE OR REPLACE FUNCTION chronicle_append(p_batch jsonb, p_writer text)
RETURNS TABLE (entry_index integer, entry_revision bigint, entry_position bigint, entry_head bigint, entry_recorded_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_head     bigint;
  v_stream   text;
  v_current  bigint;
  v_deleted  boolean;
  v_revs     jsonb := '{}'::jsonb;
  v_entry    jsonb;
  v_index    integer := 0;
  v_count    integer;
  v_ok       boolean;
  v_starts   bigint[] := '{}';
  v_ends     bigint[] := '{}';
  v_offsets  bigint[] := '{}';
  v_total    bigint := 0;
  v_first    bigint;
  v_notice   text;
BEGIN
  -- 1. Lock every stream of the batch, in stream-id order. -1 means "no stream".
  FOR v_stream IN SELECT DISTINCT b->>'s' FROM jsonb_array_elements(p_batch) AS b ORDER BY 1 LOOP
    SELECT s.revision, s.deleted INTO v_current, v_deleted FROM streams s WHERE s.stream_id = v_stream FOR UPDATE;
    IF NOT FOUND THEN
      -- Claims the new stream; a concurrent creator makes this wait, then do nothing.
      INSERT INTO streams (stream_id, revision) VALUES (v_stream, -1) ON CONFLICT (stream_id) DO NOTHING;
      IF FOUND THEN
        v_current := -1;
        v_deleted := false;
      ELSE
        SELECT s.revision, s.deleted INTO STRICT v_current, v_deleted FROM streams s WHERE s.stream_id = v_stream FOR UPDATE;
      END IF;
    END IF;
    IF v_deleted THEN
      RAISE EXCEPTION 'stream % is deleted', v_stream USING ERRCODE = '${STREAM_DELETED_SQLSTATE}', DETAIL = v_stream;
    END IF;
    v_revs := v_revs || jsonb_build_object(v_stream, v_current);
  END LOOP;

  -- 2. Check the expectations in batch order against the locked revisions.
  FOR v_entry IN SELECT b.value FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS b(value, ord) ORDER BY b.ord LOOP
    v_stream := v_entry->>'s';
    v_current := (v_revs->>v_stream)::bigint;
    v_count := jsonb_array_length(v_entry->'ev');
    v_ok := CASE v_entry->>'e'
      WHEN 'any' THEN true
      WHEN 'no_stream' THEN v_current = -1
      WHEN 'stream_exists' THEN v_current >= 0
      ELSE v_current = (v_entry->>'e')::bigint
    END;
    IF NOT v_ok THEN
      RAISE EXCEPTION 'wrong expected version on stream %', v_stream
        USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v_index::text, HINT = v_current::text;
    END IF;
    v_starts := v_starts || (v_current + 1);
    v_current := v_current + v_count;
    v_revs := jsonb_set(v_revs, ARRAY[v_stream], to_jsonb(v_current));
    v_total := v_total + v_count;
    v_ends := v_ends || v_current;
    v_offsets := v_offsets || v_total;
    v_index := v_index + 1;
  END LOOP;

  UPDATE streams s SET revision = (v_revs->>s.stream_id)::bigint
  WHERE s.stream_id IN (SELECT jsonb_object_keys(v_revs));

  -- 3. As late as possible: the global lock that makes commit order equal position order.
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_KEY});
  -- Under the lock, in a statement of its own (a fresh snapshot): every earlier append has
  -- committed and is visible, and no later one has allocated. An index-only look at one row.
  -- Only for a writer that hands its appends over (p_writer named): the one-argument form skips it.
  IF p_writer IS NOT NULL THEN
    SELECT max(position) INTO v_head FROM events;
  END IF;
  v_first := nextval('events_position_seq');
  IF v_total > 1 THEN
    PERFORM setval('events_position_seq', v_first + v_total - 1);
  END IF;

  INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
  -- Positions from the offsets (no window sort: it would carry every whole entry).
  SELECT v_first + coalesce(v_offsets[b.ord - 1], 0) + e.ord - 1,
         b.value->>'s',
         v_starts[b.ord] + e.ord - 1,
         (e.value->>'id')::uuid,
         e.value->>'type',
         e.value->'data',
         e.value->'metadata'
  FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS b(value, ord)
  CROSS JOIN LATERAL jsonb_array_elements(b.value->'ev') WITH ORDINALITY AS e(value, ord);

  -- Delivered to listeners only after commit. The notice (subscription/append-notice.ts) names the
  -- append's stream categories and event types, so that a subscription that wants none of them
  -- does not read the log for it; the bare position when that would not fit a NOTIFY (8000 bytes).
  -- "w" only when a writer is named: the one-argument form's notice is what it was before.
  v_notice := json_strip_nulls(json_build_object(
    'p', (v_first + v_total - 1)::text,
    's', (SELECT json_agg(DISTINCT CASE WHEN strpos(b->>'s', '-') > 0 THEN left(b->>'s', strpos(b->>'s', '-')) ELSE b->>'s' END)
          FROM jsonb_array_elements(p_batch) AS b),
    't', (SELECT json_agg(DISTINCT e->>'type') FROM jsonb_array_elements(p_batch) AS b CROSS JOIN LATERAL jsonb_array_elements(b->'ev') AS e),
    'w', p_writer))::text;
  IF octet_length(v_notice) > 7900 THEN
    v_notice := (v_first + v_total - 1)::text;
  END IF;
  PERFORM pg_notify('${EVENTS_CHANNEL}', v_notice);

  RETURN QUERY
    SELECT (i - 1)::integer, v_ends[i], v_first + v_offsets[i] - 1, v_head, now()
    FROM generate_subscripts(v_ends, 1) AS i ORDER BY i;
END
$fn$;

-- The one-argument form, for writers of an earlier version during a rolling upgrade (its notice has no "w").
CREATE OR REPLACE FUNCTION chronicle_append(p_batch jsonb)
RETURNS TABLE (entry_index integer, entry_revision bigint, entry_position bigint)
LANGUAGE sql AS $fn$
  SELECT a.entry_index, a.entry_revision, a.entry_position FROM chronicle_append(p_batch, NULL::text) AS a
$fn$;
`;
