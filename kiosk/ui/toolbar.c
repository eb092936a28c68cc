/* toolbar.c — the bar every screen shows: language, listen, bigger text, high contrast, start
 * again; at the bottom of resident screens, at the top of staff ones. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"
#include "stack.h"

/* The bar every screen shows: language, speech, text size, contrast, start again. On resident
 * screens it is the bottom row, within reach from a wheelchair; on the staff screens the top.
 * On the welcome screen, where no language is chosen yet, each label is in every language. */
#define BAR_ITEMS     5
#define BAR_PX        16   /* the bar's labels at normal size, in size units */
#define BAR_TYPE_MOST 1.35 /* bigger text grows them this much at most */
#define BAR_LEAST     0.8  /* normal text: the labels a little smaller, to this, before they wrap */

struct bar_item {
    const char *id, *key;
    enum action a;
    bool on;
};

static void bar_label(struct lb *b, const struct bar_item *it, char *out, size_t cap)
{
    const struct flow *f = b->f;
    size_t o = 0;
    out[0] = '\0';
    if (it->on)
        o += (size_t)snprintf(out, cap, "\u2713\u00a0"); /* ✓: the on state, not only a colour */
    if (f->screen != SCR_WELCOME) {
        snprintf(out + o, cap - o, "%s", lb_str(b, it->key));
        return;
    }
    for (int i = 0; i < f->cfg.n_langs && o < cap; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        int n = snprintf(out + o, cap - o, "%s%s", i ? "\n" : "", i18n_get(c, it->key));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

/* One row of the bar: items [from, to), each its width, all h tall. */
struct bar_row {
    int from, to, h;
    int wd[BAR_ITEMS];
};

/* Lays out items [from, to) of the bar in one row avail wide at px: each label on one line when
 * they all fit so (the room left shared out), else each as wide as its longest word needs and
 * wrapped, at most lines_most lines. Returns false when that does not fit (lines_most 0: equal
 * widths, whatever it cuts). */
static bool bar_row(struct lb *b, const struct bar_item *it, char txt[][WIDGET_TEXT_MAX], int from,
                    int to, int avail, int px, int lines_most, struct bar_row *row)
{
    int n = to - from, ix = px * 6 / 10, iy = px / 5, sum = 0, lsum = 0;
    int least[BAR_ITEMS];
    bool ok = true;
    row->from = from;
    row->to = to;
    /* with bigger text the bar's rows are as tall as a target must be, no taller: they share
     * the screen with the content */
    row->h = b->normal && b->T > TARGET_MIN ? TARGET_MIN : b->T;
    avail -= (n - 1) * b->gap;
    for (int i = 0; i < n; i++) {
        bool bold = it[from + i].a == ACT_TOGGLE_LANG || it[from + i].on;
        row->wd[i] = lb_widest_line(b, txt[from + i], px, bold) + 2 * ix + 2 * b->gap;
        least[i] = lb_widest_word(b, txt[from + i], px, bold) + 2 * ix + 2 * b->gap;
        sum += row->wd[i];
        lsum += least[i];
    }
    if (sum <= avail) {
        for (int i = 0; i < n; i++)
            row->wd[i] += (avail - sum) / n;
    } else if (lsum <= avail && lines_most > 0) {
        for (int i = 0; i < n; i++)
            row->wd[i] = least[i] + (avail - lsum) / n;
    } else {
        for (int i = 0; i < n; i++)
            row->wd[i] = avail / n;
        ok = lines_most == 0;
    }
    for (int i = 0; i < n; i++) {
        bool bold = it[from + i].a == ACT_TOGGLE_LANG || it[from + i].on;
        int th = lb_text_h(b, txt[from + i], px, bold, row->wd[i] - 2 * ix);
        if (lines_most > 0 && th > lines_most * lb_line_h(b, px, bold))
            ok = false;
        row->h = th + 2 * iy > row->h ? th + 2 * iy : row->h;
    }
    return ok;
}

/* Shares room (px wide, over the least widths wd) out to the labels that wrap in the most
 * lines, a step at a time, up to their width on one line; what is left goes to all alike. */
static void share_room(struct lb *b, char txt[][WIDGET_TEXT_MAX], const struct bar_item *it, int n,
                       int px, int room, int *wd)
{
    int ix = px * 6 / 10, step = room / 48 > 2 ? room / 48 : 2;
    for (int k = 0; k < 512 && room >= step; k++) {
        int most = -1, most_h = 0;
        for (int i = 0; i < n; i++) {
            bool bold = it[i].a == ACT_TOGGLE_LANG;
            int full = lb_widest_line(b, txt[i], px, bold) + 2 * ix + 4;
            int h = lb_text_h(b, txt[i], px, bold, wd[i] - 2 * ix);
            if (wd[i] < full && h > most_h) {
                most = i;
                most_h = h;
            }
        }
        if (most < 0)
            break;
        wd[most] += step;
        room -= step;
    }
    for (int i = 0; i < n; i++)
        wd[i] += room / n;
}

/* Normal text: one row whatever it takes, the labels a little smaller (down to 4/5) before they
 * wrap to two lines (four on the welcome screen, two languages), cut when even that fails. */
static int bar_shrunk(struct lb *b, const struct bar_item *it, char txt[][WIDGET_TEXT_MAX], int n,
                      int avail, int px, bool welcome, struct bar_row *row)
{
    int floor_px = px * 4 / 5, sum = 0, eq;
    int *wd = row->wd;
    avail -= (n - 1) * b->gap;
    eq = avail / n;
    row->from = 0;
    row->to = n;
    row->h = b->T;
    for (;;) {
        sum = 0;
        bool wraps = false;
        for (int i = 0; i < n; i++) {
            wd[i] = lb_widest_line(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG) + 2 * (px * 6 / 10) +
                    2 * b->gap;
            sum += wd[i];
            wraps |= wd[i] > eq;
        }
        if (sum <= avail || !wraps || px <= floor_px)
            break;
        /* equal widths, labels on two lines: fine if every label fits so */
        bool ok = true;
        for (int i = 0; i < n && ok; i++)
            ok = lb_text_h(b, txt[i], px, false, eq - 2 * (px * 6 / 10)) <=
                 2 * lb_line_h(b, px, false) * (welcome ? 2 : 1);
        if (ok)
            break;
        px--;
    }
    if (sum <= avail) { /* each its own width, the room left shared out */
        int extra = (avail - sum) / n;
        for (int i = 0; i < n; i++)
            wd[i] += extra;
    } else { /* wrapped: each as wide as its longest word needs, the rest shared out */
        int least[BAR_ITEMS], lsum = 0;
        for (int i = 0; i < n; i++) {
            least[i] =
                lb_widest_word(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG) + 2 * (px * 6 / 10) + 4;
            lsum += least[i];
        }
        for (int i = 0; i < n; i++)
            wd[i] = lsum <= avail ? least[i] + (welcome ? 0 : (avail - lsum) / n) : eq;
        if (lsum <= avail && welcome) /* two languages a label: the room where it wraps most */
            share_room(b, txt, it, n, px, avail - lsum, wd);
    }
    for (int i = 0; i < n; i++) {
        int ix = px * 6 / 10, iy = px / 5;
        int h = lb_text_h(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG, wd[i] - 2 * ix) + 2 * iy;
        row->h = h > row->h ? h : row->h;
    }
    return px;
}

/* Normal text on the welcome screen, where each label is in every language: the labels each
 * language on a line of its own, in one row (a little smaller first, down to BAR_LEAST of
 * their size), else in two rows (the first the longer) at the size they keep so. Returns false
 * when even two rows would wrap a language's label. */
static bool bar_welcome(struct lb *b, const struct bar_item *it, char txt[][WIDGET_TEXT_MAX], int n,
                        int avail, int px0, int lines_most, struct bar_row *rows, int *n_rows,
                        int *px)
{
    int least = (int)lround(px0 * BAR_LEAST);
    for (*px = px0;; (*px)--) {
        *n_rows = 1;
        if (bar_row(b, it, txt, 0, n, avail, *px, lines_most, &rows[0]))
            return true;
        if (*px <= least)
            break;
    }
    for (*px = px0;; (*px)--) {
        *n_rows = 2;
        if (bar_row(b, it, txt, 0, (n + 1) / 2, avail, *px, lines_most, &rows[0]) &&
            bar_row(b, it, txt, (n + 1) / 2, n, avail, *px, lines_most, &rows[1]))
            return true;
        if (*px <= least)
            return false;
    }
}

int lb_topbar(struct lb *b)
{
    const struct flow *f = b->f;
    bool staff = f->screen == SCR_STAFF || f->screen == SCR_STAFF_PIN;
    bool welcome = f->screen == SCR_WELCOME;
    struct bar_item it[BAR_ITEMS];
    int n = 0;
    if (!welcome) /* the welcome screen has a button for each language */
        it[n++] = (struct bar_item){"lang-switch", "app.switch_lang", ACT_TOGGLE_LANG, false};
    if (!staff)
        it[n++] = (struct bar_item){"listen", "app.listen", ACT_LISTEN, f->speech};
    it[n++] = (struct bar_item){"text-size", "app.text_bigger", ACT_TEXT_SIZE, f->big_text};
    it[n++] = (struct bar_item){"contrast", "app.contrast", ACT_CONTRAST, f->high_contrast};
    it[n++] = (struct bar_item){"start-again", "app.start_again", ACT_START_AGAIN, false};
    char txt[BAR_ITEMS][WIDGET_TEXT_MAX];
    for (int i = 0; i < n; i++)
        bar_label(b, &it[i], txt[i], sizeof(txt[i]));
    int x0 = b->pad;
    if (welcome && strlen(f->cfg.staff_pin) >= 4)
        x0 = b->T * 3 / 2 + b->gap; /* the staff corner, bottom left */
    int avail = lb_w(b) - x0 - b->pad;
    /* bar labels grow with bigger text too, but less (BAR_TYPE_MOST): the bar stays one row
     * while it can; with bigger text, when its labels would have to be cut or made smaller than
     * normal, it takes two rows */
    int px0 = (int)lround(BAR_PX * b->u * (b->k > BAR_TYPE_MOST ? BAR_TYPE_MOST : b->k));
    int floor_px = b->normal ? lb_normal_px(b, "text-size", px0) : px0 * 4 / 5;
    floor_px = floor_px > 0 ? floor_px : px0 * 4 / 5;
    /* a label wraps to two lines at most; on the welcome screen one line a language */
    int langs = f->cfg.n_langs > 0 ? f->cfg.n_langs : 1;
    int lines_most = welcome ? langs : 2;
    struct bar_row rows[2];
    int n_rows = 1, px = px0;
    bool ok = false;
    if (!b->normal && welcome && n > 2) /* each language on a line: one row, then two */
        ok = bar_welcome(b, it, txt, n, avail, px0, lines_most, rows, &n_rows, &px);
    if (!b->normal && !ok) {
        n_rows = 1;
        px = bar_shrunk(b, it, txt, n, avail, px0, welcome, &rows[0]);
        ok = true;
    }
    /* on the staff status screen, with room below the bar, bigger text takes two rows of labels
     * at their full bigger size before one row of smaller ones */
    if (b->normal && f->screen == SCR_STAFF && n > 2) {
        n_rows = 2;
        ok = bar_row(b, it, txt, 0, (n + 1) / 2, avail, px0, lines_most, &rows[0]) &&
             bar_row(b, it, txt, (n + 1) / 2, n, avail, px0, lines_most, &rows[1]);
        n_rows = ok ? 2 : 1;
        px = px0;
    }
    for (px = ok ? px : px0; !ok; px--) {
        ok = bar_row(b, it, txt, 0, n, avail, px, lines_most, &rows[0]);
        if (ok || px <= floor_px)
            break;
    }
    /* two rows: labels on one line if that can be, the first row the longer */
    for (int pass = 0; !ok && b->normal && n > 2 && pass < 2; pass++) {
        int lines = pass ? lines_most : 1;
        n_rows = 2;
        for (px = px0;; px--) {
            ok = bar_row(b, it, txt, 0, (n + 1) / 2, avail, px, lines, &rows[0]) &&
                 bar_row(b, it, txt, (n + 1) / 2, n, avail, px, lines, &rows[1]);
            if (ok || px <= floor_px)
                break;
        }
    }
    if (!ok) { /* cut as it must be: equal widths at the least size */
        n_rows = 1;
        bar_row(b, it, txt, 0, n, avail, px, 0, &rows[0]);
    }
    /* the rows (a gap apart) in the panel, half its padding above them; each row's items side
     * by side at their widths, a gap apart */
    struct stack_child rc[2], ic[BAR_ITEMS];
    struct wrect rr[2], ir[BAR_ITEMS];
    for (int r = 0; r < n_rows; r++)
        rc[r] = (struct stack_child){rows[r].h, 0};
    int bar_h = b->pad + stack_natural_h(rc, n_rows, b->gap);
    int y_panel = staff ? 0 : lb_h(b) - bar_h;
    b->bar_first = b->l->n;
    struct widget *bar =
        lb_add(b, "toolbar", R_PANEL, ST_TOPBAR, "", R(0, y_panel, lb_w(b), bar_h), ACT_NONE, 0);
    bar->radius = 0;
    stack_column(b, R(x0, y_panel + b->pad / 2, avail, bar_h - b->pad), b->gap, STACK_START, rc,
                 n_rows, rr);
    for (int r = 0; r < n_rows; r++) {
        int k = rows[r].to - rows[r].from;
        for (int i = 0; i < k; i++)
            ic[i] = (struct stack_child){rows[r].wd[i], 0};
        stack_row(b, rr[r], b->gap, ic, k, ir);
        for (int i = rows[r].from; i < rows[r].to; i++) {
            struct widget *w = lb_button(
                b, it[i].id, R_BUTTON, it[i].on ? ST_TOGGLE_ON : ST_TOPBAR_BTN, txt[i],
                ir[i - rows[r].from], it[i].a, 0, px, it[i].a == ACT_TOGGLE_LANG || it[i].on);
            w->selected = it[i].on;
        }
    }
    b->bar_n = b->l->n - b->bar_first;
    b->floor = staff ? lb_h(b) - b->pad : y_panel - b->gap;
    return staff ? bar_h + b->pad : b->pad;
}
