/* checkin.c — check-in validation and fingerprinting. */
#include "checkin.h"

#include "jsonv.h"

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
static void fingerprint(const struct checkin *c, bool coded, const char *name, const char *text,
                        const char *ticket, uint8_t out[SHA256_LEN])
{
    struct sha256 s;
    char ms[24];
    sha256_init(&s);
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
    sha256_final(&s, out);
}

/* The three fingerprints a replay is compared on (see struct checkin); ticket as sent. */
static void checkin_fingerprint(struct checkin *c, const char *ticket)
{
    fingerprint(c, false, c->name, c->consent ? c->text : NULL, ticket, c->hash);
    fingerprint(c, false, c->name, c->text, ticket, c->legacy_hash);
    fingerprint(c, true, NULL, NULL, ticket, c->coded_hash);
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

static int parse_words(const cJSON *obj, struct checkin *c, char *err, size_t cap)
{
    const char *name, *text;
    if (jv_string(obj, "name", JV_NULLABLE, CHECKIN_NAME_MAX, &name, err, cap) < 0 ||
        jv_string(obj, "text", JV_NULLABLE | JV_MULTILINE, CHECKIN_TEXT_MAX, &text, err, cap) < 0)
        return -1;
    if (name && !(c->name = strdup(name)))
        return jv_fail(err, cap, "name", "out of memory");
    if (text && !(c->text = strdup(text)))
        return jv_fail(err, cap, "text", "out of memory");
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
        jv_enum_array(obj, "needs", true, need_lookup, c->needs, CHECKIN_NEEDS_MAX, &c->n_needs,
                      err, cap) < 0 ||
        jv_enum_array(obj, "domains", true, domain_lookup, c->domains, CHECKIN_DOM_MAX,
                      &c->n_domains, err, cap) < 0 ||
        jv_bool(obj, "urgent", true, false, &c->urgent, err, cap) < 0 ||
        jv_bool(obj, "consent", true, false, &c->consent, err, cap) < 0 ||
        parse_words(obj, c, err, cap) < 0 || parse_kiosk_ticket(obj, c, &ticket, err, cap) < 0)
        goto out_release;
    checkin_fingerprint(c, ticket);
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
    } else {
        cJSON_AddStringToObject(o, "error", r->error);
    }
    return o;
}
