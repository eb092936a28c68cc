/* flow.h — the kiosk's screen flow: welcome, tell us, check, result, done; idle prompt and
 * reset; the wipe of everything a resident typed. Pure: time and input are passed in. */
#ifndef HUB_FLOW_H
#define HUB_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asks.h"
#include "backend.h"
#include "community_line.h"
#include "directory.h"
#include "matcher.h"
#include "proto/taxonomy.h"
#include "osk.h"
#include "router.h"
#include "screens.h"

#define FLOW_TEXT_CHARS      LIMIT_TEXT_CHARS /* typed words are capped at this many characters */
#define FLOW_NAME_CHARS      LIMIT_NAME_CHARS
#define FLOW_LANGS_MAX       4
#define FLOW_PIN_MAX         8               /* digits */
#define FLOW_PIN_TRIES       5               /* wrong PINs in a row before the pad locks ... */
#define FLOW_PIN_LOCK_MS     (5 * 60 * 1000) /* ... for this long */
#define FLOW_ALERT_OFFLINE_S 120             /* check-ins waiting this long unsent: tell staff */
#define FLOW_FOCUS_MAX       80              /* a widget id (WIDGET_ID_MAX) */
#define FLOW_THANKS_MS       6000 /* the thank-you for an answer on the way out shows this long */

#define SCREEN_ENUM(e, name, prefix) e,
enum screen { SCREEN_TABLE(SCREEN_ENUM) SCR_COUNT };
#undef SCREEN_ENUM

enum action {
    ACT_NONE,
    ACT_BEGIN,       /* welcome: tap anywhere */
    ACT_SET_LANG,    /* arg: index into the configured languages */
    ACT_TOGGLE_LANG, /* the language switch every screen shows */
    ACT_START_AGAIN,
    ACT_TEXT_SIZE,
    ACT_CONTRAST,
    ACT_KEY,       /* arg: osk_pack(row, col) */
    ACT_BACKSPACE, /* physical keyboard */
    ACT_ENTER,     /* physical keyboard: the screen's main action */
    ACT_CHIP,      /* arg: need index; keeps or takes off a recognised need */
    ACT_NEXT,
    ACT_TOPICS,
    ACT_TOPIC,    /* arg: enum domain, or DOMAIN_COUNT for "something else" */
    ACT_SUBTOPIC, /* arg: need index */
    ACT_KNOW,
    ACT_WORKER, /* arg: directory index */
    ACT_YES,
    ACT_CHANGE,
    ACT_SKIP,
    ACT_CONSENT_YES,
    ACT_CONSENT_NO,
    ACT_FINISH,
    ACT_MORE_TIME,
    ACT_BACK,
    ACT_FIELD, /* tapping the text field: nothing to do, but it is a touch */
    ACT_STAFF, /* the long press that opens the staff PIN pad */
    ACT_PIN,   /* arg: the digit 0..9 */
    ACT_PIN_DELETE,
    ACT_PIN_OK,
    ACT_SYNC_NOW,     /* staff: send waiting check-ins now, without waiting for the backoff */
    ACT_HELP_NOW,     /* "I need help now", on every resident screen but urgent: urgent, no needs */
    ACT_URGENT_TOPIC, /* arg: need index of an urgent need ("Somewhere to stay tonight") */
    ACT_ASK_RECEPTION, /* topics, when the words were not understood: reception, not urgent */
    ACT_LISTEN,        /* speech on or off (every resident screen) */
    ACT_CHIP_MORE,     /* the chips' "more": the next page of what was heard */
    ACT_CONFIRM_RESET, /* "Start again?": yes, wipe it */
    ACT_CANCEL_RESET,  /* "Start again?": no, keep going */
    ACT_FEEDBACK,      /* welcome, on the way out: arg FLOW_FEEDBACK_ARG(language, answer) */
    ACT_COUNT
};

/* "Did you get what you came for?": the answers, and FEEDBACK_NONE for a touch on the question's
 * panel that missed its buttons (it does nothing, and never starts a check-in). */
enum feedback_answer { FEEDBACK_YES, FEEDBACK_PARTLY, FEEDBACK_NO, FEEDBACK_NONE };
#define FLOW_FEEDBACK_ARG(lang_index, answer) ((lang_index)*4 + (answer))

