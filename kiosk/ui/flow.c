/* flow.c — the kiosk's screen flow state machine, idle handling and the wipe. */
#include "flow.h"
#include "flow_int.h"

#include <stdio.h>
#include <string.h>

static const char *const action_names[ACT_COUNT] = {
    "none",          "begin",        "set-lang",     "toggle-lang",   "start-again", "text-size",
    "contrast",      "key",          "backspace",    "enter",         "chip",        "next",
    "topics",        "topic",        "subtopic",     "know",          "worker",      "yes",
    "change",        "skip",         "consent-yes",  "consent-no",    "finish",      "more-time",
    "back",          "field",        "staff",        "pin",           "pin-delete",  "pin-ok",
    "sync-now",      "help-now",     "urgent-topic", "ask-reception", "listen",      "chip-more",
    "confirm-reset", "cancel-reset", "feedback",
};

const char *action_name(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_names[a] : "?";
}

void flow_config_default(struct flow_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->n_langs = 2;
    snprintf(cfg->langs[0], sizeof(cfg->langs[0]), "cy");
    snprintf(cfg->langs[1], sizeof(cfg->langs[1]), "en");
    cfg->idle_ms = 60000;
    cfg->idle_grace_ms = 30000;
    cfg->done_ms = 8000;
}

void flow_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static void go(struct flow *f, enum screen s, int64_t now_ms)
{
    f->screen = s;
    f->screen_since_ms = now_ms;
    f->idle_prompt = false;
    f->focus[0] = '\0';
    f->chip_page = 0;
    f->confirm_reset = false;
    f->n_screens++;
    osk_reset(&f->osk);
}

void flow_go(struct flow *f, enum screen s, int64_t now_ms)
{
    go(f, s, now_ms);
}

void flow_wipe_resident(struct flow *f)
{
    flow_wipe(f->text, sizeof(f->text));
    flow_wipe(f->name, sizeof(f->name));
    flow_wipe(&f->route, sizeof(f->route));
    flow_wipe(&f->asks, sizeof(f->asks));
    f->asks.worker = -1;
    f->lang_help = false;
    flow_wipe(f->need_off, sizeof(f->need_off));
    flow_wipe(f->sel, sizeof(f->sel));
    flow_wipe(&f->match, sizeof(f->match));
    flow_wipe(&f->ticket, sizeof(f->ticket));
    f->text_len = f->name_len = 0;
    f->text_chars = f->name_chars = 0;
    f->unsure = false;
    f->topic = -1;
    f->chosen_worker = -1;
    f->source = SRC_TEXT;
    f->n_sel = 0;
    f->urgent = false;
    f->bilingual = false;
    f->consent = false;
    f->submitted = false;
    f->queue_pending = false;
    f->match.worker = -1;
}

void flow_reset(struct flow *f, int64_t now_ms)
{
    flow_wipe_resident(f);
    staff_wipe(f);
    snprintf(f->lang, sizeof(f->lang), "%s", f->cfg.n_langs > 0 ? f->cfg.langs[0] : "en");
    f->big_text = false;
    f->high_contrast = false;
    f->speech = f->cfg.speech;
    memset(&f->kept, 0, sizeof(f->kept));
    f->kept_worker[0] = f->kept_desk[0] = f->kept_desk_cy[0] = '\0';
    f->thanks_lang = -1;
    if (f->n_screens > 0)
        f->community_turn++; /* the next resident sees the next figure */
    f->last_input_ms = now_ms;
    go(f, SCR_WELCOME, now_ms);
    f->gen++;
}

void flow_init(struct flow *f, const struct flow_config *cfg, const struct flow_deps *deps,
               int64_t now_ms)
{
    memset(f, 0, sizeof(*f));
    if (cfg)
        f->cfg = *cfg;
    else
        flow_config_default(&f->cfg);
    if (f->cfg.n_langs < 1 || f->cfg.n_langs > FLOW_LANGS_MAX) {
        struct flow_config d;
        flow_config_default(&d);
        memcpy(f->cfg.langs, d.langs, sizeof(d.langs));
        f->cfg.n_langs = d.n_langs;
    }
    if (deps)
        f->deps = *deps;
    flow_reset(f, now_ms);
}

const char *flow_other_lang(const struct flow *f)
{
    for (int i = 0; i < f->cfg.n_langs; i++)
        if (strcmp(f->cfg.langs[i], f->lang) != 0)
            return f->cfg.langs[i];
    return f->lang;
}

int flow_general_need(const struct flow *f, int domain)
{
    static const char *const general[DOMAIN_COUNT] = {"housing_general", "health_general",
                                                      "money_general"};
    if (!f->deps.tax || domain < 0 || domain >= DOMAIN_COUNT)
        return -1;
    return needs_find(f->deps.tax, general[domain]);
}

