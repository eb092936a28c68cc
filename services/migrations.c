/* migrations.c — the numbered schema migrations of both backends, side by side (see
 * migrations.h), and the runner both apply them with. SQLite holds one hub per file;
 * PostgreSQL databases hold every hub's rows side by side: hub_id is on every table and in
 * every key. A new table is one step at the end of each list. */
#include "migrations.h"

#include <stdio.h>
#include <string.h>

/* SQLite: step i brings the file from schema i to i + 1 */
static const struct migration SQLITE[] = {
    /* 1: the hub, its workers, check-ins, the event log, tickets and tokens */
    {"CREATE TABLE hub (id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL,"
     "  created_at INTEGER NOT NULL);"
     "CREATE TABLE workers (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, name TEXT NOT NULL,"
     "  role TEXT NOT NULL, desk TEXT NOT NULL, domains TEXT NOT NULL, needs TEXT NOT NULL,"
     "  languages TEXT NOT NULL, duty INTEGER NOT NULL, status TEXT NOT NULL);"
     "CREATE TABLE checkins (id TEXT NOT NULL UNIQUE, body_hash BLOB NOT NULL,"
     "  created_at INTEGER NOT NULL, received_at INTEGER NOT NULL, lang TEXT NOT NULL,"
     "  needs TEXT NOT NULL, domains TEXT NOT NULL, urgent INTEGER NOT NULL, worker_id TEXT,"
     "  chosen_by TEXT NOT NULL, name TEXT, text TEXT, consent INTEGER NOT NULL,"
     "  status TEXT NOT NULL, ticket TEXT NOT NULL, position INTEGER NOT NULL,"
     "  wait_min INTEGER NOT NULL, introduced_at INTEGER);"
     "CREATE INDEX checkins_waiting ON checkins(status, worker_id, urgent, created_at);"
     "CREATE INDEX checkins_personal ON checkins(received_at)"
     "  WHERE name IS NOT NULL OR text IS NOT NULL;"
     "CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,"
     "  checkin_id TEXT, worker_id TEXT, detail TEXT, note TEXT);"
     "CREATE INDEX events_kind_at ON events(kind, at);"
     "CREATE INDEX events_checkin ON events(checkin_id, kind);"
     "CREATE INDEX events_worker ON events(kind, worker_id, at);"
     "CREATE TABLE ticket_days (day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
     "CREATE TABLE tokens (hash BLOB PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL,"
     "  created_at INTEGER NOT NULL);"},
    /* 2: waiting counts per worker ('' for reception), kept by triggers, so a check-in's
     * position costs one lookup however long the lines grow */
    {"CREATE TABLE queue_counts (worker TEXT PRIMARY KEY, waiting INTEGER NOT NULL,"
     "  urgent INTEGER NOT NULL);"
     "INSERT INTO queue_counts (worker, waiting, urgent)"
     "  SELECT coalesce(worker_id, ''), count(*), sum(urgent) FROM checkins"
     "  WHERE status = 'waiting' GROUP BY 1;"
     "CREATE TRIGGER checkins_queue_ins AFTER INSERT ON checkins WHEN NEW.status = 'waiting'"
     " BEGIN"
     "  INSERT INTO queue_counts (worker, waiting, urgent)"
     "  VALUES (coalesce(NEW.worker_id, ''), 1, NEW.urgent) ON CONFLICT(worker)"
     "  DO UPDATE SET waiting = waiting + 1, urgent = urgent + excluded.urgent;"
     " END;"
     "CREATE TRIGGER checkins_queue_upd AFTER UPDATE OF status, worker_id ON checkins"
     " BEGIN"
     "  UPDATE queue_counts SET waiting = waiting - 1, urgent = urgent - OLD.urgent"
     "  WHERE OLD.status = 'waiting' AND worker = coalesce(OLD.worker_id, '');"
     "  INSERT INTO queue_counts (worker, waiting, urgent)"
     "  SELECT coalesce(NEW.worker_id, ''), 1, NEW.urgent WHERE NEW.status = 'waiting'"
     "  ON CONFLICT(worker) DO UPDATE SET waiting = waiting + 1,"
     "  urgent = urgent + excluded.urgent;"
     " END;"},
    /* 3: a worker token belongs to one worker (NULL: older tokens, or other roles) */
    {"ALTER TABLE tokens ADD COLUMN worker_id TEXT;"},
    /* 4: the ticket the kiosk showed the resident (NULL: none sent, or an older check-in) */
    {"ALTER TABLE checkins ADD COLUMN kiosk_ticket TEXT;"},
    /* 5: who did it (a token's name) on every event; /health's probe row; the board in the
     * order hubd received check-ins */
    {"ALTER TABLE events ADD COLUMN actor TEXT;"
     "CREATE TABLE health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);"
     "CREATE INDEX checkins_line ON checkins(status, worker_id, urgent, received_at);"},
    /* 6: the coded fields' fingerprint, which replaces body_hash when the purge erases the
     * name and words (older rows: NULL, their body_hash is then erased too) */
    {"ALTER TABLE checkins ADD COLUMN coded_hash BLOB;"},
    /* 7: the end of the journey: who left (reception, or closed at the day's end), the
     * worker's coded outcome, and residents' anonymous feedback at the kiosk */
    {"ALTER TABLE checkins ADD COLUMN left_at INTEGER;"
     "ALTER TABLE checkins ADD COLUMN left_by TEXT;"
     "ALTER TABLE checkins ADD COLUMN outcome TEXT;"
     "ALTER TABLE checkins ADD COLUMN follow_up INTEGER;"
     "ALTER TABLE checkins ADD COLUMN outcome_at INTEGER;"
     "CREATE INDEX checkins_seen ON checkins(introduced_at) WHERE status = 'introduced';"
     "CREATE TABLE feedback (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL,"
     "  received_at INTEGER NOT NULL, lang TEXT NOT NULL, answer TEXT NOT NULL);"
     "CREATE INDEX feedback_created ON feedback(created_at);"},
    /* 8: the board in its own order (urgent first, then as received), whole and per worker,
     * so a page and a position are index walks, not sorts */
    {"DROP INDEX IF EXISTS checkins_line;"
     "CREATE INDEX checkins_board ON checkins(status, urgent DESC, received_at);"
     "CREATE INDEX checkins_worker_line ON checkins(status, worker_id, urgent DESC, received_at);"},
    /* 9: one ticket per resident. ticket is now the kiosk's own when hubd adopted it;
     * ticket_why says why hubd issued its own instead (NULL: adopted); a kiosk token's code
     * (the "A" of H-A07); tickets looked up for a clash within the day; reports by when hubd
     * received a check-in */
    {"ALTER TABLE checkins ADD COLUMN ticket_why TEXT;"
     "ALTER TABLE tokens ADD COLUMN code TEXT;"
     "CREATE INDEX checkins_ticket ON checkins(ticket, received_at);"
     "CREATE INDEX checkins_received ON checkins(received_at);"},
    /* 10: what hubd could not keep as sent (a comma-joined list of proto/checkin.h's flag
     * names, e.g. "worker_unknown,name_cut"; NULL: all kept), and each worker's desk in Welsh */
    {"ALTER TABLE checkins ADD COLUMN flags TEXT;"
     "ALTER TABLE workers ADD COLUMN desk_cy TEXT;"},
    /* 11: what each kiosk last told of itself (check-ins still to send, set aside) and when
     * hubd last heard from it, per kiosk token's name */
    {"CREATE TABLE kiosks (name TEXT PRIMARY KEY, code TEXT, pending INTEGER,"
     "  set_aside INTEGER, reported_at INTEGER, last_seen INTEGER NOT NULL);"},
};

