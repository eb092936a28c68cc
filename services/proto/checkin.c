/* checkin.c — the check-in codec: decoding with validation, flags and fingerprint (hubd),
 * encoding (the kiosk), and the answer both ways. */
#include "proto/checkin.h"

#include "proto/jsonv.h"
#include "proto/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hash_field(struct sha256 *s, const char *key, const char *val)
{
    uint8_t present = val != NULL;
    sha256_update(s, key, strlen(key) + 1);
    sha256_update(s, &present, 1);
    if (val)
        sha256_update(s, val, strlen(val) + 1);
}

static void hash_list(struct sha256 *s, const char *key, const char *const *v, size_t n)
{
    sha256_update(s, key, strlen(key) + 1);
    for (size_t i = 0; i < n; i++)
        sha256_update(s, v[i], strlen(v[i]) + 1);
    sha256_update(s, "]", 2);
}

/* A fingerprint covers the meaning of the body, not its spelling: key order, whitespace,
 * UUID case and the "Z"/"+00:00" spelling of UTC do not change it. coded: the coded fields
 * alone (no name, no words), in a domain of its own; else with name and text as given. */
static int fingerprint(const struct checkin *c, bool coded, const char *name, const char *text,
                       const char *ticket, uint8_t out[SHA256_LEN])
{
    struct sha256 s;
    char ms[24];
    if (sha256_init(&s) < 0)
        return -1;
    if (coded)
        hash_field(&s, "coded", "1");
    hash_field(&s, "id", c->id);
    snprintf(ms, sizeof(ms), "%lld", (long long)c->created_ms);
    hash_field(&s, "created_at", ms);
    hash_field(&s, "lang", c->lang);
    hash_list(&s, "needs", c->needs, c->n_needs);
    hash_list(&s, "domains", c->domains, c->n_domains);
    hash_field(&s, "urgent", c->urgent ? "true" : "false");
    hash_field(&s, "worker_id", c->has_worker ? c->worker_id : NULL);
    hash_field(&s, "chosen_by", c->chosen_by);
    if (!coded) {
        hash_field(&s, "name", name);
        hash_field(&s, "text", text);
    }
    hash_field(&s, "consent", c->consent ? "true" : "false");
    /* Only when sent: a check-in without it keeps the fingerprint it had before the field
     * existed, so an older kiosk's replay of a stored check-in is still the same one. */
    if (ticket)
        hash_field(&s, "kiosk_ticket", ticket);
    /* Likewise only when something was not kept as sent. */
    char flags[128];
    if (c->flags && checkin_flags_join(c->flags, flags, sizeof(flags)) == 0)
        hash_field(&s, "flags", flags);
    return sha256_final(&s, out);
}

/* The three fingerprints a replay is compared on (see struct checkin). */
static int checkin_fingerprint(struct checkin *c, const char *ticket)
{
    if (fingerprint(c, false, c->name, c->consent ? c->text : NULL, ticket, c->hash) < 0 ||
        fingerprint(c, false, c->name, c->text, ticket, c->legacy_hash) < 0 ||
        fingerprint(c, true, NULL, NULL, ticket, c->coded_hash) < 0)
        return -1;
    return 0;
}

static int parse_ids(const cJSON *obj, struct checkin *c, char *err, size_t cap)
{
    const char *s;
    if (jv_string(obj, "id", JV_REQUIRED, UUID_LEN, &s, err, cap) < 0)
        return -1;
    if (!uuid_v4_parse(s, c->id))
        return jv_fail(err, cap, "id", "must be a UUID v4");
    if (jv_string(obj, "created_at", JV_REQUIRED, 40, &s, err, cap) < 0)
        return -1;
    if (rfc3339_parse(s, &c->created_ms) < 0)
        return jv_fail(err, cap, "created_at", "must be an RFC 3339 UTC time");
    if (jv_string(obj, "lang", JV_REQUIRED, sizeof(c->lang) - 1, &s, err, cap) < 0)
        return -1;
    if (!lang_valid(s))
        return jv_fail(err, cap, "lang", "must be a language code such as \"en\"");
    memcpy(c->lang, s, strlen(s) + 1);
    if (jv_string(obj, "worker_id", JV_NULLABLE, IDENT_MAX, &s, err, cap) < 0)
        return -1;
    if (s && !ident_valid(s))
        return jv_fail(err, cap, "worker_id", "invalid worker id");
    c->has_worker = s != NULL;
    if (s)
        memcpy(c->worker_id, s, strlen(s) + 1);
    if (jv_string(obj, "chosen_by", JV_REQUIRED, 16, &s, err, cap) < 0)
        return -1;
    c->chosen_by = chosen_by_lookup(s);
    if (!c->chosen_by)
        return jv_fail(err, cap, "chosen_by", "must be router, resident or reception");
    return 0;
}

