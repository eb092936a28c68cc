/* screen_result.c — who the resident will see, where, how long, the ticket and its QR code:
 * each part measured once, the arrangement chosen from the measures, then placed once. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the result screen. */
static const double NAME_SCALE = 1.25;  /* the worker's name, over the heading size */
static const double TICKET_SCALE = 1.3; /* the ticket's code, over the heading size */
enum {
    PANEL_RADIUS = 14,   /* the wait's and ahead's corners, in size units */
    AVATAR_NUM = 3,      /* the avatar: 3/2 of a target across */
    AVATAR_DEN = 2,      /* ... */
    ROW_CELLS = 3,       /* the wait, the people ahead and the ticket, side by side */
    WAIT_STEPS = 64,     /* the wait's cell widens in at most this many steps ... */
    WAIT_STEP_LEAST = 2, /* ... of half a gap, and never less than this (px) */
    OTHER_NUM = 2,       /* ... while every other cell keeps 2/3 of the wait's width, */
    OTHER_DEN = 3,
    AHEAD_NUM = 1, /* ... or, the ticket in the side column, half of it */
    AHEAD_DEN = 2,
    QR_TARGETS = 3,      /* the QR code under the words: this many targets wide ... */
    QR_SHARE_NUM = 2,    /* ... and no more than 2/5 of the column */
    QR_SHARE_DEN = 5,    /* ... */
    QR_CAPTION_GAPS = 2, /* between that code and its caption beside it */
    QR_SIDE_TARGETS = 2, /* in the side column only when at least this many targets wide */
    TICKET_SHARE = 3,    /* first things first: the ticket a third of the column (less gaps) */
    CARD_PADS = 3,       /* the card's padding left, between the avatar and words, right */
    CARD_TEXTS_MAX = 6,  /* the worker card's paragraphs and gaps */
    PARTS_MAX = 20,      /* the column's parts */
    HALF = 2,            /* half a gap */
};

/* The words of the result, made once. */
struct words {
    char wait[128], ahead[128], thanks[WIDGET_TEXT_MAX], seat[WIDGET_TEXT_MAX];
    char where[160], speaks[200];
    const char *helps, *code;
};

/* "Speaks Welsh, English" for a worker, into out. */
static void speaks_line(struct lb *b, const struct worker *wk, char *out, size_t cap)
{
    char speaks[160] = "";
    size_t o = 0;
    for (int i = 0; i < wk->n_langs; i++) {
        char key[24];
        snprintf(key, sizeof(key), "lang.%s", wk->langs[i]);
        int n = snprintf(speaks + o, sizeof(speaks) - o, "%s%s", i ? ", " : "", lb_str(b, key));
        if (n < 0 || (size_t)n >= sizeof(speaks) - o)
            break;
        o += (size_t)n;
    }
    i18n_format(out, cap, lb_str(b, "result.speaks"), "langs", speaks);
}

