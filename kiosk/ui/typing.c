/* typing.c — the screens with a keyboard (tell us, your name): title, field and keyboard, and
 * on the tell screen what was heard as chips; landscape puts the actions beside the keyboard,
 * portrait builds everything up from it, within reach. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"
#include "stack.h"

#define KEY_PX       20   /* a key's letter at most, in size units */
#define KEY_TYPE     0.42 /* a key's letter: this much of the key's height */
#define KEY_TYPE_BIG 0.55 /* with bigger text */
/* the landscape tell field with bigger text: the lines of its words it tries to show */
#define FIELD_LINES_BIG 2

static void keyboard(struct lb *b, int x, int y, int w, int kh, int kg)
{
    const struct osk *k = &b->f->osk;
    double unit = (w - 9.0 * kg) / OSK_WIDTH + kg;
    /* with bigger text the letters take more of the key: the keys keep their size */
    int px = (int)lround(fmin(kh * (b->normal ? KEY_TYPE_BIG : KEY_TYPE), KEY_PX * b->u * b->k));
    for (int row = 0; row < OSK_ROWS; row++) {
        double cum = 0;
        int ry = y + row * (kh + kg);
        for (int col = 0; col < osk_row_len(k, row); col++) {
            struct osk_key_view v;
            osk_key(k, row, col, &v);
            int x0 = x + (int)lround(cum * unit);
            int x1 = x + (int)lround((cum + v.units) * unit) - kg;
            cum += v.units;
            const char *label = v.label_key ? lb_str(b, v.label_key) : v.label;
            enum style st = v.kind == OSK_CHAR || v.kind == OSK_SPACE ? ST_KEY
                            : v.on                                    ? ST_KEY_ON
                                                                      : ST_KEY_MOD;
            struct widget *kw = lb_button(b, v.id, R_KEY, st, label, R(x0, ry, x1 - x0, kh),
                                          ACT_KEY, osk_pack(row, col), px, false);
            kw->selected = v.on;
        }
    }
}

/* A chip's height: a target, and a line of its words. */
static int chip_h(struct lb *b)
{
    int h = lb_line_h(b, b->body, true) + 2 * (b->body / 5);
    return h > b->T ? h : b->T;
}

/* The label over the chips: what was heard, and how to take one off. */
static void heard_label(struct lb *b, char *out, size_t cap)
{
    const struct flow *f = b->f;
    if (f->route.n_needs == 0)
        out[0] = '\0';
    else
        snprintf(out, cap, "%s %s", lb_str(b, "tell.heard"), lb_str(b, "tell.heard_hint"));
}

static int heard_h(struct lb *b, int w)
{
    char t[WIDGET_TEXT_MAX];
    heard_label(b, t, sizeof(t));
    int h = lb_text_h(b, t[0] ? t : "x", b->small, false, w);
    return h + b->gap / 2;
}

/* A chip's label: a need taken off carries a cross, not only a paler fill. */
static void chip_text(struct lb *b, int need, char *out, size_t cap)
{
    char key[I18N_KEY_MAX];
    snprintf(key, sizeof(key), "need.%s", b->f->deps.tax->needs[need].id);
    snprintf(out, cap, "%s%s", b->f->need_off[need] ? "\u2715\u00a0" : "", lb_str(b, key));
}

/* A chip's width for text on one line: its words at body size, bold, and the chip's insets. */
static int chip_w(struct lb *b, const char *text)
{
    return lb_text_w(b, text, b->body, true) + 2 * (b->body * 6 / 10) + 2;
}

/* "More" as a chip in r, showing page arg. */
static void more_chip(struct lb *b, const char *text, struct wrect r, int arg)
{
    struct widget *m =
        lb_button(b, "chip-more", R_CHIP, ST_QUIET, text, r, ACT_CHIP_MORE, arg, b->body, true);
    m->radius = r.h / 2;
}

/* What the chips of what was heard will be, decided from their measures before anything is
 * placed (chips_plan), then placed once (chips_place). */
