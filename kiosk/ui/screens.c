/* screens.c — what each kiosk screen holds and where: welcome, tell us, topics, people, check,
 * name, consent, result, urgent, done, and the idle prompt over any of them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

#define R(x, y, w, h) ((struct wrect){(x), (y), (w), (h)})

static int W(struct lb *b)
{
    return b->in->w;
}

static int H(struct lb *b)
{
    return b->in->h;
}

/* Width of the reading column, centred. */
static int col_w(struct lb *b)
{
    int base = W(b) < H(b) ? W(b) : H(b);
    int w = W(b) - 2 * b->pad, cap = base * 3 / 2;
    return w < cap ? w : cap;
}

/* Moves widgets [first, n) down so the block [top, y) sits a little above the middle of
 * [top, bottom). */
static void centre_block(struct lb *b, int first, int top, int y, int bottom)
{
    int dy = (bottom - y) * 2 / 5;
    if (dy <= 0 || top >= y)
        return;
    for (int i = first; i < b->l->n; i++) {
        b->l->wg[i].r.y += dy;
        b->l->wg[i].box.y += dy;
    }
}

static void check_bottom(struct lb *b, int y, int bottom)
{
    if (y > bottom)
        b->overflow = true;
}

/* The bar every screen shows: language, speech, text size, contrast, start again. On resident
 * screens it is the bottom row, within reach from a wheelchair; on the staff screens the top.
 * On the welcome screen, where no language is chosen yet, each label is in every language. */
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

/* The widest line of a label. */
static int widest_line(struct lb *b, const char *text, int px, bool bold)
{
    char line[WIDGET_TEXT_MAX];
    int widest = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        int w = lb_text_w(b, line, px, bold);
        widest = w > widest ? w : widest;
        p += n + (e ? 1 : 0);
    }
    return widest;
}

/* The widest word of a label. */
static int longest_word(struct lb *b, const char *text, int px, bool bold)
{
    char word[WIDGET_TEXT_MAX];
    int widest = 0;
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \n");
        if (!n)
            break;
        snprintf(word, sizeof(word), "%.*s", (int)n, p);
        int w = lb_text_w(b, word, px, bold);
        widest = w > widest ? w : widest;
        p += n;
    }
    return widest;
}

