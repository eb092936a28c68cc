/* screen_staff.c — the staff screen (the kiosk's sync state and the health of its local store),
 * and the welcome screen's notice to staff when check-ins are not reaching reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the staff screens. */
enum {
    BUTTON_TARGETS = 4, /* sync now and close: this many target sizes wide */
    CARD_TEXTS = 2,     /* a card: a label and its value (the notice: its one line) */
    CARD_ROWS = 6,      /* the status: six cards, one a row when narrow */
    CARD_PAIR = 2,      /* and when there is room across, two a row (the first four) */
    NUM_MAX = 24,       /* a count or a time, as text */
};

/* A card of the status (or the notice): its texts as a column inset by a gap, measured once at
 * the card's width, placed once at its rectangle. */
struct card {
    struct stack_text t[CARD_TEXTS];
    struct stack_child c[CARD_TEXTS];
    int n, w, h, ip;
    enum style st;
    char id[WIDGET_ID_MAX];
};

static void card_text(struct card *k, const char *id, enum style st, const char *text, int px,
                      bool bold)
{
    k->t[k->n++] = stack_para(id, R_TEXT, st, text, px, bold, AL_LEFT);
}

static void card_measure(struct lb *b, struct card *k, int w)
{
    k->w = w;
    stack_texts_measure(b, k->t, k->n, stack_inset(R(0, 0, w, 0), k->ip).w, k->c);
    k->h = stack_natural_h(k->c, k->n, 0) + 2 * k->ip;
}

static void card_place(struct lb *b, const struct card *k, int x, int y)
{
    struct wrect out[CARD_TEXTS];
    lb_add(b, k->id, R_PANEL, k->st, "", R(x, y, k->w, k->h), ACT_NONE, 0);
    stack_column(b, stack_inset(R(x, y, k->w, k->h), k->ip), 0, STACK_START, k->c, k->n, out);
    stack_texts_place(b, k->t, k->n, out);
}

int lb_staff_notice(struct lb *b)
{
    const struct flow *f = b->f;
    if (!flow_staff_alert(f))
        return 0;
    char n[NUM_MAX], text[WIDGET_TEXT_MAX];
    const char *key = !f->status.store_durable  ? "staff.alert_store"
                      : f->status.set_aside > 0 ? "staff.alert_set_aside"
                                                : "staff.alert_pending";
    snprintf(n, sizeof(n), "%d", f->status.set_aside > 0 ? f->status.set_aside : f->status.pending);
    i18n_format(text, sizeof(text), lb_str(b, key), "n", n);
    struct wrect c = lb_staff_corner_rect(b); /* the notice sits beside it */
    int x = c.w + b->gap, w = b->in->w - x - b->pad;
    struct card k = {.n = 0, .ip = b->gap, .st = ST_STAFF_ALERT, .id = "staff-notice"};
    card_text(&k, "staff-notice-text", ST_STAFF_ALERT, text, b->small, true);
    card_measure(b, &k, w);
    card_place(b, &k, x, b->floor - k.h);
    return k.h + b->gap;
}

/* One line of the status: a label and its value in a card. */
static void card_row(struct lb *b, struct card *k, const char *id, const char *label,
                     const char *value, bool bad)
{
    *k = (struct card){.n = 0, .ip = b->gap, .st = bad ? ST_STAFF_ALERT : ST_CARD, .id = {0}};
    snprintf(k->id, sizeof(k->id), "%s", id);
    char vid[WIDGET_ID_MAX];
    snprintf(vid, sizeof(vid), "%s-value", id);
    card_text(k, "", bad ? ST_STAFF_ALERT : ST_CARD_MUTED, label, b->small, false);
    card_text(k, vid, bad ? ST_STAFF_ALERT : ST_CARD, value, b->body, true);
}

static void ago(struct lb *b, long s, char *out, size_t cap)
{
    enum { SECONDS_MOST = 120, MINUTE = 60 }; /* under two minutes in seconds, then minutes */
    char n[NUM_MAX];
    if (s < 0) {
        snprintf(out, cap, "%s", lb_str(b, "staff.never"));
        return;
    }
    snprintf(n, sizeof(n), "%ld", s < SECONDS_MOST ? s : s / MINUTE);
    i18n_format(out, cap, lb_str(b, s < SECONDS_MOST ? "staff.ago_s" : "staff.ago_min"), "n", n);
}