static void words_make(struct lb *b, const struct worker *wk, struct words *t)
{
    const struct flow *f = b->f;
    char n[16];
    *t = (struct words){.code = f->ticket.code[0] ? f->ticket.code : "—"};
    /* hubd's figures; unknown (hubd unreachable) means reception will tell them, never a
     * number the kiosk made up */
    snprintf(n, sizeof(n), "%d", f->ticket.wait_min);
    if (f->ticket.wait_min < 0)
        snprintf(t->wait, sizeof(t->wait), "%s", lb_str(b, "result.wait_unknown"));
    else
        i18n_format(t->wait, sizeof(t->wait),
                    i18n_plural(b->in->cat, "result.wait", f->ticket.wait_min), "n", n);
    snprintf(n, sizeof(n), "%d", f->ticket.position);
    if (f->ticket.position < 0)
        snprintf(t->ahead, sizeof(t->ahead), "%s", lb_str(b, "result.ahead_unknown"));
    else if (f->ticket.position == 0)
        snprintf(t->ahead, sizeof(t->ahead), "%s", lb_str(b, "result.next_up"));
    else
        i18n_format(t->ahead, sizeof(t->ahead),
                    i18n_plural(b->in->cat, "result.ahead", f->ticket.position), "n", n);
    if (f->name[0])
        i18n_format(t->thanks, sizeof(t->thanks), lb_str(b, "result.thanks"), "name", f->name);
    if (!wk)
        return;
    char desk[DIR_NAME_MAX], given[DIR_NAME_MAX];
    i18n_desk(b->in->cat, wk->desk, wk->desk_cy, desk, sizeof(desk));
    i18n_format(t->where, sizeof(t->where), lb_str(b, "result.where"), "desk", desk);
    speaks_line(b, wk, t->speaks, sizeof(t->speaks));
    t->helps = lb_str(b, lb_helps_key(wk->domain_mask));
    snprintf(given, sizeof(given), "%s", wk->name);
    char *sp = strchr(given, ' ');
    if (sp)
        *sp = '\0';
    i18n_format(t->seat, sizeof(t->seat), lb_str(b, "result.seat"), "first", given);
}

/* A text column: paragraphs and room, measured once at a width. */
struct texts {
    struct stack_text t[CARD_TEXTS_MAX];
    struct stack_child c[CARD_TEXTS_MAX];
    int n;
};

static void texts_add(struct texts *k, const char *id, enum role role, const char *text, int px,
                      bool bold)
{
    k->t[k->n++] = stack_para(id, role, ST_CARD, text, px, bold, AL_LEFT);
}

/* The worker's card: the avatar beside their name, what they help with and the languages they
 * speak (unless brief: those go in a card of their own), where to wait. */
struct card {
    struct texts words;
    int ip, dia, h;
};

static void card_measure(struct lb *b, const struct worker *wk, const struct words *t, int w,
                         bool brief, struct card *k)
{
    *k = (struct card){.ip = b->pad, .dia = b->T * AVATAR_NUM / AVATAR_DEN};
    int txw = w - k->dia - CARD_PADS * k->ip;
    struct texts *x = &k->words;
    texts_add(x, "worker-name", R_HEADING, wk->name, (int)lround(b->head * NAME_SCALE), true);
    texts_add(x, "", R_TEXT, NULL, b->gap / HALF, false);
    if (!brief) {
        texts_add(x, "helps", R_TEXT, t->helps, b->body, false);
        texts_add(x, "speaks", R_TEXT, t->speaks, b->body, false);
    }
    texts_add(x, "where", R_TEXT, t->where, b->body, true);
    texts_add(x, "", R_TEXT, NULL, b->gap - b->gap / HALF, false); /* the other half under it */
    stack_texts_measure(b, x->t, x->n, txw, x->c);
    k->h = stack_natural_h(x->c, x->n, 0) + 2 * k->ip;
    if (k->h < k->dia + 2 * k->ip)
        k->h = k->dia + 2 * k->ip;
}

static void card_place(struct lb *b, const struct worker *wk, const struct card *k, struct wrect r)
{
    struct stack_child side[] = {{k->dia, 0}, {r.w - k->dia - CARD_PADS * k->ip, 0}};
    struct wrect at[2], tr[CARD_TEXTS_MAX];
    lb_add(b, "worker-card", R_PANEL, ST_CARD, "", r, ACT_NONE, 0);
    stack_row(b, stack_inset(r, k->ip), k->ip, side, 2, at);
    lb_avatar(b, "avatar", wk, R(at[0].x, at[0].y, k->dia, k->dia));
    stack_column(b, at[1], 0, STACK_START, k->words.c, k->words.n, tr);
    stack_texts_place(b, k->words.t, k->words.n, tr);
}