static int topbar(struct lb *b)
{
    const struct flow *f = b->f;
    bool staff = f->screen == SCR_STAFF || f->screen == SCR_STAFF_PIN;
    bool welcome = f->screen == SCR_WELCOME;
    struct bar_item it[5];
    int n = 0;
    if (!welcome) /* the welcome screen has a button for each language */
        it[n++] = (struct bar_item){"lang-switch", "app.switch_lang", ACT_TOGGLE_LANG, false};
    if (!staff)
        it[n++] = (struct bar_item){"listen", "app.listen", ACT_LISTEN, f->speech};
    it[n++] = (struct bar_item){"text-size", "app.text_bigger", ACT_TEXT_SIZE, f->big_text};
    it[n++] = (struct bar_item){"contrast", "app.contrast", ACT_CONTRAST, f->high_contrast};
    it[n++] = (struct bar_item){"start-again", "app.start_again", ACT_START_AGAIN, false};
    char txt[5][WIDGET_TEXT_MAX];
    for (int i = 0; i < n; i++)
        bar_label(b, &it[i], txt[i], sizeof(txt[i]));
    int x0 = b->pad;
    if (welcome && strlen(f->cfg.staff_pin) >= 4)
        x0 = b->T * 3 / 2 + b->gap; /* the staff corner, bottom left */
    int avail = W(b) - x0 - b->pad - (n - 1) * b->gap;
    /* bar labels grow with bigger text too, but less: the bar must stay one row */
    int px = (int)lround(16 * b->u * (b->k > 1.25 ? 1.25 : b->k)), floor_px = px * 4 / 5;
    int wd[5], sum = 0, bh = b->T, eq = avail / n;
    for (;;) {
        sum = 0;
        bool wraps = false;
        for (int i = 0; i < n; i++) {
            wd[i] = widest_line(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG) + 2 * (px * 6 / 10) +
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
        int least[5], lsum = 0;
        for (int i = 0; i < n; i++) {
            least[i] =
                longest_word(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG) + 2 * (px * 6 / 10) + 4;
            lsum += least[i];
        }
        for (int i = 0; i < n; i++)
            wd[i] = lsum <= avail ? least[i] + (avail - lsum) / n : eq;
    }
    for (int i = 0; i < n; i++) {
        int ix = px * 6 / 10, iy = px / 5;
        int h = lb_text_h(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG, wd[i] - 2 * ix) + 2 * iy;
        bh = h > bh ? h : bh;
    }
    int bar_h = bh + b->pad, y_panel = staff ? 0 : H(b) - bar_h;
    b->bar_first = b->l->n;
    struct widget *bar =
        lb_add(b, "toolbar", R_PANEL, ST_TOPBAR, "", R(0, y_panel, W(b), bar_h), ACT_NONE, 0);
    bar->radius = 0;
    int x = x0, y = y_panel + b->pad / 2;
    for (int i = 0; i < n; i++) {
        struct widget *w =
            lb_button(b, it[i].id, R_BUTTON, it[i].on ? ST_TOGGLE_ON : ST_TOPBAR_BTN, txt[i],
                      R(x, y, wd[i], bh), it[i].a, 0, px, it[i].a == ACT_TOGGLE_LANG || it[i].on);
        w->selected = it[i].on;
        x += wd[i] + b->gap;
    }
    b->bar_n = b->l->n - b->bar_first;
    b->floor = staff ? H(b) - b->pad : y_panel - b->gap;
    return staff ? bar_h + b->pad : b->pad;
}

int lb_topbar(struct lb *b)
{
    return topbar(b);
}

/* First letters of the first and last words, UTF-8 aware. */
static void initials(const char *name, char *out, size_t cap)
{
    const char *first = name, *last = NULL;
    for (const char *p = name; *p; p++)
        if (*p == ' ' && p[1] && p[1] != ' ')
            last = p + 1;
    size_t o = 0;
    const char *parts[2] = {first, last};
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i];
        if (!p || !*p)
            continue;
        size_t n = 1;
        while (p[n] && ((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        if (o + n + 1 > cap)
            break;
        memcpy(out + o, p, n);
        o += n;
    }
    out[o] = '\0';
}

static void avatar(struct lb *b, const char *id, const struct worker *wk, struct wrect r)
{
    char ini[16];
    initials(wk->name, ini, sizeof(ini));
    struct widget *a = lb_add(b, id, R_AVATAR, avatar_style(wk->name), ini, r, ACT_NONE, 0);
    lb_fit(b, a, r.h * 2 / 5, true, AL_CENTER, 0);
}

static void keyboard(struct lb *b, int x, int y, int w, int kh, int kg)
{
    const struct osk *k = &b->f->osk;
    double unit = (w - 9.0 * kg) / OSK_WIDTH + kg;
    int px = (int)lround(fmin(kh * 0.42, 20 * b->u * b->k));
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

/* Chips for the needs the router recognised, max_rows rows a page; when they do not all fit,
 * the last place holds "More (n)", which shows the next page (nothing is dropped). Returns the
 * y below them. */
static int chips(struct lb *b, int x, int y, int w, int max_rows)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    int ch = b->T, gap = b->gap / 2;
    char label[WIDGET_TEXT_MAX];
    heard_label(b, label, sizeof(label));
    y += lb_para(b, "heard", R_TEXT, ST_MUTED, label, x, y, w, b->small, false, AL_LEFT) + gap;
    if (f->route.n_needs == 0 || !tax)
        return y + ch; /* keep the room, so nothing jumps while typing */
    int need[ROUTE_MAX_NEEDS], cw[ROUTE_MAX_NEEDS], n = 0;
    char text[ROUTE_MAX_NEEDS][WIDGET_TEXT_MAX];
    for (int i = 0; i < f->route.n_needs && n < ROUTE_MAX_NEEDS; i++) {
        int nd = f->route.needs[i].need;
        if (nd < 0 || nd >= tax->n)
            continue;
        need[n] = nd;
        chip_text(b, nd, text[n], sizeof(text[n]));
        cw[n] = lb_text_w(b, text[n], b->body, true) + 2 * (b->body * 6 / 10) + 2;
        cw[n] = cw[n] > w ? w : cw[n];
        n++;
    }
    /* pages: fill rows greedily; a page that is not the last keeps room for "More" */
    char more[64], num[16];
    int page_of[ROUTE_MAX_NEEDS], row_of[ROUTE_MAX_NEEDS], x_of[ROUTE_MAX_NEEDS], pages = 1;
    for (int pass = 0; pass < 2; pass++) {
        int page = 0, row = 0, cx = x;
        snprintf(num, sizeof(num), "%d", n);
        i18n_format(more, sizeof(more), lb_str(b, "tell.more"), "n", num);
        int mw = lb_text_w(b, more, b->body, true) + 2 * (b->body * 6 / 10) + 2;
        for (int i = 0; i < n; i++) {
            bool last_row = row == max_rows - 1;
            int room = x + w - cx - (pass && pages > 1 && last_row ? mw + gap : 0);
            if (cx > x && cw[i] > room) {
                row++;
                cx = x;
                if (row >= max_rows) {
                    page++;
                    row = 0;
                }
                last_row = row == max_rows - 1;
                room = x + w - cx - (pass && pages > 1 && last_row ? mw + gap : 0);
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
    int cur = f->chip_page < pages ? f->chip_page : 0, rows = 1, left = 0, endx = x;
    for (int i = 0; i < n; i++) {
        if (page_of[i] != cur) {
            left += page_of[i] > cur;
            continue;
        }
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "chip-%s", tax->needs[need[i]].id);
        bool on = !f->need_off[need[i]];
        struct widget *c = lb_button(b, id, R_CHIP, on ? ST_CHIP_ON : ST_CHIP, text[i],
                                     R(x_of[i], y + row_of[i] * (ch + gap), cw[i], ch), ACT_CHIP,
                                     need[i], b->body, on);
        c->selected = on;
        c->radius = ch / 2;
        rows = row_of[i] + 1 > rows ? row_of[i] + 1 : rows;
        if (row_of[i] == max_rows - 1 && x_of[i] + cw[i] + gap > endx)
            endx = x_of[i] + cw[i] + gap;
    }
    if (pages > 1) {
        snprintf(num, sizeof(num), "%d", cur + 1 < pages ? left : n);
        i18n_format(more, sizeof(more), lb_str(b, "tell.more"), "n", num);
        int mw = lb_text_w(b, more, b->body, true) + 2 * (b->body * 6 / 10) + 2;
        int my = y + (max_rows - 1) * (ch + gap);
        if (rows < max_rows)
            endx = x;
        struct widget *m = lb_button(b, "chip-more", R_CHIP, ST_QUIET, more,
                                     R(endx + mw > x + w ? x + w - mw : endx, my, mw, ch),
                                     ACT_CHIP_MORE, (cur + 1) % pages, b->body, true);
        m->radius = ch / 2;
        rows = max_rows;
    }
    return y + rows * (ch + gap) - gap;
}

/* The height of a button of width w holding text, with extra px of air around it. */
static int tall_h(struct lb *b, const char *text, int w, int extra)
{
    int ix = b->body * 6 / 10, iy = b->body / 5;
    int h = lb_text_h(b, text, b->body, false, w - 2 * ix) + 2 * iy + extra;
    return h < b->btn_h ? b->btn_h : h;
}

/* A full-width button whose height grows with its wrapped text. */
static int tall_button(struct lb *b, const char *id, enum style st, const char *text, int x, int y,
                       int w, enum action a, int extra)
{
    int h = tall_h(b, text, w, extra);
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

/* How many rows of chips fit in avail px (with the label above them counted by the caller). */
static int chip_rows(struct lb *b, int avail)
{
    return (avail + b->gap / 2) / (b->T + b->gap / 2);
}

/* Screens with the keyboard: title, hint and field above it; actions beside (landscape) or
 * between (portrait). */
static void keyboard_landscape(struct lb *b, bool tell)
{
    const struct flow *f = b->f;
    int y0 = topbar(b);
    int kh = b->T, kg = (int)lround(6 * b->u), kb_h = 4 * kh + 3 * kg;
    int kb_w = W(b) - 2 * b->pad;
    if (b->landscape) { /* keyboard on the left, actions on the right; keys never below T */
        kb_w = (W(b) - 3 * b->pad) * 62 / 100;
        if (kb_w < OSK_WIDTH * b->T + (OSK_WIDTH - 1) * kg)
            kb_w = OSK_WIDTH * b->T + (OSK_WIDTH - 1) * kg;
    }
    int kb_x = b->pad, kb_y = b->floor - kb_h;

    int y = y0;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, tell ? "tell.title" : "name.title"),
                 b->pad, y, kb_w, b->head, true, AL_LEFT) +
         b->gap / 2;
    y += lb_para(b, "subtitle", R_TEXT, ST_MUTED, lb_str(b, tell ? "tell.subtitle" : "name.why"),
                 b->pad, y, kb_w, b->body, false, AL_LEFT) +
         b->gap;
    const char *val = tell ? f->text : f->name;
    bool empty = val[0] == '\0';
    int lh = lb_line_h(b, b->body, false);
    int fh = tell ? lh * 3 + b->body : lh + b->body;
    if (b->landscape && tell)
        fh = kb_y - b->gap - y;
    if (fh < b->T)
        fh = b->T;
    struct widget *fw =
        lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
               empty ? lb_str(b, tell ? "tell.placeholder" : "name.placeholder") : val,
               R(b->pad, y, kb_w, fh), ACT_NONE, 0);
    lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
    fw->caret = true;
    y += fh + b->gap;

    int sx = b->pad, sw = kb_w, sy = y, bottom = kb_y - b->gap;
    if (b->landscape) {
        check_bottom(b, y - b->gap, kb_y);
        sx = 2 * b->pad + kb_w;
        sw = W(b) - 3 * b->pad - kb_w;
        sy = y0;
        bottom = b->floor;
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
        for (int mode = 0; mode < 3; mode++) {
            sp = mode ? b->gap / 2 : b->gap;
            air = mode ? 0 : b->gap;
            low_next = mode == 2;
            int below = tall_h(b, tt, sw, air) + tall_h(b, tk, sw, air) + 2 * sp +
                        (low_next ? 0 : b->btn_h + sp);
            rows = chip_rows(b, bottom - sy - below - label);
            if (rows >= 2 || !b->landscape || (mode == 1 && b->f->big_text))
                break;
        }
        int nw =
            lb_text_w(b, lb_str(b, "app.next"), b->body, true) + 2 * (b->body * 6 / 10) + b->gap;
        if (low_next) {
            hw = sw - 2 * b->gap - nw;
            hx = sx + nw + 2 * b->gap;
        }
        sy = chips(b, sx, sy, sw, rows < 1 ? 1 : rows > 3 ? 3 : rows) + sp;
        if (!low_next) {
            next_button(b, R(sx, sy, sw, b->btn_h), empty);
            sy += b->btn_h + sp;
        }
        sy += tall_button(b, "topics", ST_QUIET, tt, sx, sy, sw, ACT_TOPICS, air) + sp;
        sy += tall_button(b, "know", ST_QUIET, tk, sx, sy, sw, ACT_KNOW, air);
        if (low_next)
            next_button(b, R(sx, hy, nw, hh), empty);
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
    check_bottom(b, sy, bottom);
    lb_help_now(b, R(hx, hy, hw, hh));
    keyboard(b, kb_x, kb_y, kb_w, kh, kg); /* after the words and actions in reading order */
}

/* The top of reach: on a portrait screen every control starts at or below this y (the lower
 * 60%, within reach from a wheelchair); on a landscape one, anywhere. */
static int reach_top(struct lb *b)
{
    return b->landscape ? 0 : H(b) * 2 / 5;
}

/* Moves widgets [first, last) down so their block, which ends at y, ends at to. */
static void settle_range(struct lb *b, int first, int last, int y, int to)
{
    int dy = to - y;
    for (int i = first; dy > 0 && i < last && i < b->l->n; i++) {
        b->l->wg[i].r.y += dy;
        b->l->wg[i].box.y += dy;
    }
}

static void settle(struct lb *b, int first, int y, int to)
{
    settle_range(b, first, b->l->n, y, to);
}

/* Where a screen's controls start after its words (which end at y, from widget first): on a
 * portrait screen at the top of reach, the words settled down just above them. */
static int reach_from(struct lb *b, int first, int y)
{
    int reach = reach_top(b);
    if (y >= reach)
        return y;
    settle(b, first, y, reach);
    return reach;
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
    int y0 = topbar(b), x = b->pad, cw = W(b) - 2 * b->pad, reach = reach_top(b);
    int kh = b->T > 88 ? (b->T * 85 / 100 > 88 ? b->T * 85 / 100 : 88) : b->T; /* >= 88 px */
    int kg = (int)lround(6 * b->u), kb_h = 4 * kh + 3 * kg, kb_y = b->floor - kb_h;
    const char *val = tell ? f->text : f->name;
    bool empty = val[0] == '\0';
    int hh = b->help_h, row1 = kb_y - 2 * b->gap - hh;
    const char *nx = lb_str(b, "app.next");
    int nw = lb_text_w(b, nx, b->body, true) + 2 * (b->body * 6 / 10) + 2 * b->gap;
    nw = nw < b->T * 3 ? b->T * 3 : nw;
    int first = b->l->n, y = y0;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, tell ? "tell.title" : "name.title"), x,
                 y, cw, b->head, true, AL_LEFT) +
         b->gap / 2;
    y += lb_para(b, "subtitle", R_TEXT, ST_MUTED, lb_str(b, tell ? "tell.subtitle" : "name.why"), x,
                 y, cw, b->body, false, AL_LEFT) +
         b->gap;
    int lh = lb_line_h(b, b->body, false);
    int fh = tell ? lh * 3 + b->body : lh + b->body;
    fh = fh < b->T ? b->T : fh;
    if (!tell) { /* the field just above Back, Skip and Next */
        int row2 = row1 - b->gap - b->btn_h, fy = row2 - b->gap - fh;
        settle(b, first, y, fy - b->gap);
        y = fy > y ? fy : y;
        struct widget *fw =
            lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
                   empty ? lb_str(b, "name.placeholder") : val, R(x, y, cw, fh), ACT_NONE, 0);
        lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
        fw->caret = true;
        y += fh + b->gap;
        check_bottom(b, y, row2);
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
    struct widget *fw =
        lb_add(b, "field", R_FIELD, empty ? ST_PLACEHOLDER : ST_FIELD,
               empty ? lb_str(b, "tell.placeholder") : val, R(x, y, cw, fh), ACT_NONE, 0);
    lb_fit(b, fw, b->body, false, AL_LEFT, FIT_TAIL);
    fw->caret = true;
    y += fh + b->gap;
    /* the other ways in, side by side; with bigger text their words may come back toward
     * (never below) normal size so that a row of what was heard still fits */
    const char *tt = lb_str(b, "tell.topics"), *tk = lb_str(b, "tell.know");
    int half = (cw - b->gap) / 2, normal = (int)lround(18 * b->u), px = b->body, th = 0;
    int cy = y > reach ? y : reach, heard = heard_h(b, cw), rows = 0;
    for (;;) {
        int a = tall_h_px(b, tt, half, b->gap / 2, px), c = tall_h_px(b, tk, half, b->gap / 2, px);
        th = a > c ? a : c;
        rows = chip_rows(b, row1 - b->gap - th - b->gap - cy - heard);
        if (rows >= 1 || px <= normal)
            break;
        px = px - 2 < normal ? normal : px - 2;
    }
    int row2 = row1 - b->gap - th;
    rows = rows < 1 ? 1 : rows > 3 ? 3 : rows;
    int words = b->l->n, end = chips(b, x, cy, cw, rows);
    check_bottom(b, end, row2 - b->gap / 2);
    /* the words above, settled down against what was heard */
    settle_range(b, first, words, y - b->gap, cy - b->gap);
    lb_button(b, "topics", R_BUTTON, ST_QUIET, tt, R(x, row2, half, th), ACT_TOPICS, 0, px, false);
    lb_button(b, "know", R_BUTTON, ST_QUIET, tk, R(x + half + b->gap, row2, cw - half - b->gap, th),
              ACT_KNOW, 0, px, false);
    next_button(b, R(x, row1, nw, hh), empty);
    lb_help_now(b, R(x + nw + b->gap, row1, cw - nw - b->gap, hh));
    keyboard(b, x, kb_y, cw, kh, kg);
}

static void keyboard_screen(struct lb *b, bool tell)
{
    if (b->landscape)
        keyboard_landscape(b, tell);
    else
        keyboard_portrait(b, tell);
}

static void welcome(struct lb *b)
{
    lb_add(b, "welcome", R_BACKDROP, ST_SCREEN, "", R(0, 0, W(b), H(b)), ACT_BEGIN, 0);
    int y0 = topbar(b);
    const struct flow *f = b->f;
    int cw = col_w(b), cx = (W(b) - cw) / 2, n = f->cfg.n_langs;
    int big = (int)lround(b->body * 2.6), th = 0;
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        th += lb_text_h(b, i18n_get(c, "welcome.title"), big, true, cw);
        th += lb_text_h(b, i18n_get(c, "welcome.tap"), b->body, false, cw);
    }
    th += (n + 1) * b->gap * 2 + b->btn_h * 3 / 2;
    int bottom = b->floor - lb_staff_notice(b); /* the notice to staff, when there is one */
    int help_bottom = bottom;
    bottom = lb_help_now_low(b, help_bottom, false) - b->gap * 2;
    int y = y0 + (bottom - y0 - th) / 2;
    if (!b->landscape) /* within reach: the words just above the buttons, low on the screen */
        y = bottom - th;
    if (y < y0)
        y = y0;
    int top[FLOW_LANGS_MAX + 1];
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        top[i] = y;
        snprintf(id, sizeof(id), "title-%s", f->cfg.langs[i]);
        y += lb_para(b, id, R_HEADING, ST_SCREEN, i18n_get(c, "welcome.title"), cx, y, cw, big,
                     true, AL_CENTER);
        snprintf(id, sizeof(id), "tap-%s", f->cfg.langs[i]);
        y += lb_para(b, id, R_TEXT, ST_MUTED, i18n_get(c, "welcome.tap"), cx, y, cw, b->body, false,
                     AL_CENTER) +
             b->gap * 2;
    }
    top[n] = y;
    /* each language's words start that language when tapped: the screen is shared out between
     * them, half way to the next block (the rest of the screen starts the first) */
    for (int i = 0; i < n; i++) {
        char id[WIDGET_ID_MAX];
        int from = i == 0 ? 0 : (top[i] + top[i] - b->gap) / 2, to = top[i + 1] - b->gap;
        if (i + 1 < n)
            to = (top[i + 1] + top[i + 1] - b->gap) / 2;
        snprintf(id, sizeof(id), "start-%s", f->cfg.langs[i]);
        lb_add(b, id, R_BACKDROP, ST_SCREEN, "", R(0, from, W(b), to - from), ACT_SET_LANG, i);
    }
    int bw = (cw - (n - 1) * b->gap * 2) / (n > 0 ? n : 1);
    if (bw > b->T * 5)
        bw = b->T * 5;
    int bx = (W(b) - (n * bw + (n - 1) * b->gap * 2)) / 2, bh = b->btn_h * 3 / 2;
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "lang-%s", f->cfg.langs[i]);
        lb_button(b, id, R_BUTTON, ST_PRIMARY, i18n_get(c, "lang.self"), R(bx, y, bw, bh),
                  ACT_SET_LANG, i, (int)lround(b->body * 1.2), true);
        bx += bw + b->gap * 2;
    }
    check_bottom(b, y + bh, bottom);
    lb_help_now_low(b, help_bottom, true);
    lb_staff_corner(b);
}