struct chip_plan {
    char label[WIDGET_TEXT_MAX]; /* the words over the chips */
    int x, y, w, label_h, label_gap;
    bool none;     /* nothing heard: the label and a chip's room, no chips */
    bool on_extra; /* a page of the caller's, after every page of chips: only "More" */
    int n, cur, ch, gap;
    int need[ROUTE_MAX_NEEDS];
    struct wrect r[ROUTE_MAX_NEEDS]; /* each chip on this page (w 0: on another page) */
    char text[ROUTE_MAX_NEEDS][WIDGET_TEXT_MAX];
    bool more;           /* "More" shows */
    char more_text[64];  /* "More (n)", or "More" on to the caller's page */
    struct wrect more_r; /* where */
    int more_arg;        /* the page it shows */
    int more_w;          /* its width when it goes under the chips (more_under) */
    int end;             /* the y below the chips */
};

/* "More (n)" into out. */
static void more_count(struct lb *b, char *out, size_t cap, int n)
{
    char num[16];
    snprintf(num, sizeof(num), "%d", n);
    i18n_format(out, cap, lb_str(b, "tell.more"), "n", num);
}

/* The plan of chips for the needs the router recognised, max_rows rows a page; when they do not
 * all fit, the last place holds "More (n)", which shows the next page (nothing is dropped).
 * limit: with bigger text, the y the chips end above (0: none), so that a chip squeezed beside
 * "More" grows no taller than the room (its words then come down toward, never below, their
 * normal size). more_under (a narrow column, where no chip fits beside "More"): the chips have
 * their rows to themselves and "More" goes on the row under them, more_gap below, at its right
 * end and a button tall, Next beside it (p->more_w is its width, 0: no "More"). extra (only with
 * more_under and something heard): pages after the chips' own, with none of them and no label,
 * for the caller to fill (p->on_extra: whether this is one of them). */