/* A copy of the words at key, cut at a character boundary to the cap (flagged). */
static int parse_words_field(const cJSON *obj, const char *key, int flags, size_t max_chars,
                             size_t max_bytes, unsigned cut_flag, char **out, struct checkin *c,
                             char *err, size_t cap)
{
    const char *s;
    if (jv_string(obj, key, JV_NULLABLE | flags, LIMIT_WORDS_READ_BYTES, &s, err, cap) < 0)
        return -1;
    if (!s)
        return 0;
    size_t len = strlen(s), keep = utf8_cut(s, len, max_chars, max_bytes);
    if (keep < len)
        c->flags |= cut_flag;
    if (!(*out = strndup(s, keep)))
        return jv_fail(err, cap, key, "out of memory");
    return 0;
}

static int parse_words(const cJSON *obj, struct checkin *c, char *err, size_t cap)
{
    if (parse_words_field(obj, "name", 0, LIMIT_NAME_CHARS, LIMIT_NAME_BYTES, CHECKIN_NAME_CUT,
                          &c->name, c, err, cap) < 0 ||
        parse_words_field(obj, "text", JV_MULTILINE, LIMIT_TEXT_CHARS, LIMIT_TEXT_BYTES,
                          CHECKIN_TEXT_CUT, &c->text, c, err, cap) < 0)
        return -1;
    return 0;
}

/* Reads a required array of strings; each known one (lookup) is kept once, in order, up to
 * max; the rest are dropped and flagged. Wrong types are malformed (-1). */
static int parse_known_list(const cJSON *obj, const char *key, jv_lookup_fn lookup,
                            const char **out, size_t max, size_t *n, struct checkin *c, char *err,
                            size_t cap)
{
    const cJSON *it;
    size_t i = 0;
    *n = 0;
    err[0] = '\0';
    const cJSON *arr = jv_array(obj, key, true, err, cap);
    if (!arr)
        return -1;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || !it->valuestring) {
            char k[80];
            snprintf(k, sizeof(k), "%s[%zu]", key, i);
            return jv_fail(err, cap, k, "must be a string");
        }
        i++;
        const char *known = lookup(it->valuestring);
        bool seen = false;
        for (size_t j = 0; known && j < *n; j++)
            seen |= out[j] == known;
        if (seen)
            continue;
        if (!known || *n == max) {
            c->flags |= CHECKIN_NEED_DROPPED;
            continue;
        }
        out[(*n)++] = known;
    }
    return 0;
}

/* The ticket the kiosk issued ("ticket"; an older kiosk's "kiosk_ticket"), as sent into
 * *sent (NULL: absent or null). Only a non-string is refused: a ticket hubd cannot adopt is
 * replaced by one of its own when stored, never a reason to turn the resident away. */
static int parse_kiosk_ticket(const cJSON *obj, struct checkin *c, const char **sent, char *err,
                              size_t cap)
{
    const char *key = cJSON_HasObjectItem(obj, "ticket") ? "ticket" : "kiosk_ticket";
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, key);
    *sent = NULL;
    if (!t || cJSON_IsNull(t))
        return 0;
    if (!cJSON_IsString(t))
        return jv_fail(err, cap, key, "must be a string");
    *sent = t->valuestring;
    c->ticket_sent = true;
    if (kiosk_ticket_valid(t->valuestring, KIOSK_TICKET_MAX))
        memcpy(c->kiosk_ticket, t->valuestring, strlen(t->valuestring) + 1);
    return 0;
}