static void reroute(struct flow *f)
{
    memset(&f->route, 0, sizeof(f->route));
    memset(&f->asks, 0, sizeof(f->asks));
    f->asks.worker = -1;
    if (f->text_len > 0 && f->deps.route)
        f->deps.route(f->deps.ctx, f->text, f->text_len, f->lang, &f->route);
    if (f->text_len > 0 && f->deps.asks && f->deps.dir &&
        f->deps.asks(f->deps.ctx, f->deps.dir, f->text, f->text_len, &f->asks) < 0)
        f->asks.worker = -1;
    if (f->deps.dir && f->asks.worker >= f->deps.dir->n_workers)
        f->asks.worker = -1;
}

/* Appends UTF-8 to a field, dropping control bytes, up to max_chars characters. */
static bool field_append(char *buf, size_t cap, size_t *len, int *chars, int max_chars,
                         const char *in)
{
    bool changed = false;
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
        if (n == 0) { /* a stray continuation byte */
            p++;
            continue;
        }
        size_t ok = 1;
        while (ok < n && (p[ok] & 0xC0) == 0x80)
            ok++;
        if (ok < n) { /* cut-off sequence */
            p += ok;
            continue;
        }
        if ((n == 1 && (*p < 0x20 || *p == 0x7F)) || *chars >= max_chars || *len + n >= cap) {
            p += n;
            continue;
        }
        memcpy(buf + *len, p, n);
        *len += n;
        buf[*len] = '\0';
        (*chars)++;
        changed = true;
        p += n;
    }
    return changed;
}

static bool field_backspace(char *buf, size_t *len, int *chars)
{
    if (*len == 0)
        return false;
    size_t n = *len - 1;
    while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
        n--;
    flow_wipe(buf + n, *len - n);
    *len = n;
    (*chars)--;
    return true;
}

static bool typing_screen(const struct flow *f)
{
    return f->screen == SCR_TELL || f->screen == SCR_NAME;
}

static bool edit(struct flow *f, const char *utf8, bool backspace)
{
    bool changed;
    if (f->screen == SCR_NAME) {
        changed = backspace ? field_backspace(f->name, &f->name_len, &f->name_chars)
                            : field_append(f->name, sizeof(f->name), &f->name_len, &f->name_chars,
                                           FLOW_NAME_CHARS, utf8);
        return changed;
    }
    changed = backspace ? field_backspace(f->text, &f->text_len, &f->text_chars)
                        : field_append(f->text, sizeof(f->text), &f->text_len, &f->text_chars,
                                       FLOW_TEXT_CHARS, utf8);
    if (changed) {
        reroute(f);
        f->chip_page = 0;
    }
    return changed;
}

static bool sel_urgent(const struct flow *f)
{
    for (int i = 0; f->deps.tax && i < f->n_sel; i++)
        if (f->deps.tax->needs[f->sel[i]].urgent)
            return true;
    return false;
}

/* Matches, hands the check-in to the backend and shows the result (or the urgent screen). */
void flow_submit(struct flow *f, int64_t now_ms)
{
    const struct taxonomy *tax = f->deps.tax;
    struct match_request req = {
        .tax = tax,
        .needs = f->sel,
        .n_needs = f->n_sel,
        .urgent = f->urgent,
        .lang = strcmp(f->asks.lang, "cy") == 0 ? "cy" : f->lang, /* "siarad Cymraeg" */
        .chosen_worker_id = NULL,
        .load = NULL, /* the directory's live waiting counts (hubd's), never the kiosk's own */
    };
    const struct hub_dir *d = f->deps.dir;
    if (f->source == SRC_PERSON && d && f->chosen_worker >= 0 && f->chosen_worker < d->n_workers)
        req.chosen_worker_id = d->workers[f->chosen_worker].id;
    const struct backend *b = f->deps.backend;
    memset(&f->match, 0, sizeof(f->match));
    f->match.worker = -1;
    f->match.reason = f->urgent ? MATCH_URGENT_RECEPTION : MATCH_RECEPTION_UNSURE;
    if (f->deps.match && d && tax)
        f->deps.match(f->deps.ctx, d, &req, &f->match);
    if (!d || f->match.worker >= d->n_workers)
        f->match.worker = -1;
    if (f->lang_help && !f->urgent) { /* reception finds the interpreter or the speaker */
        f->match.worker = -1;
        f->match.reason = MATCH_RECEPTION_UNSURE;
    }

    struct kiosk_checkin c;
    memset(&c, 0, sizeof(c));
    snprintf(c.lang, sizeof(c.lang), "%s",
             f->lang_help && f->asks.lang[0] ? f->asks.lang : f->lang);
    for (int i = 0; i < f->n_sel && tax; i++) {
        snprintf(c.needs[c.n_needs++], NEED_ID_MAX, "%s", tax->needs[f->sel[i]].id);
        c.domain_mask |= tax->needs[f->sel[i]].domain_mask;
    }
    c.urgent = f->urgent;
    if (f->match.worker >= 0)
        snprintf(c.worker_id, sizeof(c.worker_id), "%s", d->workers[f->match.worker].id);
    c.chosen_by = f->source == SRC_PERSON ? CHOSEN_RESIDENT
                  : f->match.worker < 0   ? CHOSEN_RECEPTION
                                          : CHOSEN_ROUTER;
    snprintf(c.name, sizeof(c.name), "%s", f->name);
    c.consent = f->consent && f->text_len > 0;
    if (c.consent)
        snprintf(c.text, sizeof(c.text), "%s", f->text);
    memset(&f->ticket, 0, sizeof(f->ticket));
    int rc = b && b->submit ? b->submit(b->self, &c, &f->ticket) : -1;
    if (rc < 0)
        memset(&f->ticket, 0, sizeof(f->ticket));
    if (rc < 0) /* no ticket at all: reception will tell them how long */
        f->ticket.position = f->ticket.wait_min = -1;
    f->queue_pending = rc == 1 && b->poll;
    flow_wipe(&c, sizeof(c));
    f->submitted = true;
    f->n_submitted++;
    go(f, f->urgent ? SCR_URGENT : SCR_RESULT, now_ms);
}