/* Where the check-in's needs came from: typed words, a topic tile, a person chosen, "something
 * else" (reception), "Ask at reception" after words not understood (reception, the words kept
 * for consent), or "I need help now" (urgent, no needs). */
enum source { SRC_TEXT, SRC_TOPIC, SRC_PERSON, SRC_RECEPTION, SRC_ASK, SRC_HELP_NOW };

struct flow_config {
    int n_langs;
    char langs[FLOW_LANGS_MAX][8];    /* display order; langs[0] shows first ("cy" in Wales) */
    int64_t idle_ms;                  /* no touch for this long: "Are you still there?" (60 s) */
    int64_t idle_grace_ms;            /* then this long unanswered: reset and wipe (30 s) */
    int64_t done_ms;                  /* the thank-you screen returns to welcome after this */
    char staff_pin[FLOW_PIN_MAX + 1]; /* 4..8 digits; "" = no staff screen */
    bool speech;                      /* speech is on at every start (--speech) */
};

/* What staff see of the kiosk's connection to hubd and its local store; the shell fills it in
 * (flow_set_status). known is false when the kiosk runs without hubd (no token). */
struct flow_status {
    bool known;
    bool online;          /* hubd answered the last request */
    long offline_s;       /* seconds since hubd last answered (since start if never) */
    long since_contact_s; /* seconds since hubd last answered, -1 = not since start */
    int pending;          /* check-ins not yet on hubd */
    int set_aside;        /* check-ins hubd refused */
    bool store_durable;   /* check-ins are saved on disk */
    char store_why[200];  /* when not durable, why */
    char last_error[160];
    char server[128];
};

/* What the flow needs from outside. route and match default to the real router and matcher in
 * the app; tests pass fakes. tax and dir must outlive the flow (dir may be swapped with
 * flow_set_directory). */
struct flow_deps {
    void *ctx;
    int (*route)(void *ctx, const char *text, size_t len, const char *lang,
                 struct route_result *out);
    int (*match)(void *ctx, const struct hub_dir *d, const struct match_request *req,
                 struct match_result *out);
    const struct taxonomy *tax;
    const struct hub_dir *dir;
    const struct backend *backend;
    /* What the words ask for besides needs: a worker by name, a language, an interpreter
     * (route_asks()); NULL: nothing is read. */
    int (*asks)(void *ctx, const struct hub_dir *d, const char *text, size_t len,
                struct route_asks *out);
};

/* The flow's state. Read it freely (layout does); change it only through flow_* calls. */
struct flow {
    struct flow_config cfg;
    struct flow_deps deps;
    enum screen screen;
    char lang[8];
    bool big_text, high_contrast;
    bool idle_prompt;
    int64_t last_input_ms, prompt_since_ms, screen_since_ms;
    char text[CHECKIN_TEXT_MAX]; /* what the resident typed; wiped on reset */
    size_t text_len;
    int text_chars;
    char name[CHECKIN_NAME_MAX];
    size_t name_len;
    int name_chars;
    struct osk osk;
    struct route_result route; /* the router's reading of text */
    struct route_asks asks;    /* what the text asks for by name or language */
    bool lang_help;            /* reception, for a language or an interpreter asked for */
    bool need_off[NEED_MAX];   /* recognised needs the resident took off */
    bool unsure;               /* typed words not understood: topics say so */
    int topic;                 /* enum domain on the subtopic screen */
    int chosen_worker;         /* directory index the resident picked, or -1 */
    enum source source;
    int n_sel;
    int sel[ROUTE_MAX_NEEDS]; /* the needs going into the check-in */
    bool urgent;
    bool bilingual; /* help now was tapped before a language was chosen: urgent says it in all */
    bool consent;
    struct match_result match;
    struct ticket ticket;
    bool queue_pending; /* ticket is final; hubd's position and wait for it may still come */
    bool submitted;
    int n_submitted;            /* check-ins handed to the backend since start */
    char pin[FLOW_PIN_MAX + 1]; /* digits typed on the staff PIN pad; wiped on leaving it */
    int pin_len;
    int pin_fails; /* wrong PINs in a row (kept across resets) */
    int64_t pin_locked_until;
    bool pin_wrong;  /* the last PIN was wrong: the pad says so */
    bool sync_asked; /* staff asked to send now (flow_take_sync_now) */
    struct flow_status status;
    bool speech;                /* read screens and focus aloud */
    char focus[FLOW_FOCUS_MAX]; /* the id of the widget the keypad's focus is on; "" = none */
    unsigned n_screens;         /* bumps every time a screen is shown (speech reads it then) */
    unsigned say_asked;         /* bumps when the resident asks to hear the screen again (F1) */
    int chip_page;              /* which page of what was heard the tell screen shows */
    bool confirm_reset;         /* "Start again?" is asked over the screen */
    struct ticket kept;         /* the ticket, kept for the thank-you screen (no words) */
    char kept_worker[DIR_NAME_MAX], kept_desk[DIR_NAME_MAX], kept_desk_cy[DIR_NAME_MAX];
    int thanks_lang;         /* the answer on the way out was given in cfg.langs[i]; -1 = none */
    int64_t thanks_since_ms; /* the thank-you shows from then for FLOW_THANKS_MS */
    unsigned n_thanks;       /* bumps at each answer (speech says the thank-you) */
    int n_feedback;          /* answers the backend kept since start */
    struct community_figs community; /* the hub's public figures (flow_set_community) */
    unsigned community_turn;         /* which figure the welcome screen shows; moves at reset */
    unsigned gen;                    /* bumps on every visible change */
};