int checkin_parse(const cJSON *obj, struct checkin *c, char *err, size_t cap)
{
    const char *ticket = NULL;
    memset(c, 0, sizeof(*c));
    if (!cJSON_IsObject(obj))
        return jv_fail(err, cap, "checkin", "must be a JSON object");
    if (parse_ids(obj, c, err, cap) < 0 ||
        parse_known_list(obj, "needs", need_lookup, c->needs, CHECKIN_NEEDS_MAX, &c->n_needs, c,
                         err, cap) < 0 ||
        parse_known_list(obj, "domains", domain_lookup, c->domains, CHECKIN_DOM_MAX, &c->n_domains,
                         c, err, cap) < 0 ||
        jv_bool(obj, "urgent", true, false, &c->urgent, err, cap) < 0 ||
        jv_bool(obj, "consent", true, false, &c->consent, err, cap) < 0 ||
        parse_words(obj, c, err, cap) < 0 || parse_kiosk_ticket(obj, c, &ticket, err, cap) < 0)
        goto out_release;
    if (checkin_fingerprint(c, ticket) < 0) {
        jv_fail(err, cap, "checkin", "out of memory");
        goto out_release;
    }
    if (!c->consent && c->text) {
        /* Without consent the resident's own words are never kept. */
        free(c->text);
        c->text = NULL;
    }
    return 0;
out_release:
    checkin_release(c);
    return -1;
}

void checkin_release(struct checkin *c)
{
    free(c->name);
    free(c->text);
    c->name = NULL;
    c->text = NULL;
}

const char *checkin_ticket_refusal(const struct checkin *c)
{
    char code[TICKET_CODE_MAX + 1];
    if (!c->ticket_sent)
        return TICKET_WHY_NONE;
    if (ticket_parse(c->kiosk_ticket, code, NULL) < 0 || !code[0])
        return TICKET_WHY_MALFORMED;
    if (c->kiosk_code && c->kiosk_code[0] && strcmp(code, c->kiosk_code) != 0)
        return TICKET_WHY_CODE;
    return NULL;
}

const char *ticket_why_lookup(const char *s)
{
    static const char *const all[] = {TICKET_WHY_NONE, TICKET_WHY_MALFORMED, TICKET_WHY_CLASH,
                                      TICKET_WHY_CODE};
    for (size_t i = 0; s && i < sizeof(all) / sizeof(all[0]); i++)
        if (strcmp(s, all[i]) == 0)
            return all[i];
    return NULL;
}

int checkin_own_ticket(const struct checkin *c, long n, char *out, size_t cap)
{
    char letter = ticket_letter(c->n_domains ? c->domains[0] : NULL);
    return n >= 1 ? ticket_format(letter, NULL, (n - 1) % TICKET_NUM_MAX + 1, out, cap) : -1;
}

cJSON *checkin_result_json(const char *id, const struct checkin_result *r, bool with_status)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (with_status)
        cJSON_AddNumberToObject(o, "status", r->status);
    cJSON_AddStringToObject(o, "id", id);
    if (r->status == 200 || r->status == 201) {
        cJSON_AddStringToObject(o, "ticket", r->ticket);
        cJSON_AddStringToObject(o, "ticket_from", r->ticket_why ? "hubd" : "kiosk");
        if (r->ticket_why)
            cJSON_AddStringToObject(o, "ticket_why", r->ticket_why);
        cJSON_AddNumberToObject(o, "position", r->position);
        cJSON_AddNumberToObject(o, "estimated_wait_min", r->wait_min);
        checkin_flags_add(o, r->flags);
    } else {
        cJSON_AddStringToObject(o, "error", r->error);
    }
    return o;
}

static const char *const FLAG_NAMES[CHECKIN_FLAG_COUNT] = {"worker_unknown", "name_cut", "text_cut",
                                                           "need_dropped"};

const char *checkin_flag_name(unsigned bit)
{
    for (int i = 0; i < CHECKIN_FLAG_COUNT; i++)
        if (bit == 1u << i)
            return FLAG_NAMES[i];
    return NULL;
}

