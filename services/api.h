/* api.h — the REST handlers of /api/v1 (DESIGN.md), called by http.c's router once the
 * route, method, role, content type and body size have been checked. */
#ifndef HUBD_API_H
#define HUBD_API_H

#include "http.h"
#include "jsondoc.h"

struct report;

enum MHD_Result api_health(struct req *r);
enum MHD_Result api_me(struct req *r);
enum MHD_Result api_directory(struct req *r);
enum MHD_Result api_checkins_post(struct req *r);
enum MHD_Result api_checkins_get(struct req *r);
enum MHD_Result api_handover(struct req *r);
enum MHD_Result api_reassign(struct req *r);
enum MHD_Result api_worker_patch(struct req *r);
enum MHD_Result api_report(struct req *r);
/* True when by= (a comma list) names hub; then api_report_hubs answers (api_report_hub.c):
 * every hub of the database for a county manager's token without ?hub=, else the one hub. */
bool report_by_hub(const char *by);
enum MHD_Result api_report_hubs(struct req *r, int64_t from_ms, int64_t to_ms, int64_t first_day,
                                size_t n_days, bool csv);
/* One hub's demand report over the range (the day's end closed first): the caller frees it
 * with report_free; NULL when storage failed or out of memory. */
struct report *report_for_hub(struct hub_ctx *hub, int64_t from_ms, int64_t to_ms,
                              int64_t first_day, size_t n_days);
/* api_outcomes.c: left (and its undo), call next, the outcome, feedback, who was seen */
enum MHD_Result api_left(struct req *r);
enum MHD_Result api_left_undo(struct req *r);
enum MHD_Result api_next(struct req *r);
enum MHD_Result api_outcome(struct req *r);
enum MHD_Result api_feedback(struct req *r);
/* GET /checkins?status=introduced: today's introduced residents (a worker: their own). */
enum MHD_Result api_seen(struct req *r);
/* api_community.c: the public figures (JSON or CSV) and the public page */
enum MHD_Result api_community(struct req *r);
enum MHD_Result api_community_page(struct req *r);

/* api_taxonomy.c: GET /taxonomy, and the document it serves: root's assets/needs.json with
 * every need's and domain's label per language of root/locales. NULL with err on a missing
 * file, a need without a label in some language, or no memory. */
enum MHD_Result api_taxonomy(struct req *r);
struct jsondoc *taxonomy_doc_load(const char *root, char *err, size_t cap);
/* api_openapi.c: GET /openapi.json, and its document: root's services/openapi.json. NULL with
 * err when it cannot be read or is not an OpenAPI document. */
enum MHD_Result api_openapi(struct req *r);
struct jsondoc *openapi_doc_load(const char *root, char *err, size_t cap);

/* api_kiosks.c: POST /kiosks/status (a kiosk's own counts) and GET /kiosks (the hub's
 * kiosks for reception); both publish the `kiosk` event when a kiosk's counts change. */
enum MHD_Result api_kiosk_status(struct req *r);
enum MHD_Result api_kiosks(struct req *r);
/* Counts a kiosk token's request as a sign of life: its last_seen written at most once every
 * 30 s per kiosk (a write that fails is tried at the next request; the request goes on).
 * Nothing for other roles, nor for POST /kiosks/status, which writes it itself. */
void api_kiosk_seen(struct req *r);

/* api_events.c: GET /events, the live board as Server-Sent Events */
enum MHD_Result api_events(struct req *r);

/* For a worker token: 0 when it may act for worker id (NULL: its own list, any worker's id
 * is fine then), else -1 with a 403 queued in *ret. Other roles always 0. */
int api_worker_scope(struct req *r, const char *id, enum MHD_Result *ret);

/* Frees what a POST /checkins left in r (items, results). */
void api_req_release(struct req *r);

/* Serves GET/HEAD of a static file under h->web_root for url ("/" is index.html). */
enum MHD_Result web_serve(struct req *r, const char *url);

#endif