void flow_to_check(struct flow *f, enum source src, int64_t now_ms)
{
    f->source = src;
    f->urgent = sel_urgent(f);
    if (f->urgent) /* urgent means now: no check, no questions, no queue */
        flow_submit(f, now_ms);
    else
        go(f, SCR_CHECK, now_ms);
}

/* "I need help now": straight to the urgent screen, checked in as urgent with no needs (the
 * matcher gives the duty worker, or reception). A name already typed goes with it, so reception
 * can call them; the words never do (nobody has agreed to share them). */
static void help_now(struct flow *f, int64_t now_ms)
{
    f->bilingual = f->screen == SCR_WELCOME; /* no language chosen yet */
    f->n_sel = 0;
    f->chosen_worker = -1;
    f->unsure = false;
    f->consent = false;
    f->source = SRC_HELP_NOW;
    f->urgent = true;
    flow_submit(f, now_ms);
}

/* The screens a resident can ask for help now from: every one but urgent itself. */
static bool help_now_screen(enum screen s)
{
    return s == SCR_WELCOME || s == SCR_TELL || s == SCR_TOPICS || s == SCR_SUBTOPICS ||
           s == SCR_PEOPLE || s == SCR_CHECK || s == SCR_NAME || s == SCR_CONSENT ||
           s == SCR_RESULT || s == SCR_DONE;
}

/* The thank-you screen repeats the ticket, who and where (never the words or the name). */
static void keep_ticket(struct flow *f)
{
    const struct hub_dir *d = f->deps.dir;
    f->kept = f->ticket;
    f->kept_worker[0] = f->kept_desk[0] = f->kept_desk_cy[0] = '\0';
    if (d && f->match.worker >= 0 && f->match.worker < d->n_workers) {
        snprintf(f->kept_worker, sizeof(f->kept_worker), "%s", d->workers[f->match.worker].name);
        snprintf(f->kept_desk, sizeof(f->kept_desk), "%s", d->workers[f->match.worker].desk);
        snprintf(f->kept_desk_cy, sizeof(f->kept_desk_cy), "%s",
                 d->workers[f->match.worker].desk_cy);
    }
}

void flow_finish(struct flow *f, int64_t now_ms)
{
    keep_ticket(f);
    flow_wipe_resident(f);
    go(f, SCR_DONE, now_ms);
}

static void set_lang(struct flow *f, const char *lang)
{
    if (strcmp(f->lang, lang) == 0)
        return;
    snprintf(f->lang, sizeof(f->lang), "%s", lang);
    f->bilingual = false; /* a language chosen: the urgent screen says it in that one */
    reroute(f);
}