/* What the worker helps with and the languages they speak, in a card of their own. */
static void details_measure(struct lb *b, const struct words *t, int w, struct texts *k)
{
    *k = (struct texts){.n = 0};
    texts_add(k, "helps", R_TEXT, t->helps, b->body, false);
    texts_add(k, "speaks", R_TEXT, t->speaks, b->body, false);
    stack_texts_measure(b, k->t, k->n, w - 2 * b->pad, k->c);
}

static void details_place(struct lb *b, const struct texts *k, struct wrect r)
{
    struct wrect tr[CARD_TEXTS_MAX];
    lb_add(b, "worker-details", R_PANEL, ST_CARD, "", r, ACT_NONE, 0);
    stack_column(b, stack_inset(r, b->pad), 0, STACK_START, k->c, k->n, tr);
    stack_texts_place(b, k->t, k->n, tr);
}

/* The row of the wait, the people ahead and the ticket (ROW_ALL), the ticket alone (ROW_TICKET)
 * or the wait and ahead alone (ROW_WAIT): its cells' widths and its height. */
enum row_parts { ROW_ALL, ROW_TICKET, ROW_WAIT };
struct row {
    enum row_parts parts;
    int ww, ow, h; /* the wait's cell (the ticket's alone), every other cell; the height */
};

/* The row's height with the wait's cell ww wide and the others ow: each text wrapped at its size
 * inside its cell's margins, at least min_h; a cell too narrow for its longest word (or the
 * ticket) counts as too tall when strict. */
static int row_h(struct lb *b, const struct words *t, enum row_parts parts, int ww, int ow,
                 int min_h, bool strict)
{
    int ip = b->gap, h = min_h, big = (int)lround(b->head * TICKET_SCALE);
    if (parts != ROW_TICKET) {
        int h1 = lb_text_h(b, t->wait, b->body, true, ww - 2 * ip) + 2 * ip;
        int h2 = lb_text_h(b, t->ahead, b->body, true, ow - 2 * ip) + 2 * ip;
        if (strict && (lb_widest_word(b, t->wait, b->body, true) > ww - 2 * ip ||
                       lb_widest_word(b, t->ahead, b->body, true) > ow - 2 * ip))
            return INT_MAX / 2;
        h = h1 > h ? h1 : h;
        h = h2 > h ? h2 : h;
    }
    if (parts != ROW_WAIT) {
        int tw = parts == ROW_ALL ? ow : ww;
        int h3 = lb_text_h(b, lb_str(b, "result.ticket"), b->small, false, tw - 2 * ip) +
                 lb_line_h(b, big, true) + 2 * ip;
        if (strict && parts == ROW_ALL && lb_widest_word(b, t->code, big, true) > tw - 2 * ip)
            return INT_MAX / 2;
        h = h3 > h ? h3 : h;
    }
    return h;
}

/* Measures the row w wide, at least min_h tall. The wait's cell may take more than its share,
 * so that a long wait (reception will say) wraps in fewer lines at body size rather than making
 * the row, and the screen, taller: up to where another cell keeps 2/3 of its width, or half
 * (ahead_half) when the wait and ahead are alone because the ticket is in the side column. */
static struct row row_measure(struct lb *b, const struct words *t, enum row_parts parts, int w,
                              int min_h, bool ahead_half)
{
    int cols = parts == ROW_ALL ? ROW_CELLS : parts == ROW_WAIT ? ROW_CELLS - 1 : 1;
    int cell = (w - (cols - 1) * b->gap) / cols;
    struct row r = {parts, cell, cell, row_h(b, t, parts, cell, cell, min_h, false)};
    int step = b->gap / HALF > WAIT_STEP_LEAST ? b->gap / HALF : WAIT_STEP_LEAST;
    for (int i = 1; parts != ROW_TICKET && i <= WAIT_STEPS; i++) {
        int cw = cell + i * step, ow = (w - cw - (cols - 1) * b->gap) / (cols - 1);
        if (ahead_half ? ow < cw * AHEAD_NUM / AHEAD_DEN : ow < cw * OTHER_NUM / OTHER_DEN)
            break;
        int h = row_h(b, t, parts, cw, ow, min_h, true);
        if (h < r.h)
            r = (struct row){parts, cw, ow, h};
    }
    return r;
}