unsigned checkin_flag_parse(const char *name)
{
    for (int i = 0; name && i < CHECKIN_FLAG_COUNT; i++)
        if (strcmp(name, FLAG_NAMES[i]) == 0)
            return 1u << i;
    return 0;
}

int checkin_flags_join(unsigned flags, char *out, size_t cap)
{
    const char *names[CHECKIN_FLAG_COUNT];
    size_t n = 0;
    for (int i = 0; i < CHECKIN_FLAG_COUNT; i++)
        if (flags & (1u << i))
            names[n++] = FLAG_NAMES[i];
    return jv_join(names, n, out, cap);
}

unsigned checkin_flags_split(const char *joined)
{
    unsigned flags = 0;
    for (const char *p = joined; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[32];
        if (n < sizeof(name)) {
            memcpy(name, p, n);
            name[n] = '\0';
            flags |= checkin_flag_parse(name);
        }
        p = e ? e + 1 : NULL;
    }
    return flags;
}

int checkin_flags_add(cJSON *o, unsigned flags)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "flags");
    if (!arr)
        return -1;
    for (int i = 0; i < CHECKIN_FLAG_COUNT; i++)
        if ((flags & (1u << i)) && !cJSON_AddItemToArray(arr, cJSON_CreateString(FLAG_NAMES[i])))
            return -1;
    return 0;
}

char *checkin_to_json(const struct checkin *c)
{
    char at[40];
    rfc3339_format(c->created_ms, at, sizeof(at));
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "created_at", at);
    cJSON_AddStringToObject(o, "lang", c->lang[0] ? c->lang : "en");
    cJSON *needs = cJSON_AddArrayToObject(o, "needs");
    for (size_t i = 0; needs && i < c->n_needs; i++)
        cJSON_AddItemToArray(needs, cJSON_CreateString(c->needs[i]));
    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    for (size_t i = 0; doms && i < c->n_domains; i++)
        cJSON_AddItemToArray(doms, cJSON_CreateString(c->domains[i]));
    cJSON_AddBoolToObject(o, "urgent", c->urgent);
    if (c->has_worker)
        cJSON_AddStringToObject(o, "worker_id", c->worker_id);
    else
        cJSON_AddNullToObject(o, "worker_id");
    cJSON_AddStringToObject(o, "chosen_by", c->chosen_by ? c->chosen_by : "router");
    if (c->name)
        cJSON_AddStringToObject(o, "name", c->name);
    if (c->consent && c->text)
        cJSON_AddStringToObject(o, "text", c->text);
    cJSON_AddBoolToObject(o, "consent", c->consent);
    if (c->kiosk_ticket[0])
        cJSON_AddStringToObject(o, "ticket", c->kiosk_ticket);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int checkin_result_parse(const cJSON *item, char id[UUID_LEN + 1], struct checkin_result *r)
{
    const cJSON *jid = cJSON_GetObjectItemCaseSensitive(item, "id");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(item, "status");
    memset(r, 0, sizeof(*r));
    if (!cJSON_IsString(jid) || !cJSON_IsNumber(st) || !uuid_v4_parse(jid->valuestring, id))
        return -1;
    r->status = st->valueint;
    const cJSON *tk = cJSON_GetObjectItemCaseSensitive(item, "ticket");
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(item, "position");
    const cJSON *wait = cJSON_GetObjectItemCaseSensitive(item, "estimated_wait_min");
    const cJSON *flags = cJSON_GetObjectItemCaseSensitive(item, "flags");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(item, "error");
    const cJSON *f;
    snprintf(r->ticket, sizeof(r->ticket), "%s", cJSON_IsString(tk) ? tk->valuestring : "");
    r->position = cJSON_IsNumber(pos) ? pos->valueint : -1; /* unknown, never "next" */
    r->wait_min = cJSON_IsNumber(wait) ? wait->valueint : -1;
    const cJSON *list = cJSON_IsArray(flags) ? flags : NULL;
    cJSON_ArrayForEach(f, list)
    {
        if (cJSON_IsString(f))
            r->flags |= checkin_flag_parse(f->valuestring);
    }
    snprintf(r->error, sizeof(r->error), "%s", cJSON_IsString(e) ? e->valuestring : "");
    return 0;
}
