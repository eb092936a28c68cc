/* test_flow.c — the kiosk's screen flow: every transition, the idle prompt and reset, the wipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "directory.h"
#include "flow.h"
#include "matcher.h"
#include "proto/taxonomy.h"

static struct taxonomy *tax;
static struct hub_dir *dir;
static struct kiosk_checkin last;
static int submits;

/* A router stand-in: a few words mapped to needs, so these tests do not depend on vocabulary. */
static int fake_route(void *ctx, const char *text, size_t len, const char *lang,
                      struct route_result *out)
{
    static const struct {
        const char *word, *need;
    } words[] = {{"landlord", "eviction"},
                 {"rent", "rent_arrears"},
                 {"credit", "universal_credit"},
                 {"tonight", "homeless_tonight"},
                 {"rhent", "rent_arrears"}};
    (void)ctx;
    (void)len;
    memset(out, 0, sizeof(*out));
    snprintf(out->lang, sizeof(out->lang), "%s", lang ? lang : "en");
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (!strstr(text, words[i].word) || out->n_needs >= ROUTE_MAX_NEEDS)
            continue;
        int n = needs_find(tax, words[i].need);
        out->needs[out->n_needs].need = n;
        out->needs[out->n_needs++].score = 0.9f;
        out->urgent |= tax->needs[n].urgent;
    }
    out->unsure = out->n_needs == 0;
    return 0;
}

static int real_match(void *ctx, const struct hub_dir *d, const struct match_request *req,
                      struct match_result *out)
{
    (void)ctx;
    return match_worker(d, req, out);
}

static int real_asks(void *ctx, const struct hub_dir *d, const char *text, size_t len,
                     struct route_asks *out)
{
    (void)ctx;
    return route_asks(NULL, d, text, len, out);
}

static int fake_submit(void *self, const struct kiosk_checkin *c, struct ticket *t)
{
    (void)self;
    last = *c;
    submits++;
    snprintf(t->code, sizeof(t->code), "A%03d", submits);
    t->position = 1;
    t->wait_min = 15;
    return 0;
}

static const struct backend fake_backend = {.submit = fake_submit};

/* A networked backend's shape: its own ticket at once, hubd's position and wait later (or
 * never). */
static struct ticket hub_ticket;
static int hub_answer; /* what poll says: 1 came, 0 not yet, -1 unreachable */
static int polls;

static int later_submit(void *self, const struct kiosk_checkin *c, struct ticket *t)
{
    fake_submit(self, c, t);
    return 1;
}

static int later_poll(void *self, struct ticket *t)
{
    (void)self;
    polls++;
    if (hub_answer == 1)
        *t = hub_ticket;
    return hub_answer;
}

static const struct backend later_backend = {.submit = later_submit, .poll = later_poll};

static int setup(void **state)
{
    char err[256];
    (void)state;
    tax = needs_load("assets/needs.json", err, sizeof(err));
    dir = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    submits = 0;
    memset(&last, 0, sizeof(last));
    return tax && dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    needs_free(tax);
    dir_free(dir);
    return 0;
}

static void start(struct flow *f)
{
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &fake_backend, NULL};
    flow_init(f, NULL, &deps, 0);
    submits = 0;
}

/* Types ASCII on the on-screen keyboard, key by key, as a resident's taps would. */
static void osk_type(struct flow *f, const char *s, int64_t t)
{
    for (; *s; s++) {
        int found = 0;
        if (*s >= 'A' && *s <= 'Z') /* capitals: the shift key first */
            for (int col = 0; col < osk_row_len(&f->osk, 2); col++) {
                struct osk_key_view v;
                osk_key(&f->osk, 2, col, &v);
                if (v.kind == OSK_SHIFT)
                    flow_act(f, ACT_KEY, osk_pack(2, col), t);
            }
        for (int row = 0; row < OSK_ROWS && !found; row++)
            for (int col = 0; col < osk_row_len(&f->osk, row) && !found; col++) {
                struct osk_key_view v;
                osk_key(&f->osk, row, col, &v);
                if ((*s == ' ' && v.kind == OSK_SPACE) ||
                    (v.kind == OSK_CHAR && v.label[0] == *s && !v.label[1])) {
                    flow_act(f, ACT_KEY, osk_pack(row, col), t);
                    found = 1;
                }
            }
        assert_true(found);
    }
}

static void all_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(c[i], 0);
}

/* Goes from welcome to the result screen with typed words, as quickly as a resident can. */
static void to_result(struct flow *f, int64_t t)
{
    flow_act(f, ACT_SET_LANG, 1, t);
    osk_type(f, "my landlord wants me out", t);
    flow_act(f, ACT_NEXT, 0, t);
    flow_act(f, ACT_YES, 0, t);
    flow_act(f, ACT_SKIP, 0, t);
    flow_act(f, ACT_CONSENT_NO, 0, t);
    assert_int_equal(f->screen, SCR_RESULT);
}