/* Sensible defaults: cy then en, 60 s idle, 30 s grace, 8 s thank-you. */
void flow_config_default(struct flow_config *cfg);

/* Starts on the welcome screen at time now_ms. deps is copied. */
void flow_init(struct flow *f, const struct flow_config *cfg, const struct flow_deps *deps,
               int64_t now_ms);

/* Handles one action from a tap or key. Counts as a touch (resets the idle timer). Returns
 * true when anything visible changed. */
bool flow_act(struct flow *f, enum action a, int arg, int64_t now_ms);

/* Types UTF-8 from a physical keyboard into the field of the current screen (control bytes
 * dropped; capped). Returns true when anything changed. */
bool flow_type(struct flow *f, const char *utf8, int64_t now_ms);

/* Advances time: shows the idle prompt, resets after the grace period, leaves the thank-you
 * screen. Returns true when anything visible changed. */
bool flow_tick(struct flow *f, int64_t now_ms);

/* Milliseconds until flow_tick has something to do (>= 0), or -1 when nothing is pending. */
int64_t flow_next_deadline(const struct flow *f, int64_t now_ms);

/* Ends the wait for hubd's answer: t (when not NULL) gives the position and wait; the ticket
 * itself never changes (the resident holds it). With NULL both stay unknown, and the result
 * screen says reception will tell them. Returns true when anything visible changed (false
 * when nothing was pending). */
bool flow_settle_queue(struct flow *f, const struct ticket *t);

/* Updates what staff see. Returns true (and marks a visible change) only when it changes what
 * the current screen shows: the staff screen, or the welcome screen's staff notice. */
bool flow_set_status(struct flow *f, const struct flow_status *st);

/* Whether staff must be told, on the welcome screen: check-ins not saved on disk, or waiting
 * unsent for FLOW_ALERT_OFFLINE_S while hubd is unreachable. */
bool flow_staff_alert(const struct flow *f);

/* True once after staff pressed "send now". */
bool flow_take_sync_now(struct flow *f);

/* The hub's public figures from hubd (or none: month ""). Returns true when the welcome
 * screen's line changes. */
bool flow_set_community(struct flow *f, const struct community_figs *c);
/* The welcome screen's line in cat's language ("" when there is none to show); its length. */
size_t flow_community_line(const struct flow *f, const struct i18n *cat, char *out, size_t cap);

/* "yes", "partly", "no" (the answer's name on the wire and in widget ids); NULL for others. */
const char *feedback_answer_name(int answer);

/* Replaces the directory (e.g. from a sync); an in-progress choice is kept by id. */
void flow_set_directory(struct flow *f, const struct hub_dir *dir);

/* Back to welcome with every typed byte zeroed and settings at their defaults. */
void flow_reset(struct flow *f, int64_t now_ms);

/* "welcome", "tell", ... for the dump tree and tests; "?" out of range. */
const char *screen_name(enum screen s);
const char *action_name(enum action a);

/* The language that is not the current one (for the switch), from the configured list. */
const char *flow_other_lang(const struct flow *f);

/* The general need of a domain ("housing_general", ...): index or -1. */
int flow_general_need(const struct flow *f, int domain);

#endif