/* PostgreSQL: step i brings the database from schema i to i + 1 */
static const struct migration PG[] = {
    /* 1: hubs, their workers, check-ins, the event log, tickets, tokens, feedback and the
     * health probe; the board's orders (whole and per worker) as indexes */
    {"CREATE TABLE hubs (id text PRIMARY KEY, name text NOT NULL, timezone text NOT NULL,"
     "  created_at bigint NOT NULL);"
     "CREATE TABLE workers (hub_id text NOT NULL REFERENCES hubs (id), id text NOT NULL,"
     "  ord int NOT NULL, name text NOT NULL, role text NOT NULL, desk text NOT NULL,"
     "  domains text NOT NULL, needs text NOT NULL, languages text NOT NULL,"
     "  duty int NOT NULL, status text NOT NULL, PRIMARY KEY (hub_id, id));"
     "CREATE TABLE checkins (hub_id text NOT NULL, id text NOT NULL, seq bigserial,"
     "  body_hash text NOT NULL, coded_hash text, created_at bigint NOT NULL,"
     "  received_at bigint NOT NULL, lang text NOT NULL, needs text NOT NULL,"
     "  domains text NOT NULL, urgent int NOT NULL, worker_id text,"
     "  chosen_by text NOT NULL, name text, text text, consent int NOT NULL,"
     "  status text NOT NULL, ticket text NOT NULL, kiosk_ticket text,"
     "  position int NOT NULL, wait_min int NOT NULL, introduced_at bigint,"
     "  left_at bigint, left_by text, outcome text, follow_up int, outcome_at bigint,"
     "  PRIMARY KEY (hub_id, id));"
     "CREATE INDEX checkins_board ON checkins (hub_id, status, urgent DESC, received_at,"
     "  seq);"
     "CREATE INDEX checkins_worker_line ON checkins (hub_id, status, worker_id,"
     "  urgent DESC, received_at, seq);"
     "CREATE INDEX checkins_seen ON checkins (hub_id, introduced_at)"
     "  WHERE status = 'introduced';"
     "CREATE INDEX checkins_personal ON checkins (hub_id, received_at)"
     "  WHERE name IS NOT NULL OR text IS NOT NULL;"
     "CREATE TABLE events (seq bigserial PRIMARY KEY, hub_id text NOT NULL,"
     "  at bigint NOT NULL, kind text NOT NULL, checkin_id text, worker_id text,"
     "  detail text, note text, actor text);"
     "CREATE INDEX events_kind_at ON events (hub_id, kind, at);"
     "CREATE INDEX events_checkin ON events (hub_id, checkin_id, kind);"
     "CREATE INDEX events_worker ON events (hub_id, kind, worker_id, at);"
     "CREATE INDEX events_hub_seq ON events (hub_id, seq);"
     "CREATE TABLE ticket_days (hub_id text NOT NULL, day text NOT NULL,"
     "  last bigint NOT NULL, PRIMARY KEY (hub_id, day));"
     "CREATE TABLE tokens (hash text PRIMARY KEY, seq bigserial, hub_id text NOT NULL,"
     "  role text NOT NULL, name text NOT NULL, worker_id text,"
     "  created_at bigint NOT NULL);"
     "CREATE INDEX tokens_name ON tokens (name);"
     "CREATE TABLE feedback (hub_id text NOT NULL, id text NOT NULL, seq bigserial,"
     "  created_at bigint NOT NULL, received_at bigint NOT NULL, lang text NOT NULL,"
     "  answer text NOT NULL, PRIMARY KEY (hub_id, id));"
     "CREATE INDEX feedback_created ON feedback (hub_id, created_at);"
     "CREATE INDEX feedback_hub_seq ON feedback (hub_id, seq);"
     "CREATE TABLE health_probe (id int PRIMARY KEY, at bigint NOT NULL);"},
    /* 2: one ticket per resident: ticket is the kiosk's when adopted, ticket_why says why
     * hubd issued its own (NULL: adopted); a kiosk token's code (the A of H-A07); tickets
     * looked up for a clash within the day; reports by when hubd received a check-in */
    {"ALTER TABLE checkins ADD COLUMN ticket_why text;"
     "ALTER TABLE tokens ADD COLUMN code text;"
     "CREATE INDEX checkins_ticket ON checkins (hub_id, ticket, received_at);"
     "CREATE INDEX checkins_received ON checkins (hub_id, received_at, seq);"},
    /* 3: what hubd could not keep as sent (a comma-joined list of proto/checkin.h's flag
     * names; NULL: all kept), and each worker's desk in Welsh */
    {"ALTER TABLE checkins ADD COLUMN flags text;"
     "ALTER TABLE workers ADD COLUMN desk_cy text;"},
    /* 4: what each kiosk last told of itself (check-ins still to send, set aside) and when
     * hubd last heard from it, per kiosk token's name */
    {"CREATE TABLE kiosks (hub_id text NOT NULL, name text NOT NULL, code text,"
     "  pending int, set_aside int, reported_at bigint, last_seen bigint NOT NULL,"
     "  PRIMARY KEY (hub_id, name));"},
    /* 5: one ticket per resident per hub per day: the hub's local day a check-in was received
     * on, unique with its ticket (rows from before have no day and are not held to it).
     * Steps 5 and 6 may run again over their own work and leave the same. */
    {"ALTER TABLE checkins ADD COLUMN IF NOT EXISTS day text;"
     "CREATE UNIQUE INDEX IF NOT EXISTS checkins_day_ticket ON checkins (hub_id, day, ticket);"},
    /* 6: how many wait in each line (worker '' is reception's), kept by the database as
     * check-ins come, change line or leave it, so that storing a check-in reads its line's
     * length instead of counting the line */
    {"CREATE TABLE IF NOT EXISTS line_counts (hub_id text NOT NULL, worker_id text NOT NULL,"
     "  waiting bigint NOT NULL, urgent bigint NOT NULL, PRIMARY KEY (hub_id, worker_id));"
     "DELETE FROM line_counts;"
     "INSERT INTO line_counts SELECT hub_id, coalesce(worker_id, ''), count(*),"
     "  sum(urgent) FROM checkins WHERE status = 'waiting' GROUP BY 1, 2;"
     "CREATE OR REPLACE FUNCTION line_counts_add(d jsonb) RETURNS void LANGUAGE sql AS $f$"
     " INSERT INTO line_counts AS l (hub_id, worker_id, waiting, urgent)"
     "  SELECT h, w, sum(n), sum(u) FROM jsonb_to_recordset(d) AS x (h text, w text,"
     "  n bigint, u bigint) GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(u) <> 0 ORDER BY 1, 2"
     " ON CONFLICT (hub_id, worker_id) DO UPDATE"
     "  SET waiting = l.waiting + excluded.waiting, urgent = l.urgent + excluded.urgent"
     " $f$;"
     "CREATE OR REPLACE FUNCTION line_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $f$"
     " DECLARE d jsonb;"
     " BEGIN"
     "  IF TG_OP = 'INSERT' THEN"
     "   SELECT jsonb_agg(jsonb_build_object('h', hub_id, 'w', coalesce(worker_id, ''),"
     "    'n', 1, 'u', urgent)) INTO d FROM new_rows WHERE status = 'waiting';"
     "  ELSIF TG_OP = 'UPDATE' THEN"
     "   SELECT jsonb_agg(x) INTO d FROM (SELECT jsonb_build_object('h', hub_id, 'w',"
     "    coalesce(worker_id, ''), 'n', 1, 'u', urgent) AS x FROM new_rows"
     "    WHERE status = 'waiting' UNION ALL SELECT jsonb_build_object('h', hub_id, 'w',"
     "    coalesce(worker_id, ''), 'n', -1, 'u', -urgent) FROM old_rows"
     "    WHERE status = 'waiting') y;"
     "  ELSE"
     "   SELECT jsonb_agg(jsonb_build_object('h', hub_id, 'w', coalesce(worker_id, ''),"
     "    'n', -1, 'u', -urgent)) INTO d FROM old_rows WHERE status = 'waiting';"
     "  END IF;"
     "  IF d IS NOT NULL THEN PERFORM line_counts_add(d); END IF;"
     "  RETURN NULL;"
     " END $f$;"
     "DROP TRIGGER IF EXISTS line_counts_ins ON checkins;"
     "DROP TRIGGER IF EXISTS line_counts_upd ON checkins;"
     "DROP TRIGGER IF EXISTS line_counts_del ON checkins;"
     "CREATE TRIGGER line_counts_ins AFTER INSERT ON checkins REFERENCING NEW TABLE AS"
     "  new_rows FOR EACH STATEMENT EXECUTE FUNCTION line_counts_apply();"
     "CREATE TRIGGER line_counts_upd AFTER UPDATE ON checkins REFERENCING OLD TABLE AS"
     "  old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
     "  EXECUTE FUNCTION line_counts_apply();"
     "CREATE TRIGGER line_counts_del AFTER DELETE ON checkins REFERENCING OLD TABLE AS"
     "  old_rows FOR EACH STATEMENT EXECUTE FUNCTION line_counts_apply();"},
};