static void chips_plan(struct lb *b, struct chip_plan *p, int x, int y, int w, int max_rows,
                       int limit, int more_gap, bool more_under, int extra)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    int ch = chip_h(b), gap = b->gap / 2;
    memset(p, 0, sizeof(*p));
    p->x = x;
    p->w = w;
    p->gap = gap;
    p->label_gap = gap;
    heard_label(b, p->label, sizeof(p->label));
    if (f->route.n_needs == 0 || !tax || !more_under)
        extra = 0;
    if (f->route.n_needs == 0 || !tax) {
        p->none = true;
        p->y = y;
        p->label_h = lb_text_h(b, p->label, b->small, false, w);
        p->end = y + p->label_h + gap + ch; /* keep the room, so nothing jumps while typing */
        return;
    }
    int cw[ROUTE_MAX_NEEDS], n = 0;
    for (int i = 0; i < f->route.n_needs && n < ROUTE_MAX_NEEDS; i++) {
        int nd = f->route.needs[i].need;
        if (nd < 0 || nd >= tax->n)
            continue;
        p->need[n] = nd;
        chip_text(b, nd, p->text[n], sizeof(p->text[n]));
        cw[n] = chip_w(b, p->text[n]);
        cw[n] = cw[n] > w ? w : cw[n];
        n++;
    }
    p->n = n;
    /* pages: fill rows greedily; a page that is not the last keeps room for "More" */
    char more[64];
    int page_of[ROUTE_MAX_NEEDS], row_of[ROUTE_MAX_NEEDS], x_of[ROUTE_MAX_NEEDS], pages = 1;
    more_count(b, more, sizeof(more), n);
    int mw = chip_w(b, more);
    for (int pass = 0; pass < 2; pass++) {
        int page = 0, row = 0, cx = x;
        /* with "More" on a row of its own, the chips have the rows above it */
        bool beside = pass && pages > 1 && !more_under;
        for (int i = 0; i < n; i++) {
            bool last_row = row == max_rows - 1;
            int room = x + w - cx - (beside && last_row ? mw + gap : 0);
            if (cx > x && cw[i] > room) {
                row++;
                cx = x;
                if (row >= max_rows) {
                    page++;
                    row = 0;
                }
                last_row = row == max_rows - 1;
                room = x + w - cx - (beside && last_row ? mw + gap : 0);
            }
            if (cw[i] > room && room > 0)
                cw[i] = room; /* a long need alone beside "More": it wraps */
            page_of[i] = page;
            row_of[i] = row;
            x_of[i] = cx;
            cx += cw[i] + gap;
        }
        pages = page + 1;
        if (pages == 1)
            break;
    }
    int total = pages + extra;
    if (f->chip_page >= pages && f->chip_page < total) {
        /* a page of the caller's, after every page of chips: "More" leads back to the first */
        p->on_extra = true;
        p->more = true;
        snprintf(p->more_text, sizeof(p->more_text), "%s", more);
        p->more_r = R(x + w - mw, y, mw, b->btn_h);
        p->more_arg = (f->chip_page + 1) % total;
        p->more_w = mw;
        p->end = y - more_gap;
        return;
    }
    p->y = y;
    p->label_h = lb_text_h(b, p->label, b->small, false, w);
    y += p->label_h + gap;
    int cur = f->chip_page < pages ? f->chip_page : 0, rows = 1, left = 0, endx = x;
    /* with bigger text a chip squeezed beside "More" keeps its words' size: its row grows */
    for (int i = 0; b->normal && i < n; i++) {
        int ix = b->body * 6 / 10, iy = b->body / 5;
        int need_h = lb_text_h(b, p->text[i], b->body, true, cw[i] - 2 * ix) + 2 * iy;
        if (page_of[i] == cur && need_h > ch &&
            lb_widest_word(b, p->text[i], b->body, true) <= cw[i] - 2 * ix)
            ch = need_h;
    }
    if (b->normal && limit > 0) {
        int cap = (limit - y + gap) / max_rows - gap, least = chip_h(b);
        if (ch > cap)
            ch = cap > least ? cap : least;
    }
    p->cur = cur;
    p->ch = ch;
    for (int i = 0; i < n; i++) {
        if (page_of[i] != cur) {
            left += page_of[i] > cur;
            continue;
        }
        p->r[i] = R(x_of[i], y + row_of[i] * (ch + gap), cw[i], ch);
        rows = row_of[i] + 1 > rows ? row_of[i] + 1 : rows;
        if (row_of[i] == max_rows - 1 && x_of[i] + cw[i] + gap > endx)
            endx = x_of[i] + cw[i] + gap;
    }
    if (total > 1 && more_under) {
        if (cur + 1 < pages || extra == 0)
            more_count(b, p->more_text, sizeof(p->more_text), cur + 1 < pages ? left : n);
        else /* on to the caller's page: no needs there to count */
            snprintf(p->more_text, sizeof(p->more_text), "%s", lb_str(b, "app.more"));
        int w2 = chip_w(b, p->more_text);
        p->end = y + rows * (ch + gap) - gap;
        p->more = true;
        p->more_r = R(x + w - w2, p->end + more_gap, w2, b->btn_h);
        p->more_arg = (cur + 1) % total;
        p->more_w = w2;
        return;
    }
    if (pages > 1) {
        more_count(b, p->more_text, sizeof(p->more_text), cur + 1 < pages ? left : n);
        int w2 = chip_w(b, p->more_text);
        int my = y + (max_rows - 1) * (ch + gap);
        if (rows < max_rows)
            endx = x;
        p->more = true;
        p->more_r = R(endx + w2 > x + w ? x + w - w2 : endx, my, w2, ch);
        p->more_arg = (cur + 1) % pages;
        rows = max_rows;
    }
    p->end = y + rows * (ch + gap) - gap;
}

/* The chips as planned; returns the y below them. */
static int chips_place(struct lb *b, const struct chip_plan *p)
{
    const struct flow *f = b->f;
    if (!p->on_extra)
        lb_para(b, "heard", R_TEXT, ST_MUTED, p->label, p->x, p->y, p->w, b->small, false, AL_LEFT);
    for (int i = 0; !p->none && !p->on_extra && i < p->n; i++) {
        if (p->r[i].w == 0)
            continue; /* on another page */
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "chip-%s", f->deps.tax->needs[p->need[i]].id);
        bool on = !f->need_off[p->need[i]];
        struct widget *c = lb_button(b, id, R_CHIP, on ? ST_CHIP_ON : ST_CHIP, p->text[i], p->r[i],
                                     ACT_CHIP, p->need[i], b->body, on);
        c->selected = on;
        c->radius = p->ch / 2;
    }
    if (p->more)
        more_chip(b, p->more_text, p->more_r, p->more_arg);
    return p->end;
}

/* Chips planned and placed (chips_plan); *more_w and *on_extra, when not NULL, as there. */
static int chips(struct lb *b, int x, int y, int w, int max_rows, int limit, int more_gap,
                 int *more_w, int extra, bool *on_extra)
{
    struct chip_plan p;
    chips_plan(b, &p, x, y, w, max_rows, limit, more_gap, more_w != NULL, extra);
    if (more_w)
        *more_w = p.more_w;
    if (on_extra)
        *on_extra = p.on_extra;
    return chips_place(b, &p);
}

