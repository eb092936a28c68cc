/* parts.c — pieces several screens share: the reading column, avatars, tiles, buttons that
 * grow with their words, the two-button row, reach on portrait screens and the ticket's QR code. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

/* Width of the reading column, centred. */
int lb_col_w(struct lb *b)
{
    int base = lb_w(b) < lb_h(b) ? lb_w(b) : lb_h(b);
    int w = lb_w(b) - 2 * b->pad, cap = base * 3 / 2;
    return w < cap ? w : cap;
}

/* Moves widgets [first, n) down so the block [top, y) sits a little above the middle of
 * [top, bottom). */
void lb_centre_block(struct lb *b, int first, int top, int y, int bottom)
{
    int dy = (bottom - y) * 2 / 5;
    if (dy <= 0 || top >= y)
        return;
    for (int i = first; i < b->l->n; i++) {
        b->l->wg[i].r.y += dy;
        b->l->wg[i].box.y += dy;
    }
}

void lb_check_bottom(struct lb *b, int y, int bottom)
{
    if (y > bottom)
        b->overflow = true;
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

void lb_avatar(struct lb *b, const char *id, const struct worker *wk, struct wrect r)
{
    char ini[16];
    initials(wk->name, ini, sizeof(ini));
    struct widget *a = lb_add(b, id, R_AVATAR, avatar_style(wk->name), ini, r, ACT_NONE, 0);
    lb_fit(b, a, r.h * 2 / 5, true, AL_CENTER, 0);
}

/* The height of a button of width w holding text, with extra px of air around it. */
int lb_tall_h(struct lb *b, const char *text, int w, int extra)
{
    int ix = b->body * 6 / 10, iy = b->body / 5;
    int h = lb_text_h(b, text, b->body, false, w - 2 * ix) + 2 * iy + extra;
    return h < b->btn_h ? b->btn_h : h;
}

/* The top of reach: on a portrait screen every control starts at or below this y (the lower
 * 60%, within reach from a wheelchair); on a landscape one, anywhere. */
int lb_reach_top(struct lb *b)
{
    return b->landscape ? 0 : lb_h(b) * 2 / 5;
}

/* Moves widgets [first, last) down so their block, which ends at y, ends at to. */
void lb_settle_range(struct lb *b, int first, int last, int y, int to)
{
    int dy = to - y;
    for (int i = first; dy > 0 && i < last && i < b->l->n; i++) {
        b->l->wg[i].r.y += dy;
        b->l->wg[i].box.y += dy;
    }
}

void lb_settle(struct lb *b, int first, int y, int to)
{
    lb_settle_range(b, first, b->l->n, y, to);
}

/* Where a screen's controls start after its words (which end at y, from widget first): on a
 * portrait screen at the top of reach, the words settled down just above them. */
int lb_reach_from(struct lb *b, int first, int y)
{
    int reach = lb_reach_top(b);
    if (y >= reach)
        return y;
    lb_settle(b, first, y, reach);
    return reach;
}

/* A grid of tiles between y and bottom, at most max_h tall each; returns the y below it. */
int lb_tiles(struct lb *b, int y, int bottom, const struct tile_def *t, int n, int cols,
             enum style st, int max_h)
{
    int rows = (n + cols - 1) / cols;
    int gw = lb_w(b) - 2 * b->pad;
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

int lb_widest_line(struct lb *b, const char *text, int px, bool bold)
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

int lb_widest_word(struct lb *b, const char *text, int px, bool bold)
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

/* The height a tile of width tw needs for text at px, whole words, no shrinking; 0 when a word
 * is wider than the tile. */
static int tile_need_h(struct lb *b, const char *text, int tw, int px)
{
    int ix = px * 6 / 10, iy = px / 5;
    if (lb_widest_word(b, text, px, true) > tw - 2 * ix)
        return 0;
    return lb_text_h(b, text, px, true, tw - 2 * ix) + 2 * iy;
}

/* How many of tiles [from, n) one page of cols columns holds in room px (each row as tall as its
 * tallest label needs; when not all fit, the last place is kept for "More"); 0 when none. */
static int page_holds(const int *need, int from, int n, int cols, int room, int gap, int more_h)
{
    int y = 0, i = from;
    while (i < n) {
        int h = 0, end = i + cols < n ? i + cols : n;
        for (int k = i; k < end; k++)
            h = need[k] > h ? need[k] : h;
        if (y + h > room)
            break;
        y += h + gap;
        i = end;
    }
    if (i >= n && from == 0)
        return n; /* all on one page: no "More" */
    /* not all, or a later page (whose "More" leads back to the first): take tiles back until
     * "More" has a place in the rows that fit */
    for (int shown = i >= n ? n - from : i - from - 1; shown > 0; shown--) {
        int yy = 0, k = from, placed = 0;
        bool ok = true;
        while (placed < shown + 1 && ok) {
            int h = 0, cnt = 0;
            for (; cnt < cols && placed < shown + 1; cnt++, placed++, k++)
                h = (placed < shown ? need[k] : more_h) > h ? (placed < shown ? need[k] : more_h)
                                                            : h;
            ok = yy + h <= room;
            yy += h + gap;
        }
        if (ok)
            return shown;
    }
    return 0;
}

/* What lb_tiles_reflow shows with bigger text, decided from measures before anything is placed:
 * the columns, the page shown, each row's height. */
struct reflow {
    int px, cols, tw, more_h, pages, page, from, to, slots, nrows, h;
    int need[NEED_MAX];
    int row_h[NEED_MAX + 1];
    bool short_of_room; /* not even one tile fits a page (the screen is too small) */
};

static void reflow_plan(struct lb *b, int room, const struct tile_def *t, int n, int cols,
                        int max_h, struct reflow *p)
{
    int px = (int)lround(b->body * 1.1), gw = lb_w(b) - 2 * b->pad;
    char more[64], num[16];
    snprintf(num, sizeof(num), "%d", n);
    i18n_format(more, sizeof(more), lb_str(b, "tell.more"), "n", num);
    *p = (struct reflow){.px = px, .more_h = b->T};
    /* the columns that keep every label whole at its size and show the most on one page */
    int best_cols = 1, best = -1;
    for (int c = cols; c >= 1; c--) {
        int w = (gw - (c - 1) * b->gap) / c, mh = tile_need_h(b, more, w, px), held;
        bool whole = mh > 0;
        for (int i = 0; i < n && whole; i++) {
            int h = tile_need_h(b, t[i].text, w, px);
            whole = h > 0;
        }
        if (!whole && c > 1)
            continue;
        for (int i = 0; i < n; i++) {
            int h = tile_need_h(b, t[i].text, w, px);
            p->need[i] = h > b->T ? h : b->T;
        }
        mh = mh > b->T ? mh : b->T;
        held = page_holds(p->need, 0, n, c, room, b->gap, mh);
        if (held > best) {
            best = held;
            best_cols = c;
            p->more_h = mh;
        }
        if (held == n)
            break; /* all on one page: the most columns that do it */
    }
    p->cols = cols = best_cols;
    p->tw = (gw - (cols - 1) * b->gap) / cols;
    for (int i = 0; i < n; i++) {
        int h = tile_need_h(b, t[i].text, p->tw, px);
        p->need[i] = h > b->T ? h : b->T;
    }
    /* the page shown: pages follow one another, each as full as it can be */
    int starts[NEED_MAX + 1];
    for (int at = 0; at < n && p->pages < NEED_MAX;) {
        int held = page_holds(p->need, at, n, cols, room, b->gap, p->more_h);
        if (held <= 0) {
            held = 1; /* not even one: it goes anyway */
            p->short_of_room = true;
        }
        starts[p->pages++] = at;
        at += held;
    }
    starts[p->pages] = n;
    p->page = b->f->chip_page < p->pages ? b->f->chip_page : 0;
    p->from = starts[p->page];
    p->to = starts[p->page + 1];
    bool paged = p->pages > 1;
    p->slots = p->to - p->from + (paged ? 1 : 0);
    p->nrows = (p->slots + cols - 1) / cols;
    /* each row as tall as its tallest label ("More" included); all on one page: the rows share
     * out the room, up to max_h each */
    int used = 0;
    for (int r = 0; r < p->nrows; r++) {
        int h = 0;
        for (int s = r * cols; s < (r + 1) * cols && s < p->slots; s++) {
            int need = p->from + s < p->to ? p->need[p->from + s] : p->more_h;
            h = need > h ? need : h;
        }
        p->row_h[r] = h;
        used += h + (r ? b->gap : 0);
    }
    int extra = !paged && p->nrows ? (room - used) / p->nrows : 0;
    extra = extra < 0 ? 0 : extra;
    p->h = p->nrows > 0 ? -b->gap : 0;
    for (int r = 0; r < p->nrows; r++) {
        if (!paged && p->row_h[r] < max_h) /* the room shared out, up to max_h */
            p->row_h[r] = p->row_h[r] + extra < max_h ? p->row_h[r] + extra : max_h;
        p->h += p->row_h[r] + b->gap;
    }
}

int lb_tiles_reflow_h(struct lb *b, int room, const struct tile_def *t, int n, int cols, int max_h)
{
    struct reflow p;
    if (n <= 0 || n > NEED_MAX)
        return 0;
    reflow_plan(b, room, t, n, cols, max_h, &p);
    return p.h;
}

int lb_tiles_reflow(struct lb *b, int y, int bottom, const struct tile_def *t, int n, int cols,
                    enum style st, int max_h, const char *more_id)
{
    if (!b->big || n <= 0 || n > NEED_MAX)
        return lb_tiles(b, y, bottom, t, n, cols, st, max_h);
    struct reflow p;
    reflow_plan(b, bottom - y, t, n, cols, max_h, &p);
    if (p.short_of_room)
        b->overflow = true;
    int rows_y = y;
    for (int r = 0; r < p.nrows; r++) {
        for (int s = r * p.cols; s < (r + 1) * p.cols && s < p.slots; s++) {
            struct wrect rc = R(b->pad + (s % p.cols) * (p.tw + b->gap), rows_y, p.tw, p.row_h[r]);
            if (p.from + s < p.to) {
                const struct tile_def *d = &t[p.from + s];
                lb_button(b, d->id, R_TILE, st, d->text, rc, d->a, d->arg, p.px, true);
                continue;
            }
            char more[64], num[16];
            snprintf(num, sizeof(num), "%d", p.page + 1 < p.pages ? n - p.to : n);
            i18n_format(more, sizeof(more), lb_str(b, "tell.more"), "n", num);
            lb_button(b, more_id, R_TILE, ST_QUIET, more, rc, ACT_CHIP_MORE, (p.page + 1) % p.pages,
                      p.px, true);
        }
        rows_y += p.row_h[r] + b->gap;
    }
    lb_check_bottom(b, rows_y - b->gap, bottom);
    return rows_y - b->gap;
}

const char *lb_helps_key(unsigned mask)
{
    static const char *const k[8] = {"helps.0", "helps.1", "helps.2", "helps.3",
                                     "helps.4", "helps.5", "helps.6", "helps.7"};
    return k[mask & 7u];
}

/* The height of two_buttons' row. */
int lb_two_buttons_h(struct lb *b, const char *t1, const char *t2)
{
    int half = (lb_col_w(b) - b->gap * 2) / 2, h = b->btn_h * 13 / 10;
    int need = lb_text_h(b, t1, b->body, true, half - b->body * 6 / 5) + b->body;
    int need2 = lb_text_h(b, t2, b->body, true, half - b->body * 6 / 5) + b->body;
    h = h > need ? h : need;
    return h > need2 ? h : need2;
}

int lb_two_buttons(struct lb *b, int y, int bottom, const char *id1, const char *t1, enum action a1,
                   const char *id2, const char *t2, enum action a2)
{
    int cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, half = (cw - b->gap * 2) / 2;
    int h = lb_two_buttons_h(b, t1, t2);
    lb_button(b, id1, R_BUTTON, ST_PRIMARY, t1, R(cx, y, half, h), a1, 0, b->body, true);
    lb_button(b, id2, R_BUTTON, ST_SECONDARY, t2, R(cx + half + b->gap * 2, y, half, h), a2, 0,
              b->body, true);
    lb_check_bottom(b, y + h, bottom);
    return y + h;
}

/* What the ticket's QR code holds, as plain text for the resident's phone: the ticket, who they
 * will see and where to wait, the hub (never their name or their words). */
void lb_qr_text(struct lb *b, const char *code, const char *worker, const char *desk,
                const char *desk_cy, char *out, size_t cap)
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
        i18n_desk(b->in->cat, desk ? desk : "", desk_cy, dk, sizeof(dk));
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
void lb_qr_widget(struct lb *b, const char *payload, struct wrect r, bool pending)
{
    struct widget *w = lb_add(b, "qr", R_QR, ST_QR, pending ? "" : payload, r, ACT_NONE, 0);
    w->fits = true;
    w->px = b->small; /* nothing is drawn at it: the modules are the shell's */
}

int lb_more_h(struct lb *b)
{
    return b->help_h;
}

bool lb_more_in(struct lb *b, struct wrect at, int cw)
{
    return at.w >= lb_more_w(b, cw) && at.h >= lb_more_h(b);
}

int lb_more_w(struct lb *b, int cw)
{
    int px = b->body;
    int mw = lb_text_w(b, lb_str(b, "app.more"), px, true) + 2 * (px * 6 / 10) + 2 * b->gap;
    return mw < b->T * 3 ? b->T * 3 : mw > cw ? cw : mw;
}

int lb_page(struct lb *b, int first, int top, int y, int bottom, int cx, int cw)
{
    struct layout *l = b->l;
    if (!b->normal || y <= bottom || first >= l->n)
        return y;
    /* "More" at the bottom right of the column */
    const char *label = lb_str(b, "app.more");
    int px = b->body, mw = lb_more_w(b, cw);
    int more_x = cx + cw - mw;
    struct wrect at = b->more_at;
    bool in_foot = lb_more_in(b, at, cw);
    if (in_foot) /* in the foot's free room, in the middle of it */
        at = R(at.x + (at.w - mw) / 2, at.y, mw, at.h);
    /* bands: widgets whose rows overlap go together (a card and its words, a row of tiles) */
    int band_of[LAYOUT_WIDGETS_MAX], band_y0[LAYOUT_WIDGETS_MAX], band_y1[LAYOUT_WIDGETS_MAX];
    int band_x1[LAYOUT_WIDGETS_MAX];
    int bands = 0;
    for (int i = first; i < l->n; i++) {
        const struct wrect *r = &l->wg[i].r;
        if (bands == 0 || r->y >= band_y1[bands - 1]) {
            band_y0[bands] = r->y;
            band_y1[bands] = r->y + r->h;
            band_x1[bands] = r->x + r->w;
            bands++;
        } else {
            if (r->y + r->h > band_y1[bands - 1])
                band_y1[bands - 1] = r->y + r->h;
            if (r->x + r->w > band_x1[bands - 1])
                band_x1[bands - 1] = r->x + r->w;
        }
        band_of[i - first] = bands - 1;
    }
    /* pages of whole bands, each with room for "More" below it; a page's last band may end
     * beside "More" instead when it leaves that corner free */
    int mh = in_foot ? 0 : lb_more_h(b), room = bottom - top - (in_foot ? 0 : mh + b->gap);
    int page_of[LAYOUT_WIDGETS_MAX], page_y0[LAYOUT_WIDGETS_MAX], page_y1[LAYOUT_WIDGETS_MAX];
    bool page_beside[LAYOUT_WIDGETS_MAX];
    int pages = 0;
    for (int k = 0; k < bands; k++) {
        bool beside = false;
        if (!in_foot && pages > 0 && !page_beside[pages - 1] &&
            band_y1[k] - page_y0[pages - 1] > room)
            beside =
                band_y1[k] - page_y0[pages - 1] <= bottom - top && band_x1[k] <= more_x - b->gap;
        if (pages == 0 || page_beside[pages - 1] ||
            (band_y1[k] - page_y0[pages - 1] > room && !beside)) {
            page_y0[pages] = band_y0[k];
            page_beside[pages] = false;
            pages++;
        }
        page_of[k] = pages - 1;
        page_y1[pages - 1] = band_y1[k];
        page_beside[pages - 1] = page_beside[pages - 1] || beside;
    }
    if (pages < 2)
        return y;
    for (int i = first; i < b->first_page_end && i < l->n; i++)
        if (page_of[band_of[i - first]] != 0)
            b->overflow = true; /* what matters first is not on the first page: smaller type */
    b->pages += pages;
    int cur = b->f->chip_page < pages ? b->f->chip_page : 0;
    /* this page's widgets only, settled down against "More" (low: within reach) */
    int dy = bottom - (page_beside[cur] || in_foot ? 0 : mh + b->gap) - page_y1[cur], o = first;
    if (page_y0[cur] + dy < top)
        dy = top - page_y0[cur];
    for (int i = first; i < l->n; i++) {
        if (page_of[band_of[i - first]] != cur) {
            b->lost_fit |= !l->wg[i].fits; /* on another page, and it would not fit there */
            continue;
        }
        l->wg[o] = l->wg[i];
        l->wg[o].r.y += dy;
        l->wg[o].box.y += dy;
        o++;
    }
    l->n = o;
    if (page_y1[cur] - page_y0[cur] > (page_beside[cur] ? bottom - top : room))
        b->overflow = true; /* one band taller than the screen */
    lb_button(b, "page-more", R_BUTTON, ST_QUIET, label,
              in_foot ? at : R(more_x, bottom - lb_more_h(b), mw, lb_more_h(b)), ACT_CHIP_MORE,
              (cur + 1) % pages, px, true);
    return bottom;
}