/* A grid of tiles between y and the back button. */
struct tile_def {
    char id[WIDGET_ID_MAX];
    const char *text;
    enum action a;
    int arg;
};

/* A grid of tiles between y and bottom, at most max_h tall each; returns the y below it. */
static int tiles(struct lb *b, int y, int bottom, const struct tile_def *t, int n, int cols,
                 enum style st, int max_h)
{
    int rows = (n + cols - 1) / cols;
    int gw = W(b) - 2 * b->pad;
    int tw = (gw - (cols - 1) * b->gap) / cols;
    int th = (bottom - y - (rows - 1) * b->gap) / rows;
    if (th > max_h)
        th = max_h;
    if (th < b->T) {
        th = b->T;
        b->overflow = true;
    }
    int px = (int)lround(b->body * 1.1);
    for (int i = 0; i < n; i++) {
        int c = i % cols, r = i / cols;
        lb_button(b, t[i].id, R_TILE, st, t[i].text,
                  R(b->pad + c * (tw + b->gap), y + r * (th + b->gap), tw, th), t[i].a, t[i].arg,
                  px, true);
    }
    return y + rows * th + (rows - 1) * b->gap;
}

/* The urgent needs a resident can tap among the topics, in this order. */
static const char *const urgent_topics[] = {"homeless_tonight", "in_danger", "medical_emergency"};
#define N_URGENT_TOPICS ((int)(sizeof(urgent_topics) / sizeof(urgent_topics[0])))