static void test_ticket_from_hub(void **state)
{
    struct flow f;
    (void)state;
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &later_backend, NULL};
    flow_init(&f, NULL, &deps, 0);
    submits = 0;
    hub_answer = 0;
    snprintf(hub_ticket.code, sizeof(hub_ticket.code), "H-07"); /* hubd replaced it: rare */
    hub_ticket.position = 0;
    hub_ticket.wait_min = 5;
    to_result(&f, 1);
    assert_true(f.queue_pending); /* the result and the ticket at once, the line to come */
    assert_string_equal(f.ticket.code, "A001");
    unsigned gen = f.gen;
    assert_true(flow_settle_queue(&f, &hub_ticket));
    assert_false(f.queue_pending);
    assert_string_equal(f.ticket.code, "A001"); /* the ticket the resident holds stays */
    assert_int_equal(f.ticket.position, 0);
    assert_int_equal(f.ticket.wait_min, 5);
    assert_true(f.gen != gen);
    assert_false(flow_settle_queue(&f, &hub_ticket)); /* settled once only */

    flow_act(&f, ACT_FINISH, 0, 2);
    flow_reset(&f, 3);
    to_result(&f, 4); /* hubd never answered: the ticket stands, the line is not known */
    assert_true(f.queue_pending);
    f.ticket.position = f.ticket.wait_min = -1; /* as the kiosk's backend gives them */
    assert_true(flow_settle_queue(&f, NULL));
    assert_false(f.queue_pending);
    assert_string_equal(f.ticket.code, "A002");
    assert_int_equal(f.ticket.position, -1);
    assert_int_equal(f.ticket.wait_min, -1);

    flow_act(&f, ACT_FINISH, 0, 5);
    flow_reset(&f, 6);
    to_result(&f, 7); /* the resident leaves before it settles: nothing is left pending */
    assert_true(f.queue_pending);
    flow_act(&f, ACT_FINISH, 0, 8);
    assert_false(f.queue_pending);
    assert_false(flow_settle_queue(&f, &hub_ticket));
    all_zero(&f.ticket, sizeof(f.ticket));
}

static void staff_start(struct flow *f, const char *pin)
{
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &fake_backend, NULL};
    struct flow_config cfg;
    flow_config_default(&cfg);
    snprintf(cfg.staff_pin, sizeof(cfg.staff_pin), "%s", pin);
    flow_init(f, &cfg, &deps, 0);
}

static void pin(struct flow *f, const char *digits, int64_t t)
{
    for (const char *p = digits; *p; p++)
        flow_act(f, ACT_PIN, *p - '0', t);
    flow_act(f, ACT_PIN_OK, 0, t);
}

static void test_staff_pin(void **state)
{
    struct flow f;
    (void)state;
    staff_start(&f, "");
    assert_false(flow_act(&f, ACT_STAFF, 0, 1)); /* no PIN set: no staff screen */
    assert_int_equal(f.screen, SCR_WELCOME);

    staff_start(&f, "4826");
    flow_act(&f, ACT_BEGIN, 0, 1);
    assert_false(flow_act(&f, ACT_STAFF, 0, 2)); /* only from the welcome screen */
    flow_reset(&f, 3);
    assert_true(flow_act(&f, ACT_STAFF, 0, 4));
    assert_int_equal(f.screen, SCR_STAFF_PIN);
    flow_act(&f, ACT_PIN, 4, 5);
    flow_act(&f, ACT_PIN, 8, 5);
    assert_false(flow_act(&f, ACT_PIN_OK, 0, 5)); /* too short to try */
    flow_act(&f, ACT_PIN_DELETE, 0, 5);
    assert_string_equal(f.pin, "4");
    assert_true(flow_type(&f, "826", 6)); /* a keyboard's digits work too */
    assert_true(flow_act(&f, ACT_ENTER, 0, 7));
    assert_int_equal(f.screen, SCR_STAFF);
    all_zero(f.pin, sizeof(f.pin)); /* the PIN is not kept */
    assert_true(flow_act(&f, ACT_SYNC_NOW, 0, 8));
    assert_true(flow_take_sync_now(&f));
    assert_false(flow_take_sync_now(&f));
    assert_true(flow_act(&f, ACT_FINISH, 0, 9));
    assert_int_equal(f.screen, SCR_WELCOME);

    /* wrong PINs: said so, then the pad locks, even against the right PIN, for a while */
    flow_act(&f, ACT_STAFF, 0, 10);
    pin(&f, "48261", 11); /* the right digits and one more is wrong */
    assert_int_equal(f.screen, SCR_STAFF_PIN);
    assert_true(f.pin_wrong);
    flow_act(&f, ACT_BACK, 0, 12); /* leaving does not forget the wrong tries */
    flow_act(&f, ACT_STAFF, 0, 13);
    for (int i = 1; i < FLOW_PIN_TRIES; i++)
        pin(&f, "0000", 14);
    assert_false(flow_act(&f, ACT_PIN, 4, 15));
    pin(&f, "4826", 16);
    assert_int_equal(f.screen, SCR_STAFF_PIN);
    int64_t later = 16 + FLOW_PIN_LOCK_MS;
    pin(&f, "4826", later);
    assert_int_equal(f.screen, SCR_STAFF);
    assert_int_equal(f.pin_fails, 0);

    /* idle on the staff screen goes back to welcome like any other */
    assert_true(flow_tick(&f, later + f.cfg.idle_ms));
    assert_true(flow_tick(&f, later + f.cfg.idle_ms + f.cfg.idle_grace_ms));
    assert_int_equal(f.screen, SCR_WELCOME);
}