static bool global_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    switch (a) {
    case ACT_TOGGLE_LANG:
        set_lang(f, flow_other_lang(f));
        return true;
    case ACT_SET_LANG:
        if (arg < 0 || arg >= f->cfg.n_langs)
            return false;
        set_lang(f, f->cfg.langs[arg]);
        if (f->screen == SCR_WELCOME)
            go(f, SCR_TELL, now_ms);
        return true;
    case ACT_START_AGAIN:
        /* something typed would be lost: ask first (a stray tap must not wipe a story) */
        if (!f->confirm_reset && (f->text_len > 0 || f->name_len > 0) && !f->submitted) {
            f->confirm_reset = true;
            f->focus[0] = '\0';
            return true;
        }
        flow_reset(f, now_ms);
        return true;
    case ACT_CONFIRM_RESET:
        flow_reset(f, now_ms);
        return true;
    case ACT_CANCEL_RESET:
        f->confirm_reset = false;
        f->focus[0] = '\0';
        return true;
    case ACT_LISTEN:
        f->speech = !f->speech;
        return true;
    case ACT_TEXT_SIZE:
        f->big_text = !f->big_text;
        return true;
    case ACT_CONTRAST:
        f->high_contrast = !f->high_contrast;
        return true;
    case ACT_MORE_TIME:
        f->idle_prompt = false;
        return true;
    default:
        return false;
    }
}

bool flow_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    f->last_input_ms = now_ms;
    bool was_prompt = f->idle_prompt;
    f->idle_prompt = false;
    bool changed = global_act(f, a, arg, now_ms);
    if (!changed && typing_screen(f) && (a == ACT_KEY || a == ACT_BACKSPACE)) {
        char out[16];
        int row = 0, col = 0;
        if (a == ACT_BACKSPACE) {
            changed = edit(f, NULL, true);
        } else {
            osk_unpack(arg, &row, &col);
            struct osk before = f->osk;
            enum osk_out o = osk_press(&f->osk, row, col, out, sizeof(out));
            changed = memcmp(&before, &f->osk, sizeof(before)) != 0;
            if (o == OSK_OUT_TEXT)
                changed |= edit(f, out, false);
            else if (o == OSK_OUT_DELETE)
                changed |= edit(f, NULL, true);
        }
    } else if (!changed && a == ACT_HELP_NOW) {
        changed = help_now_screen(f->screen);
        if (changed)
            help_now(f, now_ms);
    } else if (!changed) {
        changed = screen_act(f, a, arg, now_ms);
    }
    if (changed || was_prompt)
        f->gen++;
    return changed || was_prompt;
}

bool flow_type(struct flow *f, const char *utf8, int64_t now_ms)
{
    f->last_input_ms = now_ms;
    bool was_prompt = f->idle_prompt;
    f->idle_prompt = false;
    bool changed = false;
    if (f->screen == SCR_WELCOME && utf8 && utf8[0]) {
        go(f, SCR_TELL, now_ms);
        changed = true;
    }
    if (typing_screen(f) && utf8)
        changed |= edit(f, utf8, false);
    if (f->screen == SCR_STAFF_PIN && utf8)
        changed |= staff_type(f, utf8, now_ms);
    if (changed || was_prompt)
        f->gen++;
    return changed || was_prompt;
}

bool flow_tick(struct flow *f, int64_t now_ms)
{
    if (f->screen == SCR_WELCOME)
        return feedback_tick(f, now_ms);
    if (f->screen == SCR_DONE) {
        if (now_ms - f->screen_since_ms >= f->cfg.done_ms) {
            flow_reset(f, now_ms);
            return true;
        }
        return false;
    }
    if (f->idle_prompt) {
        if (now_ms - f->prompt_since_ms >= f->cfg.idle_grace_ms) {
            flow_reset(f, now_ms);
            return true;
        }
        return false;
    }
    if (now_ms - f->last_input_ms >= f->cfg.idle_ms) {
        f->idle_prompt = true;
        f->prompt_since_ms = now_ms;
        f->gen++;
        return true;
    }
    return false;
}

int64_t flow_next_deadline(const struct flow *f, int64_t now_ms)
{
    int64_t at;
    if (f->screen == SCR_WELCOME)
        return feedback_deadline(f, now_ms);
    if (f->screen == SCR_DONE)
        at = f->screen_since_ms + f->cfg.done_ms;
    else if (f->idle_prompt)
        at = f->prompt_since_ms + f->cfg.idle_grace_ms;
    else
        at = f->last_input_ms + f->cfg.idle_ms;
    return at > now_ms ? at - now_ms : 0;
}

bool flow_settle_queue(struct flow *f, const struct ticket *t)
{
    if (!f->queue_pending)
        return false;
    f->queue_pending = false;
    if (t) {
        f->ticket.position = t->position;
        f->ticket.wait_min = t->wait_min;
    }
    f->gen++;
    return true;
}

void flow_set_directory(struct flow *f, const struct hub_dir *dir)
{
    const struct hub_dir *old = f->deps.dir;
    char id[DIR_ID_MAX] = "";
    if (old && f->chosen_worker >= 0 && f->chosen_worker < old->n_workers)
        snprintf(id, sizeof(id), "%s", old->workers[f->chosen_worker].id);
    f->deps.dir = dir;
    if (id[0])
        f->chosen_worker = dir ? dir_find(dir, id) : -1;
    f->gen++;
}