const struct migration *migrations(enum migration_kind kind, size_t *n)
{
    if (kind == MIGRATION_PG) {
        *n = sizeof(PG) / sizeof(PG[0]);
        return PG;
    }
    *n = sizeof(SQLITE) / sizeof(SQLITE[0]);
    return SQLITE;
}

/* Per backend: the statement that begins a step's transaction with the schema locked (other
 * hubd starting on the same database wait there), and the schema's version read inside it.
 * An older SQLite file has no schema_version rows yet: its PRAGMA user_version counts. */
static const char *const LOCK[] = {
    [MIGRATION_SQLITE] = "BEGIN IMMEDIATE",
    [MIGRATION_PG] = "BEGIN; SELECT pg_advisory_xact_lock(7714)",
};
static const char *const VERSION[] = {
    [MIGRATION_SQLITE] = "SELECT coalesce((SELECT max(version) FROM schema_version),"
                         " (SELECT user_version FROM pragma_user_version), 0)",
    [MIGRATION_PG] = "SELECT coalesce(max(version), 0) FROM schema_version",
};

/* Bytes of an error message's first line, 160 at most. */
static int line_len(const char *m)
{
    size_t n = strcspn(m, "\n");
    return n > 160 ? 160 : (int)n;
}

int migrations_run(const struct migration_conn *c, enum migration_kind kind, char *err, size_t cap)
{
    size_t n = 0;
    const struct migration *steps = migrations(kind, &n);
    const char *m;
    for (;;) {
        long version = 0;
        if (c->exec(c->db, LOCK[kind]) < 0)
            goto out_fail;
        if (c->exec(c->db, "CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)") <
                0 ||
            c->query_long(c->db, VERSION[kind], &version) < 0)
            goto out_rollback;
        if (version < 0 || (size_t)version > n) {
            snprintf(err, cap, "database schema %ld is newer than this hubd (%zu)", version, n);
            c->exec(c->db, "ROLLBACK");
            return -1;
        }
        if ((size_t)version == n)
            return c->exec(c->db, "COMMIT") == 0 ? 0 : -1;
        char bump[128];
        if (kind == MIGRATION_SQLITE) /* an older hubd reads user_version: it refuses newer */
            snprintf(bump, sizeof(bump),
                     "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%ld);"
                     " PRAGMA user_version = %ld",
                     version + 1, version + 1);
        else
            snprintf(bump, sizeof(bump),
                     "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%ld)",
                     version + 1);
        if (c->exec(c->db, steps[version].sql) < 0 || c->exec(c->db, bump) < 0 ||
            c->exec(c->db, "COMMIT") < 0) {
            m = c->errmsg(c->db);
            snprintf(err, cap, "migration %ld failed: %.*s", version + 1, line_len(m), m);
            c->exec(c->db, "ROLLBACK");
            return -1;
        }
    }
out_rollback:
    m = c->errmsg(c->db);
    snprintf(err, cap, "cannot read the schema version: %.*s", line_len(m), m);
    c->exec(c->db, "ROLLBACK");
    return -1;
out_fail:
    m = c->errmsg(c->db);
    snprintf(err, cap, "cannot lock the schema: %.*s", line_len(m), m);
    return -1;
}