static void test_staff_alert(void **state)
{
    struct flow f;
    (void)state;
    staff_start(&f, "4826");
    struct flow_status st = {.known = true, .online = true, .store_durable = true};
    assert_false(flow_staff_alert(&f)); /* nothing known yet */
    flow_set_status(&f, &st);
    assert_false(flow_staff_alert(&f));
    st.online = false;
    st.pending = 3;
    st.offline_s = FLOW_ALERT_OFFLINE_S - 1;
    assert_false(flow_set_status(&f, &st)); /* a short outage: nothing to tell yet */
    assert_false(flow_staff_alert(&f));
    unsigned gen = f.gen;
    st.offline_s = FLOW_ALERT_OFFLINE_S;
    assert_true(flow_set_status(&f, &st)); /* check-ins waiting too long: the notice shows */
    assert_true(flow_staff_alert(&f));
    assert_true(f.gen != gen);
    st.offline_s++;
    assert_false(flow_set_status(&f, &st)); /* the same notice: welcome does not redraw */
    st.pending = 4;
    assert_true(flow_set_status(&f, &st)); /* its count does */
    st.pending = 0;
    st.online = true;
    assert_true(flow_set_status(&f, &st));
    assert_false(flow_staff_alert(&f));
    st.set_aside = 1; /* one hubd would not take, online or not: staff are told at once */
    assert_true(flow_set_status(&f, &st));
    assert_true(flow_staff_alert(&f));
    st.set_aside = 2;
    assert_true(flow_set_status(&f, &st)); /* its count redraws the notice */
    st.set_aside = 0;
    assert_true(flow_set_status(&f, &st));
    assert_false(flow_staff_alert(&f));
    st.store_durable = false; /* the disk fails: always told */
    assert_true(flow_set_status(&f, &st));
    assert_true(flow_staff_alert(&f));
    flow_act(&f, ACT_BEGIN, 0, 1); /* a resident's screens never change for it */
    st.since_contact_s = 7;
    assert_false(flow_set_status(&f, &st));
}

static void test_welcome(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    assert_int_equal(f.screen, SCR_WELCOME);
    assert_string_equal(f.lang, "cy"); /* Welsh first in Wales */
    assert_false(flow_act(&f, ACT_NEXT, 0, 10));
    assert_true(flow_act(&f, ACT_BEGIN, 0, 10));
    assert_int_equal(f.screen, SCR_TELL);
    assert_string_equal(f.lang, "cy");
    flow_reset(&f, 20);
    assert_true(flow_act(&f, ACT_SET_LANG, 1, 30));
    assert_int_equal(f.screen, SCR_TELL);
    assert_string_equal(f.lang, "en");
    assert_true(flow_act(&f, ACT_TOGGLE_LANG, 0, 40));
    assert_string_equal(f.lang, "cy");
    assert_false(flow_act(&f, ACT_SET_LANG, 7, 50));
    /* typing on a physical keyboard at the welcome screen starts */
    flow_reset(&f, 60);
    assert_true(flow_type(&f, "r", 70));
    assert_int_equal(f.screen, SCR_TELL);
    assert_string_equal(f.text, "r");
}

static void test_text_journey(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_SET_LANG, 1, 0);
    assert_false(flow_act(&f, ACT_NEXT, 0, 1)); /* nothing typed: Next does nothing */
    osk_type(&f, "my landlord wants me out", 2);
    assert_string_equal(f.text, "my landlord wants me out");
    assert_int_equal(f.route.n_needs, 1);
    assert_true(flow_act(&f, ACT_NEXT, 0, 3));
    assert_int_equal(f.screen, SCR_CHECK);
    assert_int_equal(f.n_sel, 1);
    assert_true(flow_act(&f, ACT_CHANGE, 0, 4));
    assert_int_equal(f.screen, SCR_TELL);
    assert_string_equal(f.text, "my landlord wants me out"); /* kept for changing */
    flow_act(&f, ACT_ENTER, 0, 5);
    assert_int_equal(f.screen, SCR_CHECK);
    flow_act(&f, ACT_YES, 0, 6);
    assert_int_equal(f.screen, SCR_NAME);
    osk_type(&f, "Megan", 7);
    assert_string_equal(f.name, "Megan");
    flow_act(&f, ACT_BACK, 0, 8);
    assert_int_equal(f.screen, SCR_CHECK);
    flow_act(&f, ACT_YES, 0, 9);
    flow_act(&f, ACT_NEXT, 0, 10);
    assert_int_equal(f.screen, SCR_CONSENT);
    flow_act(&f, ACT_BACK, 0, 11);
    assert_int_equal(f.screen, SCR_NAME);
    flow_act(&f, ACT_NEXT, 0, 12);
    flow_act(&f, ACT_CONSENT_YES, 0, 13);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_int_equal(submits, 1);
    assert_true(last.consent);
    assert_string_equal(last.text, "my landlord wants me out");
    assert_string_equal(last.name, "Megan");
    assert_string_equal(last.needs[0], "eviction");
    assert_int_equal(last.chosen_by, CHOSEN_ROUTER);
    assert_true(f.match.worker >= 0);
    assert_true(dir->workers[f.match.worker].domain_mask & (1u << DOMAIN_HOUSING));
    assert_string_equal(f.ticket.code, "A001");
    assert_true(flow_act(&f, ACT_FINISH, 0, 14));
    assert_int_equal(f.screen, SCR_DONE);
    all_zero(f.text, sizeof(f.text));
    all_zero(f.name, sizeof(f.name));
    assert_false(flow_tick(&f, 14 + f.cfg.done_ms - 1));
    assert_true(flow_tick(&f, 14 + f.cfg.done_ms));
    assert_int_equal(f.screen, SCR_WELCOME);
}

