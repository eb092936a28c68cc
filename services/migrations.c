/* migrations.c — the numbered schema migrations (see migrations.h). PostgreSQL databases
 * start with every hub's rows side by side: hub_id is on every table and in every key. */
#include "migrations.h"

static const struct migration MIGRATIONS[] = {
    /* 1: hubs, their workers, check-ins, the event log, tickets, tokens, feedback and the
     * health probe; the board's orders (whole and per worker) as indexes */
    {.pg = "CREATE TABLE hubs (id text PRIMARY KEY, name text NOT NULL, timezone text NOT NULL,"
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
    {.pg = "ALTER TABLE checkins ADD COLUMN ticket_why text;"
           "ALTER TABLE tokens ADD COLUMN code text;"
           "CREATE INDEX checkins_ticket ON checkins (hub_id, ticket, received_at);"
           "CREATE INDEX checkins_received ON checkins (hub_id, received_at, seq);"},
    /* 3: what hubd could not keep as sent (a comma-joined list of proto/checkin.h's flag
     * names; NULL: all kept), and each worker's desk in Welsh */
    {.pg = "ALTER TABLE checkins ADD COLUMN flags text;"
           "ALTER TABLE workers ADD COLUMN desk_cy text;"},
};

const struct migration *migrations(size_t *n)
{
    *n = sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0]);
    return MIGRATIONS;
}