/* The tiles for things that cannot wait, under their heading, from y; each as tall as its
 * words need (one row in landscape, one a row in portrait). Returns the height; with build false
 * only measures. */
static int urgent_tiles(struct lb *b, int y, bool build)
{
    const struct taxonomy *tax = b->f->deps.tax;
    struct tile_def u[N_URGENT_TOPICS];
    int n = 0, cw = W(b) - 2 * b->pad, px = (int)lround(b->body * 1.1);
    for (int i = 0; tax && i < N_URGENT_TOPICS; i++) {
        int need = needs_find(tax, urgent_topics[i]);
        if (need < 0 || !tax->needs[need].urgent)
            continue;
        char key[I18N_KEY_MAX];
        snprintf(key, sizeof(key), "urgent_topic.%s", urgent_topics[i]);
        snprintf(u[n].id, sizeof(u[n].id), "urgent-%s", urgent_topics[i]);
        u[n].text = lb_str(b, key);
        u[n].a = ACT_URGENT_TOPIC;
        u[n].arg = need;
        n++;
    }
    if (n == 0)
        return 0;
    int cols = b->landscape ? n : 1, rows = (n + cols - 1) / cols;
    int tw = (cw - (cols - 1) * b->gap) / cols, th = b->T;
    for (int i = 0; i < n; i++) {
        int need =
            lb_text_h(b, u[i].text, px, true, tw - 2 * (px * 6 / 10)) + 2 * (px / 5) + b->gap;
        th = need > th ? need : th;
    }
    const char *head = lb_str(b, "topics.urgent");
    int hh = lb_text_h(b, head, b->body, true, cw) + b->gap / 2;
    int h = hh + rows * th + (rows - 1) * b->gap;
    if (!build)
        return h;
    lb_para(b, "urgent-title", R_HEADING, ST_SCREEN, head, b->pad, y, cw, b->body, true, AL_LEFT);
    tiles(b, y + hh, y + h, u, n, cols, ST_URGENT_TILE, th);
    return h;
}

static void topics(struct lb *b)
{
    const struct flow *f = b->f;
    int y = topbar(b), cw = W(b) - 2 * b->pad;
    /* words not understood: "Ask at reception" too; in the foot in landscape, where height is
     * short, and under the topic tiles in portrait */
    bool ask = f->unsure, ask_foot = ask && b->landscape;
    int bottom = lb_foot_top(b, FOOT_BACK, ask_foot), first = b->l->n;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "topics.title"), b->pad, y, cw,
                 b->head, true, AL_LEFT) +
         b->gap;
    if (f->unsure)
        y += lb_para(b, "unsure", R_TEXT, ST_MUTED, lb_str(b, "topics.unsure"), b->pad, y, cw,
                     b->body, false, AL_LEFT) +
             b->gap;
    static const char *const keys[4] = {"topic.housing", "topic.health", "topic.benefits",
                                        "topic.other"};
    static const char *const ids[4] = {"topic-housing", "topic-health", "topic-benefits",
                                       "topic-other"};
    struct tile_def t[4];
    for (int i = 0; i < 4; i++) {
        snprintf(t[i].id, sizeof(t[i].id), "%s", ids[i]);
        t[i].text = lb_str(b, keys[i]);
        t[i].a = ACT_TOPIC;
        t[i].arg = i; /* DOMAIN_* in order, then DOMAIN_COUNT for something else */
    }
    int uh = urgent_tiles(b, y, false), ah = ask && !ask_foot ? b->btn_h + b->gap : 0;
    y = reach_from(b, first, y);
    y = tiles(b, y, bottom - uh - ah - 2 * b->gap, t, 4, b->landscape ? 4 : 2, ST_TILE, b->T * 2) +
        b->gap;
    if (ah) {
        lb_button(b, "ask-reception", R_BUTTON, ST_SECONDARY, lb_str(b, "topics.ask_reception"),
                  R(b->pad, y, cw, b->btn_h), ACT_ASK_RECEPTION, 0, b->body, false);
        y += ah;
    }
    y += b->gap + urgent_tiles(b, y + b->gap, true);
    check_bottom(b, y, bottom);
    lb_foot(b, FOOT_BACK, ask_foot);
}