static void test_no_consent_sends_no_words(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    flow_type(&f, "behind on rent", 1);
    flow_act(&f, ACT_NEXT, 0, 2);
    flow_act(&f, ACT_YES, 0, 3);
    flow_act(&f, ACT_SKIP, 0, 4);
    assert_int_equal(f.screen, SCR_CONSENT);
    flow_act(&f, ACT_CONSENT_NO, 0, 5);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_false(last.consent);
    assert_string_equal(last.text, "");
    assert_string_equal(last.needs[0], "rent_arrears");
    assert_string_equal(last.lang, "cy");
}

static void test_chips(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    flow_type(&f, "landlord and rent", 1);
    assert_int_equal(f.route.n_needs, 2);
    int rent = needs_find(tax, "rent_arrears");
    assert_true(flow_act(&f, ACT_CHIP, rent, 2));
    assert_true(f.need_off[rent]);
    flow_act(&f, ACT_NEXT, 0, 3);
    assert_int_equal(f.n_sel, 1);
    assert_int_equal(f.sel[0], needs_find(tax, "eviction"));
    flow_act(&f, ACT_CHANGE, 0, 4);
    flow_act(&f, ACT_CHIP, rent, 5);
    flow_act(&f, ACT_NEXT, 0, 6);
    assert_int_equal(f.n_sel, 2);
    /* every chip taken off and nothing urgent: choose a topic instead */
    flow_act(&f, ACT_CHANGE, 0, 7);
    flow_act(&f, ACT_CHIP, rent, 8);
    flow_act(&f, ACT_CHIP, needs_find(tax, "eviction"), 9);
    flow_act(&f, ACT_NEXT, 0, 10);
    assert_int_equal(f.screen, SCR_TOPICS);
    assert_true(f.unsure);
}

static void test_not_understood(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    flow_type(&f, "where are the toilets", 1);
    flow_act(&f, ACT_NEXT, 0, 2);
    assert_int_equal(f.screen, SCR_TOPICS);
    assert_true(f.unsure);
    flow_act(&f, ACT_BACK, 0, 3);
    assert_int_equal(f.screen, SCR_TELL);
}

static void test_urgent(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    flow_type(&f, "nowhere to sleep tonight", 1);
    assert_true(f.route.urgent);
    flow_act(&f, ACT_NEXT, 0, 2);
    assert_int_equal(f.screen, SCR_URGENT); /* no check, no name, no queue */
    assert_true(last.urgent);
    assert_int_equal(submits, 1);
    flow_act(&f, ACT_FINISH, 0, 3);
    assert_int_equal(f.screen, SCR_DONE);
    all_zero(f.text, sizeof(f.text));
    /* an urgent chip taken off is still urgent */
    flow_reset(&f, 4);
    flow_act(&f, ACT_BEGIN, 0, 5);
    flow_type(&f, "tonight", 6);
    flow_act(&f, ACT_CHIP, needs_find(tax, "homeless_tonight"), 7);
    flow_act(&f, ACT_NEXT, 0, 8);
    assert_int_equal(f.screen, SCR_URGENT);
}

static void test_topics(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    assert_true(flow_act(&f, ACT_TOPICS, 0, 1));
    assert_int_equal(f.screen, SCR_TOPICS);
    assert_false(f.unsure);
    assert_true(flow_act(&f, ACT_TOPIC, DOMAIN_BENEFITS, 2));
    assert_int_equal(f.screen, SCR_SUBTOPICS);
    flow_act(&f, ACT_BACK, 0, 3);
    assert_int_equal(f.screen, SCR_TOPICS);
    flow_act(&f, ACT_TOPIC, DOMAIN_BENEFITS, 4);
    assert_false(flow_act(&f, ACT_SUBTOPIC, 9999, 5));
    int energy = needs_find(tax, "energy_bills");
    flow_act(&f, ACT_SUBTOPIC, energy, 6);
    assert_int_equal(f.screen, SCR_CHECK);
    assert_int_equal(f.source, SRC_TOPIC);
    flow_act(&f, ACT_CHANGE, 0, 7);
    assert_int_equal(f.screen, SCR_SUBTOPICS);
    flow_act(&f, ACT_SUBTOPIC, energy, 8);
    flow_act(&f, ACT_YES, 0, 9);
    flow_act(&f, ACT_NEXT, 0, 10);
    assert_int_equal(f.screen, SCR_RESULT); /* nothing written: no consent question */
    assert_string_equal(last.needs[0], "energy_bills");
    assert_true(f.match.worker >= 0);
    assert_true(dir->workers[f.match.worker].domain_mask & (1u << DOMAIN_BENEFITS));
    /* something else: reception */
    flow_reset(&f, 11);
    flow_act(&f, ACT_BEGIN, 0, 12);
    flow_act(&f, ACT_TOPICS, 0, 13);
    flow_act(&f, ACT_TOPIC, DOMAIN_COUNT, 14);
    assert_int_equal(f.screen, SCR_CHECK);
    assert_int_equal(f.source, SRC_RECEPTION);
    flow_act(&f, ACT_CHANGE, 0, 15);
    assert_int_equal(f.screen, SCR_TOPICS);
    flow_act(&f, ACT_TOPIC, DOMAIN_COUNT, 16);
    flow_act(&f, ACT_YES, 0, 17);
    flow_act(&f, ACT_SKIP, 0, 18);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_int_equal(f.match.worker, -1);
    assert_int_equal(last.chosen_by, CHOSEN_RECEPTION);
}