/* The height a chip of what was heard needs when it does not fit on one line beside "More" in a
 * column w wide (its words wrapped there), or 0 when every one fits. at_normal: with bigger text,
 * the least it needs, its words at their normal size (chips() with a limit). */
static int chips_squeezed(struct lb *b, int w, bool at_normal)
{
    int most = 0;
    const struct flow *f = b->f;
    char text[WIDGET_TEXT_MAX], more[64];
    i18n_format(more, sizeof(more), lb_str(b, "tell.more"), "n", "9");
    int room = w - chip_w(b, more) - b->gap;
    for (int i = 0; f->deps.tax && i < f->route.n_needs; i++) {
        int nd = f->route.needs[i].need;
        if (nd < 0 || nd >= f->deps.tax->n)
            continue;
        chip_text(b, nd, text, sizeof(text));
        if (chip_w(b, text) > room) {
            char id[WIDGET_ID_MAX];
            snprintf(id, sizeof(id), "chip-%s", f->deps.tax->needs[nd].id);
            int px = at_normal ? lb_normal_px(b, id, b->body) : b->body;
            px = px > 0 && px < b->body ? px : b->body;
            int h = lb_text_h(b, text, px, true, room - 2 * (px * 6 / 10)) + 2 * (px / 5);
            most = h > most ? h : most;
        }
    }
    return most;
}

/* The height of the tallest chip of what was heard in a row of its own w wide (its words
 * wrapped there when they do not fit on a line), at least chip_h. */
static int chips_tallest(struct lb *b, int w)
{
    const struct flow *f = b->f;
    int most = chip_h(b), ix = b->body * 6 / 10, iy = b->body / 5;
    char text[WIDGET_TEXT_MAX];
    for (int i = 0; f->deps.tax && i < f->route.n_needs; i++) {
        int nd = f->route.needs[i].need;
        if (nd < 0 || nd >= f->deps.tax->n)
            continue;
        chip_text(b, nd, text, sizeof(text));
        if (chip_w(b, text) > w) {
            int h = lb_text_h(b, text, b->body, true, w - 2 * ix) + 2 * iy;
            most = h > most ? h : most;
        }
    }
    return most;
}

/* How many rows of chips fit in avail px (with the label above them counted by the caller);
 * at_normal as for chips_squeezed. */
static int chip_rows(struct lb *b, int avail, int w, bool at_normal)
{
    int ch = chip_h(b), squeezed = b->normal ? chips_squeezed(b, w, at_normal) : 0;
    ch = squeezed > ch ? squeezed : ch; /* a chip beside "More", its words wrapped */
    return (avail + b->gap / 2) / (ch + b->gap / 2);
}

/* A full-width button whose height grows with its wrapped text. */
static int tall_button(struct lb *b, const char *id, enum style st, const char *text, int x, int y,
                       int w, enum action a, int extra)
{
    int h = lb_tall_h(b, text, w, extra);
    lb_button(b, id, R_BUTTON, st, text, R(x, y, w, h), a, 0, b->body, st == ST_PRIMARY);
    return h;
}

/* The tell screen's Next: greyed until something is typed. */
static void next_button(struct lb *b, struct wrect r, bool empty)
{
    struct widget *nx = lb_button(b, "next", R_BUTTON, empty ? ST_DISABLED : ST_PRIMARY,
                                  lb_str(b, "app.next"), r, ACT_NEXT, 0, b->body, true);
    nx->disabled = empty;
}

/* The words over the field: the title and the line under it (what to type, or why the name is
 * asked), a column measured once (words_measure, at the sizes given) and placed once where the
 * screen puts it (words_place). Its height counts the gap under it. */
enum { WORDS_N = 4 };
struct words {
    struct stack_text t[WORDS_N];
    struct stack_child c[WORDS_N];
    int h;
};

static void words_measure(struct lb *b, struct words *k, bool tell, int head, int sub_px, int w)
{
    *k = (struct words){.h = 0};
    k->t[0] = stack_para("title", R_HEADING, ST_SCREEN,
                         lb_str(b, tell ? "tell.title" : "name.title"), head, true, AL_LEFT);
    k->t[1] = stack_room(b->gap / 2);
    k->t[2] = stack_para("subtitle", R_TEXT, ST_MUTED,
                         lb_str(b, tell ? "tell.subtitle" : "name.why"), sub_px, false, AL_LEFT);
    k->t[3] = stack_room(b->gap);
    stack_texts_measure(b, k->t, WORDS_N, w, k->c);
    k->h = stack_natural_h(k->c, WORDS_N, 0);
}