static void subtopics(struct lb *b)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    int y = topbar(b), cw = W(b) - 2 * b->pad;
    static const char *const keys[3] = {"topic.housing", "topic.health", "topic.benefits"};
    int topic = f->topic >= 0 && f->topic < DOMAIN_COUNT ? f->topic : 0, first = b->l->n;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, keys[topic]), b->pad, y, cw, b->head,
                 true, AL_LEFT) +
         b->gap / 2;
    y += lb_para(b, "subtitle", R_TEXT, ST_MUTED, lb_str(b, "sub.title"), b->pad, y, cw, b->body,
                 false, AL_LEFT) +
         b->gap;
    struct tile_def t[NEED_MAX];
    char keybuf[NEED_MAX][I18N_KEY_MAX];
    int n = 0, general = flow_general_need(f, topic);
    for (int i = 0; tax && i < tax->n && n < NEED_MAX - 1; i++) {
        const struct need_def *d = &tax->needs[i];
        if (d->urgent || d->n_domains < 1 || d->domains[0] != topic || i == general)
            continue;
        snprintf(keybuf[n], sizeof(keybuf[n]), "need.%s", d->id);
        snprintf(t[n].id, sizeof(t[n].id), "sub-%s", d->id);
        t[n].text = lb_str(b, keybuf[n]);
        t[n].a = ACT_SUBTOPIC;
        t[n].arg = i;
        n++;
    }
    if (general >= 0) {
        snprintf(t[n].id, sizeof(t[n].id), "sub-other");
        t[n].text = lb_str(b, "topic.other");
        t[n].a = ACT_SUBTOPIC;
        t[n].arg = general;
        n++;
    }
    int cols = b->landscape ? (W(b) >= H(b) * 3 / 2 ? 4 : 3) : 2;
    y = reach_from(b, first, y);
    tiles(b, y, lb_foot_top(b, FOOT_BACK, false), t, n, cols, ST_TILE, b->T * 2);
    lb_foot(b, FOOT_BACK, false);
}

static const char *helps_key(unsigned mask)
{
    static const char *const k[8] = {"helps.0", "helps.1", "helps.2", "helps.3",
                                     "helps.4", "helps.5", "helps.6", "helps.7"};
    return k[mask & 7u];
}

static void people(struct lb *b)
{
    const struct hub_dir *d = b->f->deps.dir;
    int y = topbar(b), cw = W(b) - 2 * b->pad, first = b->l->n;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "people.title"), b->pad, y, cw,
                 b->head, true, AL_LEFT) +
         b->gap;
    y = reach_from(b, first, y);
    int idx[64], n = 0;
    for (int i = 0; d && i < d->n_workers && n < 64; i++)
        if (d->workers[i].status != WS_OFF)
            idx[n++] = i;
    int cols = W(b) / (b->T * 5), rows;
    cols = cols < 2 ? 2 : cols > 4 ? 4 : cols;
    rows = (n + cols - 1) / cols;
    if (rows < 1)
        rows = 1;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    int tw = (cw - (cols - 1) * b->gap) / cols;
    int th = (bottom - y - (rows - 1) * b->gap) / rows;
    if (th > b->T * 2 * (b->k > 1 ? b->k : 1))
        th = (int)(b->T * 2 * (b->k > 1 ? b->k : 1));
    if (th < b->T) {
        th = b->T;
        b->overflow = true;
    }
    for (int j = 0; j < n; j++) {
        const struct worker *wk = &d->workers[idx[j]];
        int x = b->pad + (j % cols) * (tw + b->gap), ty = y + (j / cols) * (th + b->gap);
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "worker-%s", wk->id);
        lb_add(b, id, R_TILE, ST_TILE, "", R(x, ty, tw, th), ACT_WORKER, idx[j]);
        int ip = b->gap, dia = th - 2 * ip;
        if (dia > tw / 4)
            dia = tw / 4;
        snprintf(id, sizeof(id), "avatar-%s", wk->id);
        avatar(b, id, wk, R(x + ip, ty + (th - dia) / 2, dia, dia));
        int tx = x + ip * 2 + dia, txw = tw - dia - ip * 3, half = (th - 2 * ip) / 2;
        snprintf(id, sizeof(id), "name-%s", wk->id);
        struct widget *nw =
            lb_add(b, id, R_TEXT, ST_TILE, wk->name, R(tx, ty + ip, txw, half), ACT_NONE, 0);
        lb_fit(b, nw, b->body, true, AL_LEFT, 0);
        const char *sub = wk->status == WS_BUSY   ? lb_str(b, "people.busy")
                          : wk->status == WS_AWAY ? lb_str(b, "people.away")
                                                  : lb_str(b, helps_key(wk->domain_mask));
        snprintf(id, sizeof(id), "helps-%s", wk->id);
        struct widget *hw = lb_add(b, id, R_TEXT, ST_CARD_MUTED, sub,
                                   R(tx, ty + ip + half, txw, th - 2 * ip - half), ACT_NONE, 0);
        lb_fit(b, hw, b->small, false, AL_LEFT, 0);
    }
    lb_foot(b, FOOT_BACK, false);
}

/* The needs going into the check-in, in plain words, joined with " · ". */
static void need_list(struct lb *b, char *out, size_t cap, const char *sep)
{
    const struct flow *f = b->f;
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < f->n_sel && f->deps.tax; i++) {
        char key[I18N_KEY_MAX];
        snprintf(key, sizeof(key), "need.%s", f->deps.tax->needs[f->sel[i]].id);
        int n = snprintf(out + o, cap - o, "%s%s", i ? sep : "", lb_str(b, key));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

/* The height of two_buttons' row. */
static int two_buttons_h(struct lb *b, const char *t1, const char *t2)
{
    int half = (col_w(b) - b->gap * 2) / 2, h = b->btn_h * 13 / 10;
    int need = lb_text_h(b, t1, b->body, true, half - b->body * 6 / 5) + b->body;
    int need2 = lb_text_h(b, t2, b->body, true, half - b->body * 6 / 5) + b->body;
    h = h > need ? h : need;
    return h > need2 ? h : need2;
}

static int two_buttons(struct lb *b, int y, int bottom, const char *id1, const char *t1,
                       enum action a1, const char *id2, const char *t2, enum action a2)
{
    int cw = col_w(b), cx = (W(b) - cw) / 2, half = (cw - b->gap * 2) / 2;
    int h = two_buttons_h(b, t1, t2);
    lb_button(b, id1, R_BUTTON, ST_PRIMARY, t1, R(cx, y, half, h), a1, 0, b->body, true);
    lb_button(b, id2, R_BUTTON, ST_SECONDARY, t2, R(cx + half + b->gap * 2, y, half, h), a2, 0,
              b->body, true);
    check_bottom(b, y + h, bottom);
    return y + h;
}

static void check(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = topbar(b), y = top + b->gap, cw = col_w(b), cx = (W(b) - cw) / 2;
    int first = b->l->n, bottom = lb_foot_top(b, FOOT_BACK, false);
    char buf[WIDGET_TEXT_MAX];
    if (f->source == SRC_PERSON && d && f->chosen_worker >= 0 && f->chosen_worker < d->n_workers) {
        const struct worker *wk = &d->workers[f->chosen_worker];
        int dia = b->T * 2;
        avatar(b, "avatar", wk, R((W(b) - dia) / 2, y, dia, dia));
        y += dia + b->gap;
        i18n_format(buf, sizeof(buf), lb_str(b, "check.person"), "name", wk->name);
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, buf, cx, y, cw, b->head, true, AL_CENTER) +
             b->gap;
    } else if (f->source == SRC_RECEPTION || f->n_sel == 0) {
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "check.reception"), cx, y, cw,
                     b->head, true, AL_CENTER) +
             b->gap;
    } else {
        y += lb_para(b, "title", R_TEXT, ST_SCREEN, lb_str(b, "check.title"), cx, y, cw, b->body,
                     false, AL_CENTER) +
             b->gap;
        int px = (int)lround(b->head * 1.1), ip = b->pad;
        /* one a line when they do not fit on one, unless that would not fit above the
         * question and the buttons: then run on, " · " between */
        int rest = lb_text_h(b, lb_str(b, "check.question"), b->head, true, cw) + b->gap * 3 +
                   two_buttons_h(b, lb_str(b, "check.yes"), lb_str(b, "check.change"));
        need_list(b, buf, sizeof(buf), " · ");
        if (lb_text_w(b, buf, px, true) > cw - 2 * ip) {
            char lines[WIDGET_TEXT_MAX];
            need_list(b, lines, sizeof(lines), "\n");
            if (y + lb_text_h(b, lines, px, true, cw - 2 * ip) + 2 * ip + rest <= bottom)
                snprintf(buf, sizeof(buf), "%s", lines);
        }
        int th = lb_text_h(b, buf, px, true, cw - 2 * ip);
        lb_add(b, "needs-card", R_PANEL, ST_CARD, "", R(cx, y, cw, th + 2 * ip), ACT_NONE, 0);
        lb_para(b, "needs", R_HEADING, ST_CARD, buf, cx + ip, y + ip, cw - 2 * ip, px, true,
                AL_CENTER);
        y += th + 2 * ip + b->gap;
    }
    y += lb_para(b, "question", R_HEADING, ST_SCREEN, lb_str(b, "check.question"), cx, y, cw,
                 b->head, true, AL_CENTER) +
         b->gap * 2;
    y = two_buttons(b, y, bottom, "yes", lb_str(b, "check.yes"), ACT_YES, "change",
                    lb_str(b, "check.change"), ACT_CHANGE);
    centre_block(b, first, top, y, bottom);
    lb_foot(b, FOOT_BACK, false);
}