void staff_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct flow_status *st = &f->status;
    int W = b->in->w, H = b->in->h, top = lb_topbar(b), first = b->l->n;
    struct wrect foot = R(b->pad, H - b->pad - b->btn_h, W - 2 * b->pad, b->btn_h);
    int bottom = foot.y - b->gap, cw = foot.w, cx = foot.x;
    /* the cards, in reading order: a pair side by side when there is room across */
    struct card k[CARD_ROWS][CARD_PAIR];
    int per[CARD_ROWS] = {0}, rows = 0;
    char v1[WIDGET_TEXT_MAX], v2[WIDGET_TEXT_MAX], v3[WIDGET_TEXT_MAX], n1[NUM_MAX], n2[NUM_MAX];
    bool two = st->known && b->landscape;
    if (!st->known) {
        card_row(b, &k[rows][per[rows]++], "hubd", lb_str(b, "staff.hubd"),
                 lb_str(b, "staff.no_hubd"), false);
        rows++;
    } else {
        card_row(b, &k[rows][per[rows]++], "hubd", lb_str(b, "staff.hubd"),
                 lb_str(b, st->online ? "staff.online" : "staff.offline"),
                 !st->online && st->pending > 0);
        rows += !two;
        ago(b, st->since_contact_s, v1, sizeof(v1));
        card_row(b, &k[rows][per[rows]++], "contact", lb_str(b, "staff.last_contact"), v1, false);
        rows++;
        snprintf(n1, sizeof(n1), "%d", st->pending);
        card_row(b, &k[rows][per[rows]++], "pending", lb_str(b, "staff.pending"), n1,
                 st->pending > 0 && !st->online);
        rows += !two;
        snprintf(n2, sizeof(n2), "%d", st->set_aside);
        card_row(b, &k[rows][per[rows]++], "set-aside", lb_str(b, "staff.set_aside"), n2,
                 st->set_aside > 0);
        rows++;
        if (st->store_durable)
            snprintf(v2, sizeof(v2), "%s", lb_str(b, "staff.store_ok"));
        else
            i18n_format(v2, sizeof(v2), lb_str(b, "staff.store_bad"), "why", st->store_why);
        card_row(b, &k[rows][per[rows]++], "store", lb_str(b, "staff.store"), v2,
                 !st->store_durable);
        rows++;
        snprintf(v3, sizeof(v3), "%s  \u00b7  %s", st->server,
                 st->last_error[0] ? st->last_error : lb_str(b, "staff.none"));
        card_row(b, &k[rows][per[rows]++], "server", lb_str(b, "staff.server"), v3, false);
        rows++;
    }
    /* measured once: each card at its share of the row; a row as tall as its tallest card */
    struct stack_text title = {.id = "title",
                               .role = R_HEADING,
                               .st = ST_SCREEN,
                               .text = lb_str(b, "staff.title"),
                               .px = b->head,
                               .bold = true,
                               .al = AL_LEFT};
    struct stack_child col[1 + CARD_ROWS];
    struct wrect at[1 + CARD_ROWS], cell[CARD_ROWS][CARD_PAIR];
    stack_texts_measure(b, &title, 1, cw, &col[0]);
    const struct stack_child share[CARD_PAIR] = {{STACK_SHARE, 0}, {STACK_SHARE, 0}};
    for (int r = 0; r < rows; r++) {
        stack_row(b, R(cx, 0, cw, 0), b->gap, share, per[r], cell[r]);
        col[1 + r] = (struct stack_child){0, 0};
        for (int i = 0; i < per[r]; i++) {
            card_measure(b, &k[r][i], per[r] > 1 ? cell[r][i].w : cw);
            if (k[r][i].h > col[1 + r].size)
                col[1 + r].size = k[r][i].h;
        }
    }
    /* placed once, top to bottom */
    int y = stack_column(b, R(cx, top, cw, stack_natural_h(col, 1 + rows, b->gap)), b->gap,
                         STACK_START, col, 1 + rows, at);
    stack_texts_place(b, &title, 1, &at[0]);
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < per[r]; i++)
            card_place(b, &k[r][i], per[r] > 1 ? cell[r][i].x : cx, at[1 + r].y);
    y = lb_page(b, first, top, y, bottom, cx, cw); /* bigger text: the cards on pages */
    if (y > bottom)
        b->overflow = true;
    /* the foot: sync now at the left, close at the right */
    enum { FOOT_SYNC, FOOT_SPACE, FOOT_CLOSE, FOOT_PARTS };
    const struct stack_child fc[FOOT_PARTS] = {[FOOT_SYNC] = {b->T * BUTTON_TARGETS, 0},
                                               [FOOT_SPACE] = {0, 1},
                                               [FOOT_CLOSE] = {b->T * BUTTON_TARGETS, 0}};
    struct wrect fr[FOOT_PARTS];
    stack_row(b, foot, 0, fc, FOOT_PARTS, fr);
    if (st->known)
        lb_button(b, "sync-now", R_BUTTON, ST_SECONDARY, lb_str(b, "staff.sync_now"), fr[FOOT_SYNC],
                  ACT_SYNC_NOW, 0, b->body, false);
    lb_button(b, "close", R_BUTTON, ST_PRIMARY, lb_str(b, "staff.close"), fr[FOOT_CLOSE],
              ACT_FINISH, 0, b->body, true);
}

bool staff_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_SYNC_NOW) {
        f->sync_asked = true;
        return true;
    }
    if (a == ACT_BACK || a == ACT_FINISH) {
        flow_reset(f, now_ms);
        return true;
    }
    return false;
}