/* The ticket's panel: what it is, and the code under it. */
static void ticket_place(struct lb *b, const struct words *t, struct wrect r)
{
    int ip = b->gap, big = (int)lround(b->head * TICKET_SCALE);
    struct wrect in = stack_inset(r, ip), at[2];
    const char *label = lb_str(b, "result.ticket");
    struct stack_child c[] = {{lb_text_h(b, label, b->small, false, in.w), 0}, {STACK_REST, 0}};
    lb_add(b, "ticket-card", R_PANEL, ST_TICKET, "", r, ACT_NONE, 0);
    stack_column(b, in, 0, STACK_START, c, 2, at);
    lb_para(b, "ticket-label", R_TEXT, ST_TICKET, label, at[0].x, at[0].y, at[0].w, b->small, false,
            AL_CENTER);
    struct widget *p = lb_add(b, "ticket", R_HEADING, ST_TICKET, t->code, at[1], ACT_NONE, 0);
    lb_fit(b, p, big, true, AL_CENTER, 0);
}

/* The wait's or the people ahead's panel, r, its words fitted inside its padding (a gap on every
 * side, as row_h measured them): the widget is made on the padded box, then given the panel's
 * rectangle, its text box staying inside. Until hubd's answer comes (a second at most) they
 * keep their size and show an ellipsis, so nothing jumps; the ticket is the kiosk's and shows
 * at once. */
static void figure_place(struct lb *b, const char *id, const char *text, struct wrect r)
{
    static const char soon[] = "\u2026";
    struct widget *p = lb_add(b, id, R_PANEL, ST_CARD, b->f->queue_pending ? soon : text,
                              stack_inset(r, b->gap), ACT_NONE, 0);
    lb_fit(b, p, b->body, true, AL_CENTER, 0);
    p->r = r;
    p->radius = (int)(PANEL_RADIUS * b->u);
}

static void row_place(struct lb *b, const struct words *t, const struct row *w, struct wrect r)
{
    struct stack_child c[] = {{w->ww, 0}, {w->ow, 0}, {w->ow, 0}};
    struct wrect at[ROW_CELLS];
    if (w->parts == ROW_TICKET) {
        ticket_place(b, t, r);
        return;
    }
    stack_row(b, r, b->gap, c, w->parts == ROW_ALL ? ROW_CELLS : ROW_CELLS - 1, at);
    figure_place(b, "wait", t->wait, at[0]);
    figure_place(b, "ahead", t->ahead, at[1]);
    if (w->parts == ROW_ALL)
        ticket_place(b, t, at[2]);
}

/* The QR code and what it is for, side by side. */
static void qr_place(struct lb *b, const char *payload, int q, struct wrect r)
{
    const char *cap = lb_str(b, "result.qr");
    struct stack_child c[] = {{q, 0}, {r.w - q - QR_CAPTION_GAPS * b->gap, 0}};
    struct wrect at[2];
    stack_row(b, r, QR_CAPTION_GAPS * b->gap, c, 2, at);
    lb_qr_widget(b, payload, R(at[0].x, at[0].y, q, q), false);
    int ch = lb_text_h(b, cap, b->body, false, at[1].w); /* centred on the code */
    lb_para(b, "qr-caption", R_TEXT, ST_MUTED, cap, at[1].x, at[1].y + (q - ch) / HALF, at[1].w,
            b->body, false, AL_LEFT);
}

/* The column of the result's parts, top to bottom. */
enum part_kind {
    P_TEXT,        /* a paragraph, or room (no text) */
    P_CARD,        /* the worker's card */
    P_CARD_TICKET, /* first things first: the brief card with the ticket beside it */
    P_ROW,         /* the wait, ahead and ticket row (or the wait and ahead) */
    P_DETAILS,     /* the worker's details card */
    P_QR,          /* the QR code and its caption */
    P_FIRST_END,   /* what comes before is on the first page */
};

