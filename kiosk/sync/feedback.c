/* feedback.c — residents' answers on the way out: kept in the local store's feedback table,
 * sent one POST /api/v1/feedback each, forgotten once hubd has them. */
#include "feedback.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "sync_int.h"

#define SEND_MAX 20 /* answers sent in one round; more wait for the next */

static const char *const ANSWERS[] = {"yes", "partly", "no"};

bool feedback_answer_valid(const char *answer)
{
    for (size_t i = 0; answer && i < sizeof(ANSWERS) / sizeof(ANSWERS[0]); i++)
        if (strcmp(answer, ANSWERS[i]) == 0)
            return true;
    return false;
}

/* A language tag as hubd takes it: 2 or 3 lower-case letters. */
static bool lang_ok(const char *lang)
{
    size_t n = lang ? strlen(lang) : 0;
    return (n == 2 || n == 3) && strspn(lang, "abcdefghijklmnopqrstuvwxyz") == n;
}

/* The DESIGN body {id, created_at, lang, got_what_came_for}; malloc'd, or NULL. */
static char *feedback_json(const char *id, int64_t hour_ms, const char *lang, const char *answer)
{
    char at[STORE_TIME_LEN];
    store_utc(hour_ms, at);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "created_at", at);
    cJSON_AddStringToObject(o, "lang", lang);
    cJSON_AddStringToObject(o, "got_what_came_for", answer);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int store_feedback_add(struct store *s, const char *lang, const char *answer, int64_t now_ms,
                       char id[STORE_ID_LEN])
{
    char fresh[STORE_ID_LEN];
    if (!s || !feedback_answer_valid(answer) || !lang_ok(lang) || store_uuid4(fresh) < 0)
        return -1;
    int64_t hour = now_ms - now_ms % FEEDBACK_GRAIN_MS; /* no finer, here either */
    char *body = feedback_json(fresh, hour, lang, answer);
    if (!body)
        return -1;
    int rc = store_write_row(s, "INSERT INTO feedback(id, created_ms, body) VALUES (?1, ?2, ?3)",
                             fresh, hour, body);
    free(body);
    if (rc != 1)
        return -1;
    if (id)
        memcpy(id, fresh, sizeof(fresh));
    return 0;
}

int store_feedback_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies)
{
    return store_id_bodies(s, "SELECT id, body FROM feedback ORDER BY created_ms, rowid LIMIT ?1",
                           max, ids, bodies);
}

int store_feedback_count(struct store *s)
{
    int n = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = store_prep(s, "SELECT count(*) FROM feedback");
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    return n;
}

int store_feedback_done(struct store *s, const char *id)
{
    return store_write_row(s, "DELETE FROM feedback WHERE id = ?1", id, 0, NULL) < 0 ? -1 : 0;
}

/* Sends one answer. 1 when settled (hubd has it, or refused it for good), 0 to retry. */
static int send_one(struct sync *s, struct store *store, const char *id, const char *body)
{
    struct sync_resp b;
    long st = sync_request(s, "/api/v1/feedback", body, NULL, &b);
    int settled = 0;
    if (st == 200 || st == 201) {
        settled = 1;
    } else if (st == 400 || st == 409 || st == 413 || st == 422) {
        /* it will never be taken as it is: kept no longer, and said */
        fprintf(stderr,
                "kiosk: sync: an answer on the way out refused by hubd (HTTP %ld): %.200s\n", st,
                b.body.p ? b.body.p : "");
        settled = 1;
    } else if (st >= 0) {
        fprintf(stderr, "kiosk: sync: POST /feedback: HTTP %ld\n", st);
    }
    buf_free(&b.body);
    if (settled && store_feedback_done(store, id) < 0)
        return 0; /* still in the store: sent again, and counted once */
    return settled;
}

int feedback_send(struct sync *s, struct store *store)
{
    char(*ids)[STORE_ID_LEN] = calloc(SEND_MAX, STORE_ID_LEN);
    char **bodies = calloc(SEND_MAX, sizeof(char *));
    int n = 0, rc = -1;
    if (!ids || !bodies)
        goto out_free;
    n = store_feedback_pending(store, SEND_MAX, ids, bodies);
    if (n <= 0) {
        rc = n == 0 ? 0 : -1;
        goto out_free;
    }
    rc = 1;
    for (int i = 0; i < n && rc > 0; i++)
        if (!send_one(s, store, ids[i], bodies[i]))
            rc = -1; /* hubd is failing: the rest wait for the retry */
out_free:
    for (int i = 0; bodies && i < n; i++)
        free(bodies[i]);
    free(bodies);
    free(ids);
    return rc;
}