static void test_know_someone(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    assert_true(flow_act(&f, ACT_KNOW, 0, 1));
    assert_int_equal(f.screen, SCR_PEOPLE);
    flow_act(&f, ACT_BACK, 0, 2);
    assert_int_equal(f.screen, SCR_TELL);
    flow_act(&f, ACT_KNOW, 0, 3);
    int rhodri = dir_find(dir, "w-rhodri");
    assert_false(flow_act(&f, ACT_WORKER, 999, 4));
    flow_act(&f, ACT_WORKER, rhodri, 5);
    assert_int_equal(f.screen, SCR_CHECK);
    flow_act(&f, ACT_CHANGE, 0, 6);
    assert_int_equal(f.screen, SCR_PEOPLE);
    flow_act(&f, ACT_WORKER, rhodri, 7);
    flow_act(&f, ACT_YES, 0, 8);
    flow_act(&f, ACT_SKIP, 0, 9);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_int_equal(f.match.worker, rhodri);
    assert_int_equal(last.chosen_by, CHOSEN_RESIDENT);
    assert_string_equal(last.worker_id, "w-rhodri");
    /* a new directory keeps the choice by id */
    flow_set_directory(&f, dir);
    assert_int_equal(f.chosen_worker, rhodri);
}

static void test_idle(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    assert_int_equal(flow_next_deadline(&f, 0), -1); /* welcome waits for ever */
    assert_false(flow_tick(&f, 1000000));
    flow_act(&f, ACT_BEGIN, 0, 1000);
    flow_type(&f, "my rent", 2000);
    flow_act(&f, ACT_CONTRAST, 0, 3000);
    flow_act(&f, ACT_TEXT_SIZE, 0, 3000);
    assert_int_equal(flow_next_deadline(&f, 3000), 60000);
    assert_false(flow_tick(&f, 62999));
    assert_true(flow_tick(&f, 63000));
    assert_true(f.idle_prompt);
    assert_int_equal(f.screen, SCR_TELL);
    /* "Yes, I need more time" */
    assert_true(flow_act(&f, ACT_MORE_TIME, 0, 70000));
    assert_false(f.idle_prompt);
    assert_string_equal(f.text, "my rent");
    assert_false(flow_tick(&f, 129999));
    assert_true(flow_tick(&f, 130000));
    assert_true(f.idle_prompt);
    assert_int_equal(flow_next_deadline(&f, 130000), 30000);
    assert_false(flow_tick(&f, 159999));
    assert_true(flow_tick(&f, 160000)); /* nobody answered: reset and wipe */
    assert_int_equal(f.screen, SCR_WELCOME);
    assert_false(f.idle_prompt);
    assert_false(f.high_contrast);
    assert_false(f.big_text);
    assert_int_equal(f.text_len, 0);
    all_zero(f.text, sizeof(f.text));
    all_zero(&f.route, sizeof(f.route));
    /* any touch also answers the prompt */
    flow_act(&f, ACT_BEGIN, 0, 200000);
    flow_tick(&f, 260000);
    assert_true(f.idle_prompt);
    assert_true(flow_act(&f, ACT_KEY, osk_pack(0, 0), 261000));
    assert_false(f.idle_prompt);
    /* the result screen times out too */
    flow_type(&f, " rent", 262000);
    flow_act(&f, ACT_NEXT, 0, 262000);
    flow_act(&f, ACT_YES, 0, 262000);
    flow_act(&f, ACT_SKIP, 0, 262000);
    flow_act(&f, ACT_CONSENT_YES, 0, 262000);
    assert_int_equal(f.screen, SCR_RESULT);
    flow_tick(&f, 322000);
    flow_tick(&f, 352000);
    assert_int_equal(f.screen, SCR_WELCOME);
    all_zero(f.text, sizeof(f.text));
}

static void test_start_again_and_settings(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_SET_LANG, 1, 0);
    flow_type(&f, "rent", 1);
    flow_act(&f, ACT_NEXT, 0, 2);
    flow_act(&f, ACT_YES, 0, 3);
    flow_type(&f, "Sam", 4);
    unsigned g = f.gen;
    assert_true(flow_act(&f, ACT_TEXT_SIZE, 0, 5));
    assert_true(f.big_text);
    assert_true(flow_act(&f, ACT_CONTRAST, 0, 6));
    assert_true(f.high_contrast);
    assert_true(f.gen > g);
    /* something typed: start again asks first; "no" keeps everything, "yes" wipes */
    assert_true(flow_act(&f, ACT_START_AGAIN, 0, 7));
    assert_true(f.confirm_reset);
    assert_int_equal(f.screen, SCR_NAME);
    assert_true(flow_act(&f, ACT_CANCEL_RESET, 0, 7));
    assert_false(f.confirm_reset);
    assert_string_equal(f.name, "Sam");
    assert_true(flow_act(&f, ACT_START_AGAIN, 0, 7));
    assert_true(flow_act(&f, ACT_CONFIRM_RESET, 0, 7));
    assert_int_equal(f.screen, SCR_WELCOME);
    assert_string_equal(f.lang, "cy");
    all_zero(f.text, sizeof(f.text));
    all_zero(f.name, sizeof(f.name));
    assert_false(f.big_text);
    /* done: a tap goes straight back */
    flow_act(&f, ACT_BEGIN, 0, 8);
    flow_act(&f, ACT_TOPICS, 0, 9);
    flow_act(&f, ACT_TOPIC, DOMAIN_COUNT, 10);
    flow_act(&f, ACT_YES, 0, 11);
    flow_act(&f, ACT_SKIP, 0, 12);
    flow_act(&f, ACT_FINISH, 0, 13);
    assert_int_equal(f.screen, SCR_DONE);
    assert_true(flow_act(&f, ACT_BEGIN, 0, 14));
    assert_int_equal(f.screen, SCR_WELCOME);
}