static void consent(struct lb *b)
{
    const struct flow *f = b->f;
    int top = topbar(b), y = top, cw = col_w(b), cx = (W(b) - cw) / 2, first = b->l->n;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "consent.title"), cx, y, cw, b->head,
                 true, AL_LEFT) +
         b->gap;
    y += lb_para(b, "you-wrote", R_TEXT, ST_MUTED, lb_str(b, "consent.you_wrote"), cx, y, cw,
                 b->small, false, AL_LEFT) +
         b->gap / 2;
    int bh = b->btn_h * 13 / 10;
    int room = bottom - bh - b->gap * 2 - y;
    int lh = lb_line_h(b, b->body, false), ip = b->pad;
    int qh = lb_text_h(b, f->text, b->body, false, cw - 2 * ip) + 2 * ip;
    if (qh > room)
        qh = room;
    if (qh < lh + 2 * ip) {
        qh = lh + 2 * ip;
        b->overflow = true;
    }
    lb_add(b, "quote-card", R_PANEL, ST_CARD, "", R(cx, y, cw, qh), ACT_NONE, 0);
    struct widget *q = lb_add(b, "quote", R_TEXT, ST_CARD, f->text,
                              R(cx + ip, y + ip, cw - 2 * ip, qh - 2 * ip), ACT_NONE, 0);
    lb_fit(b, q, b->body, false, AL_LEFT, FIT_ELLIPSIS);
    y += qh + b->gap * 2;
    y = two_buttons(b, y, bottom, "consent-yes", lb_str(b, "consent.yes"), ACT_CONSENT_YES,
                    "consent-no", lb_str(b, "consent.no"), ACT_CONSENT_NO);
    centre_block(b, first, top, y, bottom);
    lb_foot(b, FOOT_BACK, false);
}

/* Wait, people ahead and the ticket, side by side. Returns the height used. */
static int ticket_row(struct lb *b, int x, int y, int w)
{
    const struct flow *f = b->f;
    char wait[128], ahead[128], n[16];
    snprintf(n, sizeof(n), "%d", f->ticket.wait_min);
    i18n_format(wait, sizeof(wait), i18n_plural(b->in->cat, "result.wait", f->ticket.wait_min), "n",
                n);
    snprintf(n, sizeof(n), "%d", f->ticket.position);
    if (f->ticket.position <= 0)
        snprintf(ahead, sizeof(ahead), "%s", lb_str(b, "result.next_up"));
    else
        i18n_format(ahead, sizeof(ahead),
                    i18n_plural(b->in->cat, "result.ahead", f->ticket.position), "n", n);
    int third = (w - 2 * b->gap) / 3, ip = b->gap;
    int h1 = lb_text_h(b, wait, b->body, true, third - 2 * ip);
    int h2 = lb_text_h(b, ahead, b->body, true, third - 2 * ip);
    int big = (int)lround(b->head * 1.3);
    int h3 = lb_text_h(b, lb_str(b, "result.ticket"), b->small, false, third - 2 * ip) +
             lb_line_h(b, big, true);
    int h = h1 > h2 ? h1 : h2;
    h = (h > h3 ? h : h3) + 2 * ip;
    struct widget *p;
    /* Until hubd's ticket comes (a second at most) the cards keep their size and show an
     * ellipsis, so nothing jumps and no ticket is shown that could change. */
    static const char soon[] = "\u2026";
    bool pending = f->ticket_pending;
    p = lb_add(b, "wait", R_TEXT, ST_CARD, pending ? soon : wait, R(x, y, third, h), ACT_NONE, 0);
    lb_fit(b, p, b->body, true, AL_CENTER, 0);
    p = lb_add(b, "ahead", R_TEXT, ST_CARD, pending ? soon : ahead,
               R(x + third + b->gap, y, third, h), ACT_NONE, 0);
    lb_fit(b, p, b->body, true, AL_CENTER, 0);
    int tx = x + 2 * (third + b->gap);
    lb_add(b, "ticket-card", R_PANEL, ST_TICKET, "", R(tx, y, third, h), ACT_NONE, 0);
    int th = lb_para(b, "ticket-label", R_TEXT, ST_TICKET, lb_str(b, "result.ticket"), tx + ip,
                     y + ip, third - 2 * ip, b->small, false, AL_CENTER);
    p = lb_add(b, "ticket", R_HEADING, ST_TICKET,
               pending             ? soon
               : f->ticket.code[0] ? f->ticket.code
                                   : "—",
               R(tx + ip, y + ip + th, third - 2 * ip, h - 2 * ip - th), ACT_NONE, 0);
    lb_fit(b, p, big, true, AL_CENTER, 0);
    for (int i = b->l->n - 6; i < b->l->n; i++)
        if (i >= 0 && (strcmp(b->l->wg[i].id, "wait") == 0 || strcmp(b->l->wg[i].id, "ahead") == 0))
            b->l->wg[i].role = R_PANEL, b->l->wg[i].radius = (int)(14 * b->u);
    return h;
}

/* What the ticket's QR code holds, as plain text for the resident's phone: the ticket, who they
 * will see and where to wait, the hub (never their name or their words). */