/* The parts measured once, and the column they make. */
struct result {
    const struct worker *wk;
    struct words t;
    struct card card;
    struct texts details;
    struct row row, ticket;
    int cw, kw, q;
    bool ticket_side; /* the ticket beside its code in the side column */
    enum part_kind kind[PARTS_MAX];
    struct stack_text txt[PARTS_MAX];
    struct stack_child c[PARTS_MAX];
    int n, h;
};

static void col_part(struct result *m, enum part_kind kind, int h)
{
    m->kind[m->n] = kind;
    m->txt[m->n] = (struct stack_text){.text = NULL, .id = {0}};
    m->c[m->n++] = (struct stack_child){h, 0};
}

static void col_text(struct lb *b, struct result *m, const char *id, enum role role, enum style st,
                     const char *text, int px, bool bold)
{
    col_part(m, P_TEXT, px);
    m->txt[m->n - 1] = stack_para(id, role, st, text, px, bold, AL_LEFT);
    stack_texts_measure(b, &m->txt[m->n - 1], 1, m->cw, &m->c[m->n - 1]);
}

static void col_room(struct result *m, int px)
{
    col_part(m, P_TEXT, px);
}

static void col_thanks(struct lb *b, struct result *m)
{
    if (!m->t.thanks[0])
        return;
    col_text(b, m, "thanks", R_TEXT, ST_SCREEN, m->t.thanks, b->body, false);
    col_room(m, b->gap / HALF);
}

/* The words in their usual order: the thanks, who (or reception), where, the wait, ahead and the
 * ticket, the seat. */
static void col_usual(struct lb *b, struct result *m)
{
    col_thanks(b, m);
    if (!m->wk) {
        col_text(b, m, "title", R_HEADING, ST_SCREEN, lb_str(b, "result.reception_title"), b->head,
                 true);
        col_room(m, b->gap);
        col_text(b, m, "seat", R_TEXT, ST_SCREEN, lb_str(b, "result.reception_body"), b->body,
                 false);
        col_room(m, b->gap);
        col_part(m, P_ROW, m->row.h);
        return;
    }
    col_text(b, m, "title", R_TEXT, ST_MUTED, lb_str(b, "result.title"), b->body, false);
    col_room(m, b->gap / HALF);
    col_part(m, P_CARD, m->card.h);
    col_room(m, b->gap);
    col_part(m, P_ROW, m->row.h);
    col_room(m, b->gap);
    col_text(b, m, "seat", R_TEXT, ST_SCREEN, m->t.seat, b->body, false);
}

/* With bigger text short of room, first things first: who, where and the ticket on the first
 * page; how long, how many ahead, the thanks and what the worker helps with and speaks after. */
static void col_first_things(struct lb *b, struct result *m)
{
    if (!m->wk) {
        col_text(b, m, "title", R_HEADING, ST_SCREEN, lb_str(b, "result.reception_title"), b->head,
                 true);
        col_room(m, b->gap);
        col_part(m, P_ROW, m->row.h);
        col_room(m, b->gap);
        col_part(m, P_FIRST_END, 0);
        col_text(b, m, "seat", R_TEXT, ST_SCREEN, lb_str(b, "result.reception_body"), b->body,
                 false);
        col_room(m, b->gap);
        col_thanks(b, m);
        return;
    }
    int tw = (m->cw - (ROW_CELLS - 1) * b->gap) / TICKET_SHARE;
    m->kw = m->cw - tw - b->gap;
    card_measure(b, m->wk, &m->t, m->kw, true, &m->card);
    m->ticket = row_measure(b, &m->t, ROW_TICKET, tw, m->card.h, false);
    m->row = row_measure(b, &m->t, ROW_WAIT, m->cw, 0, false);
    details_measure(b, &m->t, m->cw, &m->details);
    col_text(b, m, "title", R_TEXT, ST_MUTED, lb_str(b, "result.title"), b->body, false);
    col_room(m, b->gap / HALF);
    col_part(m, P_CARD_TICKET, m->ticket.h); /* at least the card's height */
    col_room(m, b->gap);
    col_part(m, P_FIRST_END, 0);
    col_part(m, P_ROW, m->row.h);
    col_room(m, b->gap);
    col_thanks(b, m);
    col_part(m, P_DETAILS, stack_natural_h(m->details.c, m->details.n, 0) + 2 * b->pad);
    col_room(m, b->gap);
    col_text(b, m, "seat", R_TEXT, ST_SCREEN, m->t.seat, b->body, false);
}