static void test_field_limits(void **state)
{
    struct flow f;
    (void)state;
    start(&f);
    flow_act(&f, ACT_BEGIN, 0, 0);
    for (int i = 0; i < 700; i++)
        flow_type(&f, "ŵ", 1);
    assert_int_equal(f.text_chars, FLOW_TEXT_CHARS);
    assert_int_equal(f.text_len, 2 * FLOW_TEXT_CHARS);
    flow_act(&f, ACT_BACKSPACE, 0, 2);
    assert_int_equal(f.text_len, 2 * FLOW_TEXT_CHARS - 2);
    flow_reset(&f, 3);
    flow_act(&f, ACT_BEGIN, 0, 4);
    flow_type(&f, "a\x01\tb\x7f\xff\xc5", 5); /* control bytes and broken UTF-8 dropped */
    assert_string_equal(f.text, "ab");
    assert_false(flow_act(&f, ACT_BACKSPACE, 0, 6) && f.text_len != 1);
    flow_act(&f, ACT_BACKSPACE, 0, 7);
    assert_false(flow_act(&f, ACT_BACKSPACE, 0, 8));
    /* the accent key gives Welsh letters */
    int row, col;
    for (row = 0; row < OSK_ROWS; row++)
        for (col = 0; col < osk_row_len(&f.osk, row); col++) {
            struct osk_key_view v;
            osk_key(&f.osk, row, col, &v);
            if (v.kind == OSK_ACCENT)
                goto found;
        }
found:
    flow_act(&f, ACT_KEY, osk_pack(row, col), 9);
    flow_act(&f, ACT_KEY, osk_pack(0, 1), 10); /* w */
    assert_string_equal(f.text, "ŵ");
    /* name is capped at 40 characters */
    flow_type(&f, " rent", 11);
    flow_act(&f, ACT_NEXT, 0, 12);
    flow_act(&f, ACT_YES, 0, 13);
    for (int i = 0; i < 60; i++)
        flow_type(&f, "n", 14);
    assert_int_equal(f.name_chars, FLOW_NAME_CHARS);
    assert_true(flow_act(&f, ACT_SKIP, 0, 15));
    assert_int_equal(f.screen, SCR_CONSENT);
    all_zero(f.name, sizeof(f.name));
}

/* Puts f on resident screen s by a resident's own taps (Megan typed as the name on the way to
 * consent and result). */
static void reach(struct flow *f, enum screen s, int64_t t)
{
    start(f);
    if (s == SCR_WELCOME)
        return;
    flow_act(f, ACT_SET_LANG, 1, t);
    if (s == SCR_TOPICS || s == SCR_SUBTOPICS) {
        flow_act(f, ACT_TOPICS, 0, t);
        if (s == SCR_SUBTOPICS)
            flow_act(f, ACT_TOPIC, DOMAIN_HOUSING, t);
        return;
    }
    if (s == SCR_PEOPLE) {
        flow_act(f, ACT_KNOW, 0, t);
        return;
    }
    flow_type(f, "my landlord wants me out", t);
    if (s == SCR_TELL)
        return;
    flow_act(f, ACT_NEXT, 0, t);
    if (s == SCR_CHECK)
        return;
    flow_act(f, ACT_YES, 0, t);
    flow_type(f, "Megan", t);
    if (s == SCR_NAME)
        return;
    flow_act(f, ACT_NEXT, 0, t);
    if (s == SCR_CONSENT)
        return;
    flow_act(f, ACT_CONSENT_YES, 0, t);
    if (s == SCR_DONE)
        flow_act(f, ACT_FINISH, 0, t);
}

/* "I need help now" from every resident screen but urgent: straight to the urgent screen, and
 * one more check-in, urgent, with no needs, for the duty worker (Gareth is in), never with the
 * resident's words. */