static void qr_text(struct lb *b, const char *code, const char *worker, const char *desk, char *out,
                    size_t cap)
{
    const struct hub_dir *d = b->f->deps.dir;
    char line[WIDGET_TEXT_MAX], dk[DIR_NAME_MAX];
    size_t o = 0;
    out[0] = '\0';
    i18n_format(line, sizeof(line), lb_str(b, "qr.ticket"), "code", code && code[0] ? code : "-");
    o += (size_t)snprintf(out + o, cap - o, "%s", line);
    if (worker && worker[0]) {
        i18n_format(line, sizeof(line), lb_str(b, "qr.worker"), "name", worker);
        o += o < cap ? (size_t)snprintf(out + o, cap - o, "\n%s", line) : 0;
        i18n_desk(b->in->cat, desk ? desk : "", dk, sizeof(dk));
        i18n_format(line, sizeof(line), lb_str(b, "qr.where"), "desk", dk);
        o += o < cap ? (size_t)snprintf(out + o, cap - o, "\n%s", line) : 0;
    } else {
        o += o < cap ? (size_t)snprintf(out + o, cap - o, "\n%s", lb_str(b, "qr.reception")) : 0;
    }
    if (d && d->hub_name[0] && o < cap)
        snprintf(out + o, cap - o, "\n%s", d->hub_name);
}

/* The QR code (drawn by the shell from its text); while hubd's ticket may still come, an empty
 * square holds its place so that nothing moves. */
static void qr_widget(struct lb *b, const char *payload, struct wrect r, bool pending)
{
    struct widget *w = lb_add(b, "qr", R_QR, ST_QR, pending ? "" : payload, r, ACT_NONE, 0);
    w->fits = true;
    w->px = b->small; /* nothing is drawn at it: the modules are the shell's */
}

static void result(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = topbar(b), y = top, first = b->l->n;
    /* landscape is short of height: Finish and help now go in a column at the right */
    bool side = b->landscape;
    int avail = W(b) - 2 * b->pad - (side ? lb_side_w(b) + 2 * b->gap : 0);
    int cw = col_w(b) < avail ? col_w(b) : avail,
        cx = side ? b->pad + (avail - cw) / 2 : (W(b) - cw) / 2;
    char buf[WIDGET_TEXT_MAX];
    int bottom = side ? b->floor : lb_foot_top(b, FOOT_FINISH, false);
    if (f->name[0]) {
        i18n_format(buf, sizeof(buf), lb_str(b, "result.thanks"), "name", f->name);
        y += lb_para(b, "thanks", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT) +
             b->gap / 2;
    }
    if (f->match.worker >= 0 && d && f->match.worker < d->n_workers) {
        const struct worker *wk = &d->workers[f->match.worker];
        y += lb_para(b, "title", R_TEXT, ST_MUTED, lb_str(b, "result.title"), cx, y, cw, b->body,
                     false, AL_LEFT) +
             b->gap / 2;
        int ip = b->pad, dia = b->T * 3 / 2;
        int tx = cx + ip * 2 + dia, txw = cw - dia - ip * 3;
        char speaks[160] = "", where[160];
        size_t o = 0;
        for (int i = 0; i < wk->n_langs; i++) {
            char key[24];
            snprintf(key, sizeof(key), "lang.%s", wk->langs[i]);
            int n = snprintf(speaks + o, sizeof(speaks) - o, "%s%s", i ? ", " : "", lb_str(b, key));
            if (n < 0 || (size_t)n >= sizeof(speaks) - o)
                break;
            o += (size_t)n;
        }
        char line[200];
        i18n_format(line, sizeof(line), lb_str(b, "result.speaks"), "langs", speaks);
        char desk[DIR_NAME_MAX];
        i18n_desk(b->in->cat, wk->desk, desk, sizeof(desk));
        i18n_format(where, sizeof(where), lb_str(b, "result.where"), "desk", desk);
        int name_px = (int)lround(b->head * 1.25);
        int ch = lb_text_h(b, wk->name, name_px, true, txw) +
                 lb_text_h(b, lb_str(b, helps_key(wk->domain_mask)), b->body, false, txw) +
                 lb_text_h(b, line, b->body, false, txw) + lb_text_h(b, where, b->body, true, txw) +
                 2 * ip + b->gap;
        if (ch < dia + 2 * ip)
            ch = dia + 2 * ip;
        lb_add(b, "worker-card", R_PANEL, ST_CARD, "", R(cx, y, cw, ch), ACT_NONE, 0);
        avatar(b, "avatar", wk, R(cx + ip, y + ip, dia, dia));
        int ty = y + ip;
        ty += lb_para(b, "worker-name", R_HEADING, ST_CARD, wk->name, tx, ty, txw, name_px, true,
                      AL_LEFT) +
              b->gap / 2;
        ty += lb_para(b, "helps", R_TEXT, ST_CARD, lb_str(b, helps_key(wk->domain_mask)), tx, ty,
                      txw, b->body, false, AL_LEFT);
        ty += lb_para(b, "speaks", R_TEXT, ST_CARD, line, tx, ty, txw, b->body, false, AL_LEFT);
        lb_para(b, "where", R_TEXT, ST_CARD, where, tx, ty, txw, b->body, true, AL_LEFT);
        y += ch + b->gap;
        y += ticket_row(b, cx, y, cw) + b->gap;
        char given[DIR_NAME_MAX];
        snprintf(given, sizeof(given), "%s", wk->name);
        char *sp = strchr(given, ' ');
        if (sp)
            *sp = '\0';
        i18n_format(buf, sizeof(buf), lb_str(b, "result.seat"), "first", given);
        y += lb_para(b, "seat", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT);
    } else {
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "result.reception_title"), cx, y,
                     cw, b->head, true, AL_LEFT) +
             b->gap;
        y += lb_para(b, "seat", R_TEXT, ST_SCREEN, lb_str(b, "result.reception_body"), cx, y, cw,
                     b->body, false, AL_LEFT) +
             b->gap;
        y += ticket_row(b, cx, y, cw);
    }
    const struct worker *wk = f->match.worker >= 0 && d && f->match.worker < d->n_workers
                                  ? &d->workers[f->match.worker]
                                  : NULL;
    char payload[WIDGET_TEXT_MAX];
    qr_text(b, f->ticket.code, wk ? wk->name : NULL, wk ? wk->desk : NULL, payload,
            sizeof(payload));
    if (!side) { /* under the ticket: the code and what it is for, side by side */
        int q = b->T * 3 < cw * 2 / 5 ? b->T * 3 : cw * 2 / 5;
        y += b->gap;
        if (y + q <= bottom) {
            qr_widget(b, payload, R(cx, y, q, q), f->ticket_pending);
            int tw = cw - q - 2 * b->gap;
            int ch = lb_text_h(b, lb_str(b, "result.qr"), b->body, false, tw);
            lb_para(b, "qr-caption", R_TEXT, ST_MUTED, lb_str(b, "result.qr"), cx + q + 2 * b->gap,
                    y + (q - ch) / 2, tw, b->body, false, AL_LEFT);
            y += q;
        }
    }
    check_bottom(b, y, bottom);
    centre_block(b, first, top, y, bottom);
    if (side) { /* the QR code at the top of the column Finish and help now close */
        int sw = lb_side_w(b), qx = W(b) - b->pad - sw, qtop = top;
        int qbot = lb_side_top(b) - b->gap,
            cap_h = lb_text_h(b, lb_str(b, "result.qr"), b->small, false, sw);
        int q = qbot - qtop - cap_h - b->gap / 2;
        q = q > sw ? sw : q;
        if (q >= b->T * 2) {
            qr_widget(b, payload, R(qx + (sw - q) / 2, qtop, q, q), f->ticket_pending);
            lb_para(b, "qr-caption", R_TEXT, ST_MUTED, lb_str(b, "result.qr"), qx,
                    qtop + q + b->gap / 2, sw, b->small, false, AL_CENTER);
        }
    }
    if (side)
        lb_side_foot(b);
    else
        lb_foot(b, FOOT_FINISH, false);
}