/* Places the part i of the column in r. */
static void part_place(struct lb *b, struct result *m, int i, struct wrect r, const char *payload)
{
    switch (m->kind[i]) {
    case P_TEXT:
        stack_texts_place(b, &m->txt[i], 1, &r);
        break;
    case P_CARD:
        card_place(b, m->wk, &m->card, r);
        break;
    case P_CARD_TICKET: {
        struct stack_child c[] = {{m->kw, 0}, {STACK_SHARE, 0}};
        struct wrect at[2];
        stack_row(b, r, b->gap, c, 2, at);
        card_place(b, m->wk, &m->card, at[0]);
        row_place(b, &m->t, &m->ticket, at[1]);
        break;
    }
    case P_ROW:
        row_place(b, &m->t, &m->row, r);
        break;
    case P_DETAILS:
        details_place(b, &m->details, r);
        break;
    case P_QR:
        qr_place(b, payload, m->q, r);
        break;
    case P_FIRST_END:
        b->first_page_end = b->l->n;
        break;
    }
}

/* The side column's ticket and its QR code with what it is for beside it, in room px of
 * height sw wide: measured into m (the ticket, the code's size). Returns whether they fit,
 * with a code a phone can read. */
static bool side_measure(struct lb *b, struct result *m, int sw, int room)
{
    m->ticket = row_measure(b, &m->t, ROW_TICKET, sw, 0, false);
    int most = sw * QR_SHARE_NUM / QR_SHARE_DEN, q = room - m->ticket.h - b->gap;
    m->q = q < most ? q : most;
    int cap_h =
        lb_text_h(b, lb_str(b, "result.qr"), b->body, false, sw - m->q - QR_CAPTION_GAPS * b->gap);
    return m->q >= b->T * QR_SIDE_TARGETS && cap_h <= m->q;
}

/* Chooses the column from the measures: the usual order when it fits; on a wide screen short of
 * height, the ticket beside its code in the side column (the wait and ahead alone in the row);
 * else, with bigger text, first things first (they go on pages); else the usual order. Sets
 * m->ticket_side when the ticket went to the side. */
static void result_arrange(struct lb *b, struct result *m, bool side, int room, int sw, int side_h)
{
    if (m->wk)
        card_measure(b, m->wk, &m->t, m->cw, false, &m->card);
    struct row all = row_measure(b, &m->t, ROW_ALL, m->cw, 0, false);
    m->row = all;
    col_usual(b, m);
    if (stack_natural_h(m->c, m->n, 0) <= room)
        return;
    if (side && side_measure(b, m, sw, side_h)) {
        m->row = row_measure(b, &m->t, ROW_WAIT, m->cw, 0, true);
        m->n = 0;
        col_usual(b, m);
        m->ticket_side = stack_natural_h(m->c, m->n, 0) <= room;
        if (m->ticket_side)
            return;
    }
    m->n = 0;
    m->row = all;
    if (b->normal)
        col_first_things(b, m);
    else
        col_usual(b, m);
}

/* The side column's top, sw wide from x: the ticket, and its code with what it is for beside
 * it. */
