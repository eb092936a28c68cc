/* screen_welcome.c — the welcome screen: a greeting in every language, each starting that
 * language, the line of the hub's figures, "Did you get what you came for?" on the way out,
 * "I need help now", and the staff corner. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* With bigger text, "More" in every language, right above "I need help now": the greeting's
 * page and the way-out question's. */
static void more_label(struct lb *b, char *label, size_t cap)
{
    const struct flow *f = b->f;
    size_t o = 0;
    label[0] = '\0';
    for (int i = 0; i < f->cfg.n_langs && o < cap; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        int n = snprintf(label + o, cap - o, "%s%s", i ? "\n" : "", i18n_get(c, "app.more"));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

static int more_width(struct lb *b)
{
    char label[WIDGET_TEXT_MAX];
    more_label(b, label, sizeof(label));
    int w = lb_widest_line(b, label, b->body, true) + 2 * (b->body * 6 / 10) + 2 * b->gap;
    return w < b->T * 3 ? b->T * 3 : w > lb_col_w(b) ? lb_col_w(b) : w;
}

static void more_button(struct lb *b, struct wrect r)
{
    char label[WIDGET_TEXT_MAX];
    more_label(b, label, sizeof(label));
    if (label[0] == '\0')
        return;
    lb_button(b, "page-more", R_BUTTON, ST_QUIET, label, r, ACT_CHIP_MORE,
              b->f->chip_page == 1 ? 0 : 1, b->body, true);
}

/* Named metrics of the welcome screen. */
static const double GREETING_SCALE = 2.6; /* each language's greeting, over the body size */
static const double GREETING_LESS = 2.0;  /* with bigger text on a wide screen short of height */
static const double LANG_SCALE = 1.2;     /* a language button's label, over the body size */
enum {
    BLOCK_GAPS = 2,   /* gaps between one language's words and the next, and around the parts */
    LANG_TARGETS = 5, /* a language button no wider than this many targets */
    GREETING_MAX = 2 * FLOW_LANGS_MAX + FLOW_LANGS_MAX + 1, /* a column's texts and rooms */
};

static const struct i18n *cat_at(const struct lb *b, int i)
{
    return b->in->cats[i] ? b->in->cats[i] : b->in->cat;
}

/* A language button's height: a target and a half. */
static int lang_h(const struct lb *b)
{
    return b->btn_h * 3 / 2;
}

/* One language's greeting and how to start, centred in a column (px: the greeting's size). */
static void greeting_texts(struct lb *b, int i, int px, struct stack_text *t)
{
    const struct i18n *c = cat_at(b, i);
    const char *lang = b->f->cfg.langs[i];
    char id[WIDGET_ID_MAX];
    snprintf(id, sizeof(id), "title-%s", lang);
    t[0] = stack_para(id, R_HEADING, ST_SCREEN, i18n_get(c, "welcome.title"), px, true, AL_CENTER);
    snprintf(id, sizeof(id), "tap-%s", lang);
    t[1] = stack_para(id, R_TEXT, ST_MUTED, i18n_get(c, "welcome.tap"), b->body, false, AL_CENTER);
}

/* Language i's button (its name in its own words) in r. */
static void lang_button(struct lb *b, int i, struct wrect r)
{
    char id[WIDGET_ID_MAX];
    snprintf(id, sizeof(id), "lang-%s", b->f->cfg.langs[i]);
    lb_button(b, id, R_BUTTON, ST_PRIMARY, i18n_get(cat_at(b, i), "lang.self"), r, ACT_SET_LANG, i,
              (int)lround(b->body * LANG_SCALE), true);
}

/* With bigger text on a wide screen: each language's greeting, how to start and its button in
 * a column of its own, side by side; tapping a column starts in its language. */
static void greeting_columns(struct lb *b, int y0, int bottom, int big)
{
    const struct flow *f = b->f;
    /* the whole width: the more each column holds a line, the less height the words take */
    int n = f->cfg.n_langs > 0 ? f->cfg.n_langs : 1, cw = lb_w(b) - 2 * b->pad, cx = b->pad;
    int gap2 = BLOCK_GAPS * b->gap, colw = (cw - (n - 1) * gap2) / n, bh = b->btn_h, hb = 0;
    enum { TITLE, TAP, ROOM, BUTTON, PARTS };
    struct stack_text t[FLOW_LANGS_MAX][2];
    struct stack_child c[FLOW_LANGS_MAX][PARTS], cols[FLOW_LANGS_MAX];
    struct wrect col[FLOW_LANGS_MAX], r[FLOW_LANGS_MAX][PARTS], band;
    for (int i = 0; i < f->cfg.n_langs; i++) { /* each column measured once, at its width */
        greeting_texts(b, i, big, t[i]);
        stack_texts_measure(b, t[i], 2, colw, c[i]);
        c[i][ROOM] = (struct stack_child){STACK_REST, 0};
        c[i][BUTTON] = (struct stack_child){bh, 0};
        int h = c[i][TITLE].size + c[i][TAP].size + gap2 + bh;
        hb = h > hb ? h : hb;
        cols[i] = (struct stack_child){colw, 0};
    }
    struct stack_child one = {hb, 0};
    int room = bottom - y0 > hb ? bottom - y0 : hb;
    stack_column(b, R(cx, y0, cw, room), 0, STACK_CENTRE, &one, 1, &band);
    stack_row(b, R(cx, band.y, cw, hb), gap2, cols, f->cfg.n_langs, col);
    for (int i = 0; i < f->cfg.n_langs; i++) {
        stack_column(b, col[i], 0, STACK_START, c[i], PARTS, r[i]);
        stack_texts_place(b, t[i], 2, r[i]);
    }
    for (int i = 0; i < f->cfg.n_langs; i++) { /* a column's touch area starts its language */
        char id[WIDGET_ID_MAX];
        int x = i == 0 ? 0 : col[i].x - b->gap;
        int to = i + 1 < n ? col[i + 1].x - b->gap : lb_w(b);
        snprintf(id, sizeof(id), "start-%s", f->cfg.langs[i]);
        lb_add(b, id, R_BACKDROP, ST_SCREEN, "", R(x, y0, to - x, bottom - y0), ACT_SET_LANG, i);
    }
    for (int i = 0; i < f->cfg.n_langs; i++) {
        int bw = colw < b->T * LANG_TARGETS ? colw : b->T * LANG_TARGETS;
        struct wrect at = r[i][BUTTON];
        lang_button(b, i, R(at.x + (colw - bw) / 2, at.y, bw, bh));
    }
    lb_check_bottom(b, band.y + hb, bottom);
}

/* The greeting in one column: each language's words (a room of BLOCK_GAPS gaps after each),
 * then a row of the language buttons, then (room_after) that room again; measured once at
 * width cw. */
struct greeting {
    struct stack_text t[GREETING_MAX];
    struct stack_child c[GREETING_MAX];
    int n, h, buttons; /* the texts and rooms; their column's height; the buttons' index */
};

static void greeting_measure(struct lb *b, struct greeting *g, int cw, int big, bool room_after)
{
    int n = b->f->cfg.n_langs, gap2 = BLOCK_GAPS * b->gap;
    *g = (struct greeting){.n = 0};
    for (int i = 0; i < n; i++) {
        greeting_texts(b, i, big, g->t + g->n);
        stack_texts_measure(b, g->t + g->n, 2, cw, g->c + g->n);
        g->n += 2;
        g->t[g->n] = stack_room(gap2);
        g->c[g->n++] = (struct stack_child){gap2, 0};
    }
    g->buttons = g->n;
    g->t[g->n] = stack_room(lang_h(b));
    g->c[g->n++] = (struct stack_child){lang_h(b), 0};
    if (room_after) {
        g->t[g->n] = stack_room(gap2);
        g->c[g->n++] = (struct stack_child){gap2, 0};
    }
    g->h = stack_natural_h(g->c, g->n, 0);
}

/* The greeting placed: low on a tall screen (within reach, just above the way-out question,
 * panel_below: which keeps it apart by its own room), in the middle of a wide one; each
 * language's words start it when tapped. */
static void greeting_place(struct lb *b, int cx, int cw, int y0, int bottom, int big,
                           bool panel_below)
{
    const struct flow *f = b->f;
    int n = f->cfg.n_langs, gap2 = BLOCK_GAPS * b->gap;
    struct greeting g;
    struct wrect r[GREETING_MAX];
    greeting_measure(b, &g, cw, big, !panel_below);
    int room = bottom - y0 > g.h ? bottom - y0 : g.h;
    stack_column(b, R(cx, y0, cw, room), 0, b->landscape ? STACK_CENTRE : STACK_END, g.c, g.n, r);
    stack_texts_place(b, g.t, g.n, r);
    /* each language's words start that language when tapped: the screen is shared out between
     * them, half way to the next block (the rest of the screen starts the first) */
    int top[FLOW_LANGS_MAX + 1];
    for (int i = 0; i < n; i++)
        top[i] = r[3 * i].y;
    top[n] = r[g.buttons].y;
    for (int i = 0; i < n; i++) {
        char id[WIDGET_ID_MAX];
        int from = i == 0 ? 0 : (top[i] + top[i] - b->gap) / 2, to = top[i + 1] - b->gap;
        if (i + 1 < n)
            to = (top[i + 1] + top[i + 1] - b->gap) / 2;
        snprintf(id, sizeof(id), "start-%s", f->cfg.langs[i]);
        lb_add(b, id, R_BACKDROP, ST_SCREEN, "", R(0, from, lb_w(b), to - from), ACT_SET_LANG, i);
    }
    /* the buttons side by side, centred, no wider than LANG_TARGETS */
    int bw = (cw - (n - 1) * gap2) / (n > 0 ? n : 1);
    bw = bw > b->T * LANG_TARGETS ? b->T * LANG_TARGETS : bw;
    int row_w = n * bw + (n - 1) * gap2, y = r[g.buttons].y, bh = lang_h(b);
    struct stack_child bc[FLOW_LANGS_MAX];
    struct wrect br[FLOW_LANGS_MAX];
    for (int i = 0; i < n; i++)
        bc[i] = (struct stack_child){bw, 0};
    stack_row(b, R(cx + (cw - row_w) / 2, y, row_w, bh), gap2, bc, n, br);
    if (y < lb_reach_top(b))
        b->overflow = true; /* out of reach: smaller type, until it is within reach */
    for (int i = 0; i < n; i++)
        lang_button(b, i, br[i]);
    lb_check_bottom(b, y + bh, bottom);
}

void welcome_build(struct lb *b)
{
    lb_add(b, "welcome", R_BACKDROP, ST_SCREEN, "", R(0, 0, lb_w(b), lb_h(b)), ACT_BEGIN, 0);
    int y0 = lb_topbar(b);
    int cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, gap2 = BLOCK_GAPS * b->gap;
    /* with bigger text the greeting and the way-out question are two pages, More between */
    bool paged = b->normal;
    int page = paged && b->f->chip_page == 1;
    if (b->landscape && !paged) { /* the way-out question at the right, apart from the greeting */
        cw = lb_w(b) - 2 * b->pad - lb_feedback_w(b) - 2 * gap2;
        cx = b->pad;
    }
    int big = (int)lround(b->body * GREETING_SCALE);
    int help_bottom = b->floor - lb_staff_notice(b); /* the notice to staff, when there is one */
    /* paged: help now and More side by side, centred together */
    int more_w = more_width(b), hw = lb_help_now_low_w(b);
    hw = hw < lb_w(b) - 2 * b->pad - more_w - b->gap ? hw : lb_w(b) - 2 * b->pad - more_w - b->gap;
    int hh = lb_help_now_h(b, hw), hx = (lb_w(b) - hw - b->gap - more_w) / 2;
    int fb_bottom = paged ? help_bottom - hh - gap2 : lb_help_now_low(b, help_bottom, false) - gap2;
    int bottom = fb_bottom;
    if (page == 1) {
        lb_feedback(b, fb_bottom, true);
        goto out_foot;
    }
    if (!b->landscape && !paged) /* below the greeting, apart */
        bottom = lb_feedback(b, fb_bottom, false) - gap2;
    y0 += lb_community(b, y0, true);
    if (paged && b->landscape) { /* a wide screen: each language its own column */
        /* short of height: the greeting grows less than the rest, never below its normal size */
        int least = (int)lround(b->type_n.body * GREETING_SCALE);
        int less = (int)lround(b->body * GREETING_LESS);
        greeting_columns(b, y0, bottom, less > least ? less : least);
        goto out_foot;
    }
    greeting_place(b, cx, cw, y0, bottom, big, !b->landscape && !paged);
    if (!paged)
        lb_feedback(b, fb_bottom, true);
out_foot:
    if (paged) {
        if (b->landscape && (help_bottom - hh) * 2 < lb_h(b))
            b->overflow = true; /* help now above the lower half, out of reach: smaller type */
        lb_help_now(b, R(hx, help_bottom - hh, hw, hh));
        more_button(b, R(hx + hw + b->gap, help_bottom - hh, more_w, hh));
    } else {
        lb_help_now_low(b, help_bottom, true);
    }
    lb_staff_corner(b);
}

bool welcome_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_BEGIN || a == ACT_ENTER) {
        flow_go(f, SCR_TELL, now_ms);
        return true;
    }
    if (a == ACT_FEEDBACK)
        return feedback_act(f, arg, now_ms);
    return a == ACT_STAFF && staff_open(f, now_ms);
}
