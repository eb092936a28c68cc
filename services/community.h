/* community.h — the hub's public figures (GET /community): per calendar month, what
 * neighbours came in about (by main domain and by plain-words topic), how it went (the
 * workers' coded outcomes and residents' own feedback), who left before being seen, and what
 * the hub could not help with. Aggregate only: a count under COMMUNITY_MIN is withheld
 * (null), and so is a second count of a group whose total is shown, so that no withheld
 * count can be worked out by subtraction; no names, words, workers or times finer than a
 * month. Pure: rows come in through report_row_fn / feedback_row_fn. */
#ifndef HUBD_COMMUNITY_H
#define HUBD_COMMUNITY_H

#include "store.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define COMMUNITY_MIN        5  /* a smaller count is withheld */
#define COMMUNITY_MONTHS_MAX 36 /* months one answer may cover */

/* Months are numbered year * 12 + (month - 1). */
static inline int community_month(int year, int month)
{
    return year * 12 + month - 1;
}

/* The local calendar month (community_month) holding ms, in the process's time zone. */
int community_month_of(int64_t ms);

struct community;

/* Empty figures for n months (1..COMMUNITY_MONTHS_MAX) from first. NULL on a bad n or no
 * memory. Free with community_free(). */
struct community *community_new(int first, size_t n);
void community_free(struct community *c);

/* Adds one arrival (a report_row_fn; ctx is the struct community). Arrivals outside the
 * months are ignored. Returns 0. */
int community_add(const struct report_row *row, void *ctx);
/* Adds one resident's feedback (a feedback_row_fn). Returns 0. */
int community_feedback_add(int64_t created_ms, const char *lang, const char *answer, void *ctx);

/* The figures as JSON ({min_count, from, to, months: [...]}); NULL on allocation failure. */
cJSON *community_json(const struct community *c);
/* The same figures as CSV ("month,figure,key,value"; a withheld value is empty); malloc'd,
 * NULL on allocation failure. */
char *community_csv(const struct community *c);

/* True when need id is urgent in assets/needs.json: such needs are only ever counted
 * together, as the topic "urgent". */
bool community_need_urgent(const char *id);

#endif