static void side_place(struct lb *b, const struct result *m, const char *payload, int x, int top,
                       int sw)
{
    struct stack_child c[] = {{m->ticket.h, 0}, {m->q, 0}};
    struct wrect at[2];
    stack_column(b, R(x, top, sw, stack_natural_h(c, 2, b->gap)), b->gap, STACK_START, c, 2, at);
    ticket_place(b, &m->t, at[0]);
    qr_place(b, payload, m->q, at[1]);
}

void result_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = lb_topbar(b), first = b->l->n;
    /* landscape is short of height: Finish and help now go in a column at the right, the QR
     * code at the top of it when there is room for it there */
    bool side = b->landscape;
    int sw = lb_side_w(b), qx = lb_w(b) - b->pad - sw, side_h = lb_side_top(b) - b->gap - top;
    int avail = lb_w(b) - 2 * b->pad - (side ? sw + 2 * b->gap : 0);
    int cw = lb_col_w(b) < avail ? lb_col_w(b) : avail,
        cx = side ? b->pad + (avail - cw) / 2 : (lb_w(b) - cw) / 2;
    int bottom = side ? b->floor : lb_foot_top(b, FOOT_FINISH, false);
    struct result m = {.cw = cw};
    m.wk = f->match.worker >= 0 && d && f->match.worker < d->n_workers
               ? &d->workers[f->match.worker]
               : NULL;
    words_make(b, m.wk, &m.t);
    result_arrange(b, &m, side, bottom - top, sw, side_h);
    m.h = stack_natural_h(m.c, m.n, 0);
    char payload[WIDGET_TEXT_MAX];
    lb_qr_text(b, f->ticket.code, m.wk ? m.wk->name : NULL, m.wk ? m.wk->desk : NULL,
               m.wk ? m.wk->desk_cy : NULL, payload, sizeof(payload));
    int cap_h = lb_text_h(b, lb_str(b, "result.qr"), b->small, false, sw);
    int sq = side_h - cap_h - b->gap / HALF;
    sq = sq > sw ? sw : sq;
    bool qr_side = side && !m.ticket_side && sq >= b->T * QR_SIDE_TARGETS;
    if (!side || (b->normal && !qr_side && !m.ticket_side)) { /* under the words */
        int most = cw * QR_SHARE_NUM / QR_SHARE_DEN;
        m.q = b->T * QR_TARGETS < most ? b->T * QR_TARGETS : most;
        col_room(&m, b->gap);
        /* with bigger text it is never dropped: it may go on a page of its own */
        if (top + m.h + b->gap + m.q <= bottom || b->normal)
            col_part(&m, P_QR, m.q);
        m.h = stack_natural_h(m.c, m.n, 0);
    }
    /* placed once: words that fit sit a little above the middle of the room; bigger text that
     * does not goes on pages from the top */
    int room = bottom - top > m.h ? bottom - top : m.h;
    struct wrect r[PARTS_MAX];
    int y = stack_column(b, R(cx, top, cw, room), 0, STACK_RAISED, m.c, m.n, r);
    for (int i = 0; i < m.n; i++)
        part_place(b, &m, i, r[i], payload);
    y = lb_page(b, first, top, y, bottom, cx, cw);
    lb_check_bottom(b, y, bottom);
    if (m.ticket_side) {
        side_place(b, &m, payload, qx, top, sw);
    } else if (qr_side) {
        lb_qr_widget(b, payload, R(qx + (sw - sq) / HALF, top, sq, sq), false);
        lb_para(b, "qr-caption", R_TEXT, ST_MUTED, lb_str(b, "result.qr"), qx,
                top + sq + b->gap / HALF, sw, b->small, false, AL_CENTER);
    }
    if (side)
        lb_side_foot(b);
    else
        lb_foot(b, FOOT_FINISH, false);
}

bool result_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a != ACT_FINISH)
        return false;
    flow_finish(f, now_ms);
    return true;
}