/* The words at y, w wide; returns the y under them (and their gap). */
static int words_place(struct lb *b, const struct words *k, int x, int y, int w)
{
    struct wrect r[WORDS_N];
    int end = stack_column(b, R(x, y, w, k->h), 0, STACK_START, k->c, WORDS_N, r);
    stack_texts_place(b, k->t, WORDS_N, r);
    return end;
}

/* Screens with the keyboard: title, hint and field above it; actions beside (landscape) or
 * between (portrait). */
static void keyboard_landscape(struct lb *b, bool tell)
{
    const struct flow *f = b->f;
    int y0 = lb_topbar(b);
    int kh = b->T, kg = (int)lround(6 * b->u), kb_h = 4 * kh + 3 * kg;
    int kb_w = lb_w(b) - 2 * b->pad;
    if (b->landscape) { /* keyboard on the left, actions on the right; keys never below T */
        kb_w = (lb_w(b) - 3 * b->pad) * 62 / 100;
        if (kb_w < OSK_WIDTH * b->T + (OSK_WIDTH - 1) * kg)
            kb_w = OSK_WIDTH * b->T + (OSK_WIDTH - 1) * kg;
    }
    int kb_x = b->pad, kb_y = b->floor - kb_h;

    struct words words;
    words_measure(b, &words, tell, b->head, b->body, kb_w);
    if (b->normal && b->landscape && tell) {
        /* with bigger text the field keeps FIELD_LINES_BIG lines of its words above the
         * keyboard: the words over it come back toward (never below) their normal size first,
         * the title then the line under it, and then the gaps close (below) */
        int field_least = FIELD_LINES_BIG * lb_line_h(b, b->body, false) + 2 * (b->body * 3 / 10);
        if (y0 + words.h + field_least + b->gap > kb_y)
            words_measure(b, &words, tell, b->type_n.head, b->body, kb_w);
        if (y0 + words.h + field_least + b->gap > kb_y)
            words_measure(b, &words, tell, b->type_n.head, b->type_n.body, kb_w);
    }
    int y = words_place(b, &words, b->pad, y0, kb_w);
    const char *val = tell ? f->text : f->name;
    bool empty = val[0] == '\0';
    int lh = lb_line_h(b, b->body, false);
    int fh = tell ? lh * 3 + b->body : lh + b->body;
    int fgap = b->gap; /* between the field and the keyboard */
    if (b->landscape && tell) {
        fh = kb_y - fgap - y;
        /* with bigger text the field keeps its lines (at least one): the gaps over and under it
         * close for them, the one over it up to a quarter, the one under it up to half */
        int want = FIELD_LINES_BIG * lh + 2 * (b->body * 3 / 10); /* and its insets */
        for (int k = 0; b->normal && k < 2 && fh < want; k++) {
            int most = k == 0 ? b->gap * 3 / 4 : b->gap / 2;
            int take = want - fh < most ? want - fh : most;
            if (k == 0)
                y -= take;
            else
                fgap -= take;
            fh += take;
        }
    }
    if (fh < b->T)
        fh = b->T;
    struct widget *fw =
        lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
               empty ? lb_str(b, tell ? "tell.placeholder" : "name.placeholder") : val,
               R(b->pad, y, kb_w, fh), ACT_NONE, 0);
    lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
    fw->caret = true;
    y += fh + fgap;

    int sx = b->pad, sw = kb_w, sy = y, bottom = kb_y - b->gap;
    if (b->landscape) {
        lb_check_bottom(b, y - fgap, kb_y);
        sx = 2 * b->pad + kb_w;
        sw = lb_w(b) - 3 * b->pad - kb_w;
        sy = y0;
        bottom = b->floor;
    }
    /* with bigger text on a wide screen the actions' column may be short of height: its words
     * at their normal size then (the keys and the words over the field keep theirs) */
    /* with bigger text there, a chip that would be squeezed beside "More" keeps the column's
     * width: "More" goes on the row under the chips, beside Next */
    bool more_row = b->normal && b->landscape && tell && chips_squeezed(b, sw, false) > 0;
    if (b->normal && b->landscape && tell) {
        const char *tt = lb_str(b, "tell.topics"), *tk = lb_str(b, "tell.know");
        int need = heard_h(b, sw) + chip_h(b) + b->btn_h + lb_tall_h(b, tt, sw, 0) +
                   lb_tall_h(b, tk, sw, 0) + b->help_h + 4 * b->gap;
        if (need > bottom - sy)
            lb_use_type(b, true);
    }
    /* "I need help now": at the foot of the actions, just above the keyboard in portrait (a
     * clear gap from its top row), at the bottom of the action column in landscape */
    int hw = lb_help_now_w(b), hh = b->help_h;
    hw = b->landscape || hw > sw ? sw : hw < sw / 2 ? sw / 2 : hw;
    int hy = b->landscape ? bottom - hh : kb_y - 2 * b->gap - hh, hx = sx + sw - hw;
    bottom = hy - b->gap;
    if (tell) {
        const char *tt = lb_str(b, "tell.topics"), *tk = lb_str(b, "tell.know");
        int label = heard_h(b, sw), sp = b->gap, air = b->gap;
        int rows = 0;
        bool low_next = false;
        /* two rows of what was heard should show: on a landscape screen short of height, first
         * closer together, then Next down beside help now (a clear gap between them), but not
         * with bigger text, where help now's words would get small: there the chips that do not
         * fit still count, and the check screen lists them all */
        int nw =
            lb_text_w(b, lb_str(b, "app.next"), b->body, true) + 2 * (b->body * 6 / 10) + b->gap;
        for (int mode = 0; mode < 3; mode++) {
            sp = mode ? b->gap / 2 : b->gap;
            air = mode ? 0 : b->gap;
            low_next = mode == 2;
            int below = lb_tall_h(b, tt, sw, air) + lb_tall_h(b, tk, sw, air) + 2 * sp +
                        (low_next ? 0 : b->btn_h + sp);
            int grow = low_next && b->normal ? lb_help_now_h(b, sw - 2 * b->gap - nw) - hh : 0;
            rows =
                more_row && !low_next
                    ? (bottom - sy - below - label + b->gap / 2) / (chip_h(b) + b->gap / 2)
                    : chip_rows(b, bottom - (grow > 0 ? grow : 0) - sy - below - label, sw, false);
            if (rows >= 2 || !b->landscape || (mode == 1 && b->big && !b->normal) ||
                (rows >= 1 && b->normal)) /* bigger text: one row, and "More" */
                break;
        }
        /* Next beside help now (when the modes chose it): help now narrower, and taller when
         * its words need more lines there */
        int low_hw = hw, low_hx = hx, low_hy = hy, low_hh = hh, low_bottom = bottom;
        if (low_next) {
            low_hw = sw - 2 * b->gap - nw;
            low_hx = sx + nw + 2 * b->gap;
            if (b->normal && lb_help_now_h(b, low_hw) > hh) { /* its words on more lines */
                low_hh = lb_help_now_h(b, low_hw);
                low_hy -= low_hh - hh;
                low_bottom = low_hy - b->gap;
            }
        }
        more_row = more_row && !low_next; /* "More" beside Next */
        struct chip_plan cp;
        chips_plan(b, &cp, sx, sy, sw, rows < 1 ? 1 : rows > 3 ? 3 : rows, 0, sp, more_row, 0);
        int below = cp.end + sp + (low_next ? 0 : b->btn_h + sp) + lb_tall_h(b, tt, sw, air) + sp +
                    lb_tall_h(b, tk, sw, air);
        /* Next beside help now and still too tall: the other ways move instead (apart) */
        bool apart = low_next && b->normal && f->route.n_needs > 0 && below > low_bottom;
        if (!apart) {
            hw = low_hw;
            hx = low_hx;
            hy = low_hy;
            hh = low_hh;
            bottom = low_bottom;
            int mw = cp.more_w;
            sy = chips_place(b, &cp) + sp;
            if (!low_next) {
                next_button(b, R(sx, sy, mw ? sw - mw - b->gap / 2 : sw, b->btn_h), empty);
                sy += b->btn_h + sp;
            }
            sy += tall_button(b, "topics", ST_QUIET, tt, sx, sy, sw, ACT_TOPICS, air) + sp;
            sy += tall_button(b, "know", ST_QUIET, tk, sx, sy, sw, ACT_KNOW, air);
            if (low_next)
                next_button(b, R(sx, hy, nw, hh), empty);
        } else {
            /* with bigger text, a column too short for a row of what was heard as well as the
             * other ways in, even with Next beside help now: those get a page of their own, after
             * the chips' pages and behind their "More" (beside Next, which stays on every page);
             * nothing there shrinks */
            sp = b->gap / 2;
            air = 0;
            int mw = 0;
            bool other = false;
            /* the chips have the column's width here: as many rows as its room holds */
            rows = (bottom - sy - (b->btn_h + sp) - label + b->gap / 2) /
                   (chips_tallest(b, sw) + b->gap / 2);
            sy = chips(b, sx, sy, sw,
                       rows < 1   ? 1
                       : rows > 3 ? 3
                                  : rows,
                       0, sp, &mw, 1, &other) +
                 sp;
            next_button(b, R(sx, sy, sw - mw - b->gap / 2, b->btn_h), empty);
            sy += b->btn_h;
            if (other) {
                sy += tall_button(b, "topics", ST_QUIET, tt, sx, sy + b->gap, sw, ACT_TOPICS, air) +
                      b->gap;
                sy += tall_button(b, "know", ST_QUIET, tk, sx, sy + b->gap, sw, ACT_KNOW, air) +
                      b->gap;
            }
        }
    } else {
        int half = (sw - b->gap) / 2;
        if (b->landscape) {
            lb_button(b, "next", R_BUTTON, ST_PRIMARY, lb_str(b, "app.next"),
                      R(sx, sy, sw, b->btn_h), ACT_NEXT, 0, b->body, true);
            sy += b->btn_h + b->gap;
            lb_button(b, "skip", R_BUTTON, ST_SECONDARY, lb_str(b, "name.skip"),
                      R(sx, sy, sw, b->btn_h), ACT_SKIP, 0, b->body, false);
            sy += b->btn_h;
        } else {
            lb_button(b, "skip", R_BUTTON, ST_SECONDARY, lb_str(b, "name.skip"),
                      R(sx, sy, half, b->btn_h), ACT_SKIP, 0, b->body, false);
            lb_button(b, "next", R_BUTTON, ST_PRIMARY, lb_str(b, "app.next"),
                      R(sx + half + b->gap, sy, half, b->btn_h), ACT_NEXT, 0, b->body, true);
            sy += b->btn_h;
        }
    }
    lb_check_bottom(b, sy, bottom);
    lb_help_now(b, R(hx, hy, hw, hh));
    lb_use_type(b, false);
    keyboard(b, kb_x, kb_y, kb_w, kh, kg); /* after the words and actions in reading order */
}