static void done(struct lb *b)
{
    const struct flow *f = b->f;
    lb_add(b, "done", R_BACKDROP, ST_SCREEN, "", R(0, 0, W(b), H(b)), ACT_BEGIN, 0);
    int y0 = topbar(b), cw = col_w(b), cx = (W(b) - cw) / 2, big = (int)lround(b->body * 2.4);
    const char *t1 = lb_str(b, "done.title"), *t2 = lb_str(b, "done.body");
    /* the ticket again, to take away: who and where, and its QR code */
    char tk[WIDGET_TEXT_MAX] = "", who[WIDGET_TEXT_MAX] = "", payload[WIDGET_TEXT_MAX] = "";
    if (f->kept.code[0]) {
        i18n_format(tk, sizeof(tk), lb_str(b, "done.ticket"), "code", f->kept.code);
        if (f->kept_worker[0]) {
            char dk[DIR_NAME_MAX];
            i18n_desk(b->in->cat, f->kept_desk, dk, sizeof(dk));
            snprintf(who, sizeof(who), "%s \u00b7 %s", f->kept_worker, dk);
        }
        qr_text(b, f->kept.code, f->kept_worker, f->kept_desk, payload, sizeof(payload));
    }
    int bottom = lb_help_now_low(b, b->floor, false) - b->gap * 2;
    int th = lb_text_h(b, t1, big, true, cw) + b->gap + lb_text_h(b, t2, b->body, false, cw);
    int q = 0;
    if (tk[0]) {
        th += b->gap * 2 + lb_text_h(b, tk, b->head, true, cw);
        th += who[0] ? lb_text_h(b, who, b->body, false, cw) : 0;
        q = b->T * 3;
        if (y0 + th + b->gap + q > bottom)
            q = bottom - y0 - th - b->gap;
        if (q < b->T * 2)
            q = 0; /* no room for a code a phone could read: the words stay */
        th += q ? b->gap + q : 0;
    }
    int y = y0 + (bottom - y0 - th) / 2;
    y = y < y0 ? y0 : y;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, t1, cx, y, cw, big, true, AL_CENTER) + b->gap;
    y += lb_para(b, "body", R_TEXT, ST_MUTED, t2, cx, y, cw, b->body, false, AL_CENTER);
    if (tk[0]) {
        y += b->gap * 2;
        y += lb_para(b, "done-ticket", R_HEADING, ST_SCREEN, tk, cx, y, cw, b->head, true,
                     AL_CENTER);
        if (who[0])
            y += lb_para(b, "done-where", R_TEXT, ST_SCREEN, who, cx, y, cw, b->body, false,
                         AL_CENTER);
        if (q) {
            y += b->gap;
            qr_widget(b, payload, R((W(b) - q) / 2, y, q, q), false);
            y += q;
        }
    }
    check_bottom(b, y, bottom);
    lb_help_now_low(b, b->floor, true);
}

void lb_screen(struct lb *b)
{
    switch (b->f->screen) {
    case SCR_WELCOME:
        welcome(b);
        break;
    case SCR_TELL:
        keyboard_screen(b, true);
        break;
    case SCR_NAME:
        keyboard_screen(b, false);
        break;
    case SCR_TOPICS:
        topics(b);
        break;
    case SCR_SUBTOPICS:
        subtopics(b);
        break;
    case SCR_PEOPLE:
        people(b);
        break;
    case SCR_CHECK:
        check(b);
        break;
    case SCR_CONSENT:
        consent(b);
        break;
    case SCR_RESULT:
        result(b);
        break;
    case SCR_URGENT:
        lb_urgent(b);
        break;
    case SCR_STAFF_PIN:
        lb_staff_pin(b);
        break;
    case SCR_STAFF:
        lb_staff(b);
        break;
    case SCR_DONE:
    case SCR_COUNT:
        done(b);
        break;
    }
}

void lb_idle(struct lb *b)
{
    lb_add(b, "idle-backdrop", R_BACKDROP, ST_OVERLAY, "", R(0, 0, W(b), H(b)), ACT_MORE_TIME, 0);
    int cw = col_w(b) * 4 / 5, cx = (W(b) - cw) / 2, ip = b->pad * 2, iw = cw - 2 * ip;
    int big = (int)lround(b->head * 1.2), bh = b->btn_h * 3 / 2;
    const char *t = lb_str(b, "idle.title");
    int ph = lb_text_h(b, t, big, true, iw) + b->gap * 2 + bh + b->gap + b->btn_h + 2 * ip;
    int y = (H(b) - ph) / 2;
    if (y < 0) {
        y = 0;
        b->overflow = true;
    }
    lb_add(b, "idle-panel", R_PANEL, ST_OVERLAY, "", R(cx, y, cw, ph), ACT_NONE, 0);
    int ty = y + ip;
    ty +=
        lb_para(b, "idle-title", R_HEADING, ST_OVERLAY, t, cx + ip, ty, iw, big, true, AL_CENTER) +
        b->gap * 2;
    lb_button(b, "more-time", R_BUTTON, ST_PRIMARY, lb_str(b, "idle.more"), R(cx + ip, ty, iw, bh),
              ACT_MORE_TIME, 0, (int)lround(b->body * 1.15), true);
    ty += bh + b->gap;
    lb_button(b, "idle-start-again", R_BUTTON, ST_SECONDARY, lb_str(b, "app.start_again"),
              R(cx + ip, ty, iw, b->btn_h), ACT_CONFIRM_RESET, 0, b->body, false);
}

void lb_confirm(struct lb *b)
{
    lb_add(b, "confirm-backdrop", R_BACKDROP, ST_OVERLAY, "", R(0, 0, W(b), H(b)), ACT_CANCEL_RESET,
           0);
    int cw = col_w(b) * 4 / 5, cx = (W(b) - cw) / 2, ip = b->pad * 2, iw = cw - 2 * ip;
    const char *t = lb_str(b, "confirm.title");
    const char *yes = lb_str(b, "confirm.yes"), *no = lb_str(b, "confirm.no");
    int big = (int)lround(b->head * 1.1);
    int bh_no = tall_h(b, no, iw, b->gap), bh_yes = tall_h(b, yes, iw, 0);
    int ph = lb_text_h(b, t, big, true, iw) + b->gap * 2 + bh_no + b->gap + bh_yes + 2 * ip;
    /* low on a portrait screen, within reach; centred on a landscape one */
    int y = b->landscape ? (H(b) - ph) / 2 : b->floor - ph;
    if (y < 0) {
        y = 0;
        b->overflow = true;
    }
    lb_add(b, "confirm-panel", R_PANEL, ST_OVERLAY, "", R(cx, y, cw, ph), ACT_NONE, 0);
    int ty = y + ip;
    ty += lb_para(b, "confirm-title", R_HEADING, ST_OVERLAY, t, cx + ip, ty, iw, big, true,
                  AL_CENTER) +
          b->gap * 2;
    /* carrying on is the safe choice: first, and the main one */
    lb_button(b, "confirm-no", R_BUTTON, ST_PRIMARY, no, R(cx + ip, ty, iw, bh_no),
              ACT_CANCEL_RESET, 0, b->body, true);
    ty += bh_no + b->gap;
    lb_button(b, "confirm-yes", R_BUTTON, ST_SECONDARY, yes, R(cx + ip, ty, iw, bh_yes),
              ACT_CONFIRM_RESET, 0, b->body, false);
}