static void test_help_now_everywhere(void **state)
{
    static const enum screen from[] = {SCR_WELCOME, SCR_TELL,  SCR_TOPICS, SCR_SUBTOPICS,
                                       SCR_PEOPLE,  SCR_CHECK, SCR_NAME,   SCR_CONSENT,
                                       SCR_RESULT,  SCR_DONE};
    struct flow f;
    (void)state;
    for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
        reach(&f, from[i], 1);
        assert_int_equal(f.screen, from[i]);
        int before = submits;
        memset(&last, 0, sizeof(last));
        assert_true(flow_act(&f, ACT_HELP_NOW, 0, 2));
        assert_int_equal(f.screen, SCR_URGENT);
        assert_int_equal(submits, before + 1);
        assert_true(last.urgent);
        assert_int_equal(last.n_needs, 0);
        assert_int_equal(last.domain_mask, 0);
        assert_string_equal(last.worker_id, "w-gareth"); /* the duty worker, as the matcher says */
        assert_int_equal(last.chosen_by, CHOSEN_ROUTER);
        assert_int_equal(f.match.reason, MATCH_URGENT_DUTY);
        assert_false(last.consent);
        assert_string_equal(last.text, ""); /* nobody agreed to share the words */
        assert_int_equal(f.n_sel, 0);
        assert_true(f.urgent);
        /* the name goes with it once typed, so reception can call them */
        bool named = from[i] == SCR_NAME || from[i] == SCR_CONSENT || from[i] == SCR_RESULT;
        assert_string_equal(last.name, named ? "Megan" : "");
        /* no language chosen yet: the urgent screen says it in every language */
        assert_int_equal(f.bilingual, from[i] == SCR_WELCOME);
        assert_string_equal(last.lang, from[i] == SCR_WELCOME ? "cy" : "en");
        /* not again from the urgent screen itself; finishing wipes it */
        assert_false(flow_act(&f, ACT_HELP_NOW, 0, 3));
        assert_int_equal(submits, before + 1);
        assert_true(flow_act(&f, ACT_FINISH, 0, 4));
        assert_int_equal(f.screen, SCR_DONE);
        assert_false(f.urgent);
        assert_false(f.bilingual);
    }
    /* choosing a language on the urgent screen leaves only that one */
    reach(&f, SCR_WELCOME, 1);
    flow_act(&f, ACT_HELP_NOW, 0, 2);
    assert_true(f.bilingual);
    assert_true(flow_act(&f, ACT_TOGGLE_LANG, 0, 3));
    assert_string_equal(f.lang, "en");
    assert_false(f.bilingual);
    /* staff screens have no help now */
    staff_start(&f, "4826");
    flow_act(&f, ACT_STAFF, 0, 1);
    assert_int_equal(f.screen, SCR_STAFF_PIN);
    assert_false(flow_act(&f, ACT_HELP_NOW, 0, 2));
    assert_int_equal(f.screen, SCR_STAFF_PIN);
}

/* No duty worker in: help now still goes through, to reception, urgent. */
static void test_help_now_no_duty(void **state)
{
    struct flow f;
    (void)state;
    int gareth = dir_find(dir, "w-gareth");
    enum worker_status was = dir->workers[gareth].status;
    dir->workers[gareth].status = WS_OFF;
    reach(&f, SCR_TELL, 1);
    assert_true(flow_act(&f, ACT_HELP_NOW, 0, 2));
    dir->workers[gareth].status = was;
    assert_int_equal(f.screen, SCR_URGENT);
    assert_true(last.urgent);
    assert_int_equal(last.n_needs, 0);
    assert_string_equal(last.worker_id, "");
    assert_int_equal(last.chosen_by, CHOSEN_RECEPTION);
    assert_int_equal(f.match.reason, MATCH_URGENT_RECEPTION);
}

/* The urgent tiles among the topics: each goes straight to the urgent screen with its need. */
static void test_urgent_tiles(void **state)
{
    static const char *const ids[] = {"homeless_tonight", "in_danger", "medical_emergency"};
    struct flow f;
    (void)state;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        reach(&f, SCR_TOPICS, 1);
        int need = needs_find(tax, ids[i]);
        assert_true(need >= 0 && tax->needs[need].urgent);
        assert_true(flow_act(&f, ACT_URGENT_TOPIC, need, 2));
        assert_int_equal(f.screen, SCR_URGENT); /* no check, no name, no queue */
        assert_true(last.urgent);
        assert_int_equal(last.n_needs, 1);
        assert_string_equal(last.needs[0], ids[i]);
        assert_int_equal(f.n_sel, 1);
        assert_int_equal(f.sel[0], need);
    }
    /* only urgent needs, only on the topics screen */
    reach(&f, SCR_TOPICS, 1);
    int before = submits;
    assert_false(flow_act(&f, ACT_URGENT_TOPIC, needs_find(tax, "rent_arrears"), 2));
    assert_false(flow_act(&f, ACT_URGENT_TOPIC, -1, 2));
    assert_false(flow_act(&f, ACT_URGENT_TOPIC, 9999, 2));
    assert_int_equal(f.screen, SCR_TOPICS);
    reach(&f, SCR_TELL, 1);
    assert_false(flow_act(&f, ACT_URGENT_TOPIC, needs_find(tax, "in_danger"), 2));
    assert_int_equal(submits, before);
}

/* Words not understood: the topics ask, and offer "Ask at reception" (reception, not urgent,
 * the words shared only with consent) besides help now. */