/* Like tall_h, at px. */
static int tall_h_px(struct lb *b, const char *text, int w, int extra, int px)
{
    int ix = px * 6 / 10, iy = px / 5;
    int h = lb_text_h(b, text, px, false, w - 2 * ix) + 2 * iy + extra;
    return h < b->btn_h ? b->btn_h : h;
}

/* Portrait: everything to touch in the lower 60%, built up from the keyboard: the keyboard,
 * above it Next beside "I need help now" (Next never moves), then the other ways in side by
 * side, then what was heard; the words and the field above, settled down against them. */
static void keyboard_portrait(struct lb *b, bool tell)
{
    const struct flow *f = b->f;
    int y0 = lb_topbar(b), x = b->pad, cw = lb_w(b) - 2 * b->pad, reach = lb_reach_top(b);
    int kh = b->T > TARGET_MIN ? (b->T * 85 / 100 > TARGET_MIN ? b->T * 85 / 100 : TARGET_MIN)
                               : b->T; /* >= 88 px */
    int kg = (int)lround(6 * b->u);
    int kb_h = 4 * kh + 3 * kg, kb_y = b->floor - kb_h;
    const char *val = tell ? f->text : f->name;
    bool empty = val[0] == '\0';
    int hh = b->help_h, row1 = kb_y - 2 * b->gap - hh;
    const char *nx = lb_str(b, "app.next");
    int nw = lb_text_w(b, nx, b->body, true) + 2 * (b->body * 6 / 10) + 2 * b->gap;
    nw = nw < b->T * 3 ? b->T * 3 : nw;
    struct words words;
    words_measure(b, &words, tell, b->head, b->body, cw);
    int y = y0 + words.h; /* where the words end, before they settle down */
    int lh = lb_line_h(b, b->body, false);
    /* the tell field shows three lines (two with bigger text: the keyboard keeps its room) */
    int fh = tell ? lh * (b->normal ? 2 : 3) + b->body : lh + b->body;
    fh = fh < b->T ? b->T : fh;
    if (!tell) { /* the field just above Back, Skip and Next */
        int row2 = row1 - b->gap - b->btn_h, fy = row2 - b->gap - fh;
        /* the words settled down toward the field, a gap over it */
        int dy = fy - b->gap - y > 0 ? fy - b->gap - y : 0;
        words_place(b, &words, x, y0 + dy, cw);
        y = fy > y ? fy : y;
        struct widget *fw =
            lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
                   empty ? lb_str(b, "name.placeholder") : val, R(x, y, cw, fh), ACT_NONE, 0);
        lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
        fw->caret = true;
        y += fh + b->gap;
        lb_check_bottom(b, y, row2);
        int bw = b->T * 3, third = (cw - bw - 2 * b->gap) / 2;
        lb_button(b, "back", R_BUTTON, ST_SECONDARY, lb_str(b, "app.back"),
                  R(x, row2, bw, b->btn_h), ACT_BACK, 0, b->body, false);
        lb_button(b, "skip", R_BUTTON, ST_SECONDARY, lb_str(b, "name.skip"),
                  R(x + bw + b->gap, row2, third, b->btn_h), ACT_SKIP, 0, b->body, false);
        lb_button(b, "next", R_BUTTON, ST_PRIMARY, nx,
                  R(x + bw + 2 * b->gap + third, row2, cw - bw - 2 * b->gap - third, b->btn_h),
                  ACT_NEXT, 0, b->body, true);
        lb_help_now(b, R(x, row1, cw, hh));
        keyboard(b, x, kb_y, cw, kh, kg);
        return;
    }
    int field_y = y;
    y += fh + b->gap;
    /* the other ways in, side by side; with bigger text their words may come back toward
     * (never below) normal size so that a row of what was heard still fits */
    const char *tt = lb_str(b, "tell.topics"), *tk = lb_str(b, "tell.know");
    int half = (cw - b->gap) / 2, normal = (int)lround(18 * b->u), px = b->body, th = 0;
    /* the chips within reach; the words over them (no control) may sit above that line */
    int heard = heard_h(b, cw), rows = 0;
    int low = b->normal ? reach - heard : reach, cy = y > low ? y : low;
    for (;;) {
        int a = tall_h_px(b, tt, half, b->gap / 2, px), c = tall_h_px(b, tk, half, b->gap / 2, px);
        th = a > c ? a : c;
        rows = chip_rows(b, row1 - b->gap - th - b->gap - cy - heard, cw, true);
        if (rows >= 1 || px <= normal)
            break;
        px = px - 2 < normal ? normal : px - 2;
    }
    int row2 = row1 - b->gap - th;
    rows = rows < 1 ? 1 : rows > 3 ? 3 : rows;
    /* the words and the field above, settled down against what was heard */
    int dy = cy - y > 0 ? cy - y : 0;
    words_place(b, &words, x, y0 + dy, cw);
    struct widget *fw = lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
                               empty ? lb_str(b, "tell.placeholder") : val,
                               R(x, field_y + dy, cw, fh), ACT_NONE, 0);
    lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
    fw->caret = true;
    int end = chips(b, x, cy, cw, rows, row2 - b->gap / 2, 0, NULL, 0, NULL);
    lb_check_bottom(b, end, row2 - b->gap / 2);
    lb_button(b, "topics", R_BUTTON, ST_QUIET, tt, R(x, row2, half, th), ACT_TOPICS, 0, px, false);
    lb_button(b, "know", R_BUTTON, ST_QUIET, tk, R(x + half + b->gap, row2, cw - half - b->gap, th),
              ACT_KNOW, 0, px, false);
    next_button(b, R(x, row1, nw, hh), empty);
    lb_help_now(b, R(x + nw + b->gap, row1, cw - nw - b->gap, hh));
    keyboard(b, x, kb_y, cw, kh, kg);
}

void lb_typing_screen(struct lb *b, bool tell)
{
    if (b->landscape)
        keyboard_landscape(b, tell);
    else
        keyboard_portrait(b, tell);
}