static void test_unsure_actions(void **state)
{
    struct flow f;
    (void)state;
    reach(&f, SCR_WELCOME, 1);
    flow_act(&f, ACT_SET_LANG, 1, 1);
    flow_type(&f, "where are the toilets", 2);
    flow_act(&f, ACT_NEXT, 0, 3);
    assert_int_equal(f.screen, SCR_TOPICS);
    assert_true(f.unsure);
    assert_true(flow_act(&f, ACT_ASK_RECEPTION, 0, 4));
    assert_int_equal(f.screen, SCR_NAME); /* they asked: no "is that right?" */
    assert_true(flow_act(&f, ACT_BACK, 0, 5));
    assert_int_equal(f.screen, SCR_TOPICS); /* back where they asked */
    flow_act(&f, ACT_ASK_RECEPTION, 0, 6);
    flow_type(&f, "Sam", 7);
    flow_act(&f, ACT_NEXT, 0, 8);
    assert_int_equal(f.screen, SCR_CONSENT); /* what they wrote goes only if they agree */
    flow_act(&f, ACT_CONSENT_YES, 0, 9);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_false(last.urgent);
    assert_int_equal(last.n_needs, 0);
    assert_string_equal(last.worker_id, "");
    assert_int_equal(last.chosen_by, CHOSEN_RECEPTION);
    assert_string_equal(last.text, "where are the toilets");
    assert_string_equal(last.name, "Sam");
    assert_int_equal(f.match.worker, -1);
    /* without consent, no words */
    reach(&f, SCR_WELCOME, 1);
    flow_act(&f, ACT_SET_LANG, 1, 1);
    flow_type(&f, "where are the toilets", 2);
    flow_act(&f, ACT_NEXT, 0, 3);
    flow_act(&f, ACT_ASK_RECEPTION, 0, 4);
    flow_act(&f, ACT_SKIP, 0, 5);
    flow_act(&f, ACT_CONSENT_NO, 0, 6);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_string_equal(last.text, "");
    assert_false(last.urgent);
    /* the same screen's help now: urgent, no needs, no words */
    reach(&f, SCR_WELCOME, 1);
    flow_act(&f, ACT_SET_LANG, 1, 1);
    flow_type(&f, "where are the toilets", 2);
    flow_act(&f, ACT_NEXT, 0, 3);
    assert_true(f.unsure);
    assert_true(flow_act(&f, ACT_HELP_NOW, 0, 4));
    assert_int_equal(f.screen, SCR_URGENT);
    assert_true(last.urgent);
    assert_int_equal(last.n_needs, 0);
    assert_string_equal(last.text, "");
}

static void test_names(void **state)
{
    (void)state;
    for (int s = 0; s < SCR_COUNT; s++)
        assert_string_not_equal(screen_name((enum screen)s), "?");
    for (int a = 0; a < ACT_COUNT; a++)
        assert_string_not_equal(action_name((enum action)a), "?");
    assert_string_equal(screen_name(SCR_COUNT), "?");
}

/* "here to see Sian" offers Sian (continuity); the needs said go with it. */
static void test_here_to_see_offers_the_worker(void **state)
{
    (void)state;
    struct flow f;
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &fake_backend, real_asks};
    flow_init(&f, NULL, &deps, 0);
    flow_act(&f, ACT_SET_LANG, 0, 10);
    flow_type(&f, "here to see sian about the rent", 20);
    flow_act(&f, ACT_NEXT, 0, 30);
    assert_int_equal(f.screen, SCR_CHECK);
    assert_int_equal(f.source, SRC_PERSON);
    assert_int_equal(f.chosen_worker, dir_find(dir, "w-sian"));
    flow_act(&f, ACT_YES, 0, 40);
    while (f.screen == SCR_NAME || f.screen == SCR_CONSENT)
        flow_act(&f, f.screen == SCR_NAME ? ACT_NEXT : ACT_CONSENT_NO, 0, 50);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_string_equal(last.worker_id, "w-sian");
    assert_int_equal(last.chosen_by, CHOSEN_RESIDENT);
    assert_int_equal(last.n_needs, 1);
    assert_string_equal(last.needs[0], "rent_arrears");
}

/* "I speak Polish" goes to reception with the language on the check-in, needs kept. */
static void test_language_asked_goes_to_reception(void **state)
{
    (void)state;
    struct flow f;
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &fake_backend, real_asks};
    flow_init(&f, NULL, &deps, 0);
    flow_act(&f, ACT_SET_LANG, 0, 10);
    flow_type(&f, "i speak polish, rent problem", 20);
    flow_act(&f, ACT_NEXT, 0, 30);
    assert_int_equal(f.screen, SCR_CHECK);
    assert_int_equal(f.source, SRC_RECEPTION);
    flow_act(&f, ACT_YES, 0, 40);
    while (f.screen == SCR_NAME || f.screen == SCR_CONSENT)
        flow_act(&f, f.screen == SCR_NAME ? ACT_NEXT : ACT_CONSENT_NO, 0, 50);
    assert_int_equal(f.screen, SCR_RESULT);
    assert_string_equal(last.worker_id, "");
    assert_int_equal(last.chosen_by, CHOSEN_RECEPTION);
    assert_string_equal(last.lang, "pl");
    assert_int_equal(last.n_needs, 1);
    /* Starting again forgets what was asked. */
    flow_reset(&f, 60);
    assert_int_equal(f.asks.worker, -1);
    assert_false(f.lang_help);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_here_to_see_offers_the_worker),
        cmocka_unit_test(test_language_asked_goes_to_reception),
        cmocka_unit_test(test_welcome),
        cmocka_unit_test(test_text_journey),
        cmocka_unit_test(test_ticket_from_hub),
        cmocka_unit_test(test_staff_pin),
        cmocka_unit_test(test_staff_alert),
        cmocka_unit_test(test_no_consent_sends_no_words),
        cmocka_unit_test(test_chips),
        cmocka_unit_test(test_not_understood),
        cmocka_unit_test(test_urgent),
        cmocka_unit_test(test_topics),
        cmocka_unit_test(test_know_someone),
        cmocka_unit_test(test_idle),
        cmocka_unit_test(test_start_again_and_settings),
        cmocka_unit_test(test_field_limits),
        cmocka_unit_test(test_help_now_everywhere),
        cmocka_unit_test(test_help_now_no_duty),
        cmocka_unit_test(test_urgent_tiles),
        cmocka_unit_test(test_unsure_actions),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("kiosk flow", tests, setup, teardown);
}
