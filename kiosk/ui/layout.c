/* layout.c — widget trees for every kiosk screen: sizes from the screen, text wrapped then
 * shrunk, the whole screen's type scaled down when its content would not fit. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

static const char *const role_names[R_COUNT] = {
    "backdrop", "panel", "heading", "text",   "button", "key",
    "chip",     "tile",  "field",   "avatar", "qr",
};

const char *role_name(enum role r)
{
    return (unsigned)r < R_COUNT ? role_names[r] : "?";
}

double layout_unit(int w, int h)
{
    int base = w < h ? w : h;
    return base / 480.0;
}

int layout_target(int w, int h)
{
    int t = (int)lround(46.0 * layout_unit(w, h));
    return t < 48 ? 48 : t;
}

const char *lb_str(struct lb *b, const char *key)
{
    return i18n_get(b->in->cat, key);
}

struct widget *lb_add(struct lb *b, const char *id, enum role role, enum style st, const char *text,
                      struct wrect r, enum action a, int arg)
{
    struct widget *w = &b->scratch;
    if (b->l->n < LAYOUT_WIDGETS_MAX)
        w = &b->l->wg[b->l->n++];
    else
        b->overflow = true;
    memset(w, 0, sizeof(*w));
    snprintf(w->id, sizeof(w->id), "%s", id);
    w->role = role;
    w->style = st;
    snprintf(w->text, sizeof(w->text), "%s", text ? text : "");
    w->r = r;
    w->box = r;
    w->action = a;
    w->arg = arg;
    w->fits = true;
    w->align = AL_CENTER;
    if (role == R_BUTTON || role == R_CHIP || role == R_TILE || role == R_KEY || role == R_FIELD ||
        role == R_PANEL)
        w->radius = (int)fmin(r.h / 4.0, 14.0 * b->u);
    if (role == R_AVATAR)
        w->radius = r.w / 2;
    return w;
}

/* Width of a range, through the measurer. */
static int tw(struct lb *b, const char *s, size_t len, int px, bool bold)
{
    return b->in->m->text_width(b->in->m->ctx, s, len, px, bold);
}

int lb_line_h(struct lb *b, int px, bool bold)
{
    return b->in->m->line_height(b->in->m->ctx, px, bold);
}

static size_t next_char(const char *s, size_t i)
{
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Greedy word wrap of w->text into lines no wider than maxw. Returns the number of lines, or
 * -1 when more than WIDGET_LINES_MAX are needed. */
static int wrap(struct lb *b, struct widget *w, int px, bool bold, int maxw, int *widest)
{
    const char *s = w->text;
    size_t pos = 0, n = strlen(s);
    int lines = 0;
    *widest = 0;
    while (pos < n) {
        while (s[pos] == ' ')
            pos++;
        if (pos >= n)
            break;
        size_t end = pos, best = pos;
        int bestw = 0;
        while (end < n && s[end] != '\n') {
            size_t e = end;
            while (e < n && s[e] == ' ')
                e++;
            while (e < n && s[e] != ' ' && s[e] != '\n')
                e++;
            int wd = tw(b, s + pos, e - pos, px, bold);
            if (wd > maxw)
                break;
            best = e;
            bestw = wd;
            end = e;
        }
        if (best == pos) { /* one word wider than the line: break it by characters */
            b->broke = true;
            size_t e = next_char(s, pos);
            best = e;
            bestw = tw(b, s + pos, e - pos, px, bold);
            while (e < n && s[e] != ' ' && s[e] != '\n') {
                e = next_char(s, e);
                int wd = tw(b, s + pos, e - pos, px, bold);
                if (wd > maxw)
                    break;
                best = e;
                bestw = wd;
            }
        }
        if (lines >= WIDGET_LINES_MAX)
            return -1;
        w->line_start[lines] = (int)pos;
        w->line_len[lines] = (int)(best - pos);
        lines++;
        if (bestw > *widest)
            *widest = bestw;
        pos = best;
        if (s[pos] == '\n')
            pos++;
    }
    return lines;
}

/* Insets of the text box inside a widget of this role at px. */
static void insets(const struct widget *w, int px, int *ix, int *iy)
{
    switch (w->role) {
    case R_BUTTON:
    case R_CHIP:
    case R_TILE:
        *ix = px * 6 / 10;
        *iy = px / 5;
        break;
    case R_FIELD:
        *ix = px * 6 / 10;
        *iy = px * 3 / 10;
        break;
    case R_KEY:
        *ix = 2;
        *iy = 2;
        break;
    default:
        *ix = 0;
        *iy = 0;
    }
}

static void place_text(struct widget *w, int lh, int widest, int lines)
{
    w->line_h = lh;
    w->n_lines = lines;
    w->text_w = widest;
    w->text_h = lines * lh;
    w->fits = w->text_w <= w->box.w && w->text_h <= w->box.h;
}

void lb_fit(struct lb *b, struct widget *w, int px, bool bold, enum halign al, int flags)
{
    int ix, iy;
    w->bold = bold;
    w->align = al;
    int min_px = px * 45 / 100;
    if (min_px < 10)
        min_px = 10;
    if (b->normal && lb_normal_px(b, w->id, px) > 0) /* bigger text: never below normal */
        min_px = lb_normal_px(b, w->id, px);
    if (b->normal && min_px > px)
        min_px = px;
    if (w->text[0] == '\0') {
        insets(w, px, &ix, &iy);
        w->px = px;
        w->box = (struct wrect){w->r.x + ix, w->r.y + iy, w->r.w - 2 * ix, w->r.h - 2 * iy};
        place_text(w, lb_line_h(b, px, bold), 0, 0);
        return;
    }
    for (int p = px;; p -= p / 12 > 1 ? p / 12 : 1) {
        if (p < min_px)
            p = min_px;
        insets(w, p, &ix, &iy);
        w->box = (struct wrect){w->r.x + ix, w->r.y + iy, w->r.w - 2 * ix, w->r.h - 2 * iy};
        int lh = lb_line_h(b, p, bold), widest = 0;
        b->broke = false;
        int lines = wrap(b, w, p, bold, w->box.w, &widest);
        w->px = p;
        if (lines >= 0) {
            place_text(w, lh, widest, lines);
            /* a word cut across two lines is smaller first (typed text keeps its size) */
            if (w->fits && (!b->broke || p == min_px || (flags & FIT_TAIL)))
                return;
        }
        if ((flags & FIT_TAIL) && lines != 0) { /* a field: keep the last lines that fit */
            int keep = lh > 0 ? w->box.h / lh : 1;
            keep = keep < 1 ? 1 : keep;
            if (lines < 0)
                lines = wrap(b, w, p, bold, w->box.w, &widest);
            if (lines < 0) { /* very long: show the tail of the text */
                size_t n = strlen(w->text), cut = n > 200 ? n - 200 : 0;
                while (cut < n && ((unsigned char)w->text[cut] & 0xC0) == 0x80)
                    cut++;
                memmove(w->text, w->text + cut, n - cut + 1);
                lines = wrap(b, w, p, bold, w->box.w, &widest);
            }
            if (lines > keep) {
                int drop = lines - keep;
                memmove(w->line_start, w->line_start + drop, (size_t)keep * sizeof(int));
                memmove(w->line_len, w->line_len + drop, (size_t)keep * sizeof(int));
                lines = keep;
                widest = 0;
                for (int i = 0; i < lines; i++) {
                    int wd = tw(b, w->text + w->line_start[i], (size_t)w->line_len[i], p, bold);
                    widest = wd > widest ? wd : widest;
                }
            }
            place_text(w, lh, widest, lines);
            return;
        }
        if (p == min_px) {
            if (flags & FIT_ELLIPSIS)
                lb_ellipsize(b, w, lh);
            return;
        }
    }
}

void lb_ellipsize(struct lb *b, struct widget *w, int lh)
{
    int keep = lh > 0 ? w->box.h / lh : 1, widest = 0;
    keep = keep < 1 ? 1 : keep;
    int lines = wrap(b, w, w->px, w->bold, w->box.w, &widest);
    if (lines >= 0 && lines <= keep)
        return;
    /* cut after the last line that fits, then trim until "…" fits on it */
    size_t end = (size_t)(w->line_start[keep - 1] + w->line_len[keep - 1]);
    for (;;) {
        char tmp[WIDGET_TEXT_MAX];
        snprintf(tmp, sizeof(tmp), "%.*s…", (int)end, w->text);
        struct widget probe = *w;
        snprintf(probe.text, sizeof(probe.text), "%s", tmp);
        lines = wrap(b, &probe, w->px, w->bold, w->box.w, &widest);
        if ((lines >= 0 && lines <= keep) || end == 0) {
            *w = probe;
            place_text(w, lh, widest, lines < 0 ? 0 : lines);
            return;
        }
        end--;
        while (end > 0 && ((unsigned char)w->text[end] & 0xC0) == 0x80)
            end--;
    }
}

int lb_para(struct lb *b, const char *id, enum role role, enum style st, const char *text, int x,
            int y, int wdt, int px, bool bold, enum halign al)
{
    struct widget *w = lb_add(b, id, role, st, text, (struct wrect){x, y, wdt, 1}, ACT_NONE, 0);
    int widest = 0, lh = lb_line_h(b, px, bold);
    w->px = px;
    w->bold = bold;
    w->align = al;
    int lines = wrap(b, w, px, bold, wdt, &widest);
    if (lines < 0) {
        lines = WIDGET_LINES_MAX;
        b->overflow = true;
    }
    w->r.h = lines * lh;
    w->box = w->r;
    place_text(w, lh, widest, lines);
    return w->r.h;
}

int lb_text_h(struct lb *b, const char *text, int px, bool bold, int wdt)
{
    struct widget probe;
    memset(&probe, 0, sizeof(probe));
    snprintf(probe.text, sizeof(probe.text), "%s", text);
    int widest = 0, lines = wrap(b, &probe, px, bold, wdt, &widest);
    if (lines < 0)
        lines = WIDGET_LINES_MAX + 1;
    return lines * lb_line_h(b, px, bold);
}

int lb_text_w(struct lb *b, const char *text, int px, bool bold)
{
    return tw(b, text, strlen(text), px, bold);
}

struct widget *lb_button(struct lb *b, const char *id, enum role role, enum style st,
                         const char *text, struct wrect r, enum action a, int arg, int px,
                         bool bold)
{
    struct widget *w = lb_add(b, id, role, st, text, r, a, arg);
    lb_fit(b, w, px, bold, AL_CENTER, 0);
    return w;
}

/* The bar comes last in reading order (and speech): the screen's own words and actions first. */
static void bar_last(struct lb *b)
{
    struct layout *l = b->l;
    int first = b->bar_first, n = b->bar_n;
    if (n <= 0 || first < 0 || first + n > l->n || first + n == l->n)
        return;
    struct widget tmp[8];
    if (n > 8)
        return;
    memcpy(tmp, &l->wg[first], (size_t)n * sizeof(tmp[0]));
    memmove(&l->wg[first], &l->wg[first + n], (size_t)(l->n - first - n) * sizeof(tmp[0]));
    memcpy(&l->wg[l->n - n], tmp, (size_t)n * sizeof(tmp[0]));
}

/* The type sizes at scale k, and the heights that follow from them. */
static struct lb_type type_at(const struct lb *b, double k)
{
    struct lb_type t;
    t.body = (int)lround(M_BODY * b->u * k);
    t.head = (int)lround(t.body * M_HEAD);
    t.small = (int)lround(t.body * M_SMALL);
    t.btn_h = b->T > t.body * 22 / 10 ? b->T : t.body * 22 / 10; /* a line and air */
    t.help_h = t.btn_h * 6 / 5 > LAYOUT_HELP_MIN_H ? t.btn_h * 6 / 5 : LAYOUT_HELP_MIN_H;
    return t;
}

static void metrics(struct lb *b, double k)
{
    const struct layout_input *in = b->in;
    b->u = layout_unit(in->w, in->h);
    b->k = k;
    b->pad = (int)lround(M_PAD * b->u);
    b->gap = (int)lround(M_GAP * b->u);
    b->T = layout_target(in->w, in->h);
    b->type_big = type_at(b, k);
    b->type_n = b->normal ? type_at(b, b->k_least) : b->type_big;
    lb_use_type(b, false);
    b->landscape = in->w * 10 >= in->h * 12;
}

void lb_use_type(struct lb *b, bool normal)
{
    const struct lb_type *t = normal ? &b->type_n : &b->type_big;
    b->body = t->body;
    b->head = t->head;
    b->small = t->small;
    b->btn_h = t->btn_h;
    b->help_h = t->help_h;
}

static bool crosses(const struct wrect *a, const struct wrect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Whether a line of w's text starts inside a word (typed text and staff details may). */
static bool cuts_word(const struct widget *w)
{
    for (int i = 1; i < w->n_lines && w->role != R_FIELD; i++) {
        int at = w->line_start[i];
        if (at > 0 && w->text[at - 1] != ' ' && w->text[at - 1] != '\n' && w->text[at] != ' ')
            return true;
    }
    return false;
}

/* Every widget on the screen, no word cut across lines, on a portrait resident screen every
 * control within reach (the lower 60%), and no two controls on top of one another (but for an
 * overlay's, over the screen). */
static bool placed_apart(const struct layout *l, bool overlay)
{
    bool staff = l->screen == SCR_STAFF || l->screen == SCR_STAFF_PIN;
    for (int i = 0; i < l->n; i++) {
        const struct widget *a = &l->wg[i];
        if (a->r.x < 0 || a->r.y < 0 || a->r.x + a->r.w > l->w || a->r.y + a->r.h > l->h)
            return false;
        if (!staff && cuts_word(a))
            return false;
        if (a->action == ACT_NONE || a->role == R_BACKDROP)
            continue;
        if (l->h > l->w && !staff && a->r.y < l->h * 2 / 5)
            return false;
        for (int j = i + 1; j < l->n && !overlay; j++) {
            const struct widget *c = &l->wg[j];
            if (c->action != ACT_NONE && c->role != R_BACKDROP && crosses(&a->r, &c->r))
                return false;
        }
    }
    return true;
}

/* One build of in's screen at type scale k into out; returns true when everything fitted. k_least
 * > 0 (bigger text): no text shrinks below its size at type scale k_least. */
int lb_normal_px(const struct lb *b, const char *id, int px)
{
    if (!b->normal)
        return px;
    for (int i = 0; i < b->normal->n; i++)
        if (strcmp(b->normal->id[i], id) == 0)
            return b->normal->px[i];
    return 0; /* not on the normal screen (another page there): as normal text shrinks */
}

/* How a build went: something does not fit or lies on another control; everything fits but
 * some part had less room than it wanted; clean. */
enum built { BUILT_BROKEN, BUILT_TIGHT, BUILT_CLEAN };

static enum built build_at(const struct layout_input *in, struct layout *out, double k,
                           double k_least, const struct normal_px *normal, int *pages)
{
    const struct flow *f = in->f;
    struct lb b;
    memset(&b, 0, sizeof(b));
    b.in = in;
    b.f = f;
    b.l = out;
    b.k_least = k_least;
    b.big = f->big_text;
    b.normal = normal;
    memset(out, 0, sizeof(*out));
    out->w = in->w;
    out->h = in->h;
    out->screen = f->screen;
    snprintf(out->lang, sizeof(out->lang), "%s", f->lang);
    out->high_contrast = f->high_contrast;
    out->big_text = f->big_text;
    out->idle_prompt = f->idle_prompt;
    metrics(&b, k);
    b.floor = in->h - b.pad;
    out->type_scale = k;
    screen_build(&b);
    bar_last(&b);
    if (f->idle_prompt)
        lb_idle(&b);
    else if (f->confirm_reset)
        lb_confirm(&b);
    for (int i = 0; f->focus[0] && i < out->n; i++)
        out->wg[i].focused = strcmp(out->wg[i].id, f->focus) == 0;
    bool fits = !b.lost_fit;
    if (pages)
        *pages = b.pages > 1 ? b.pages : 1;
    for (int i = 0; i < out->n && fits; i++)
        fits = out->wg[i].fits; /* shrunk as far as it goes and still too big */
    if (normal && fits)
        fits = placed_apart(out, f->idle_prompt || f->confirm_reset);
    return !fits ? BUILT_BROKEN : b.overflow ? BUILT_TIGHT : BUILT_CLEAN;
}

/* Normal text: the whole screen's type shrinks by TYPE_SHRINK steps until it fits. Returns the
 * scale it settled at. */
static double build_normal(const struct layout_input *in, struct layout *out)
{
    double k = 1.0;
    while (build_at(in, out, k, 0, NULL, NULL) != BUILT_CLEAN && k > TYPE_SCALE_LEAST)
        k *= TYPE_SHRINK;
    return k;
}

/* The screens whose content reflows with bigger text (more rows, pages) rather than shrinking;
 * the others still shrink their whole type to fit. */
static bool reflows(enum screen s)
{
    switch (s) {
    default:
        return true;
    }
}

int layout_build(const struct layout_input *in, struct layout *out)
{
    if (!in || !out || !in->f || !in->cat || !in->m || in->w < 320 || in->h < 240)
        return -1;
    if (!in->f->big_text) {
        build_normal(in, out);
        return 0;
    }
    if (!reflows(in->f->screen))
        goto out_shrink;
    /* Bigger text never shrinks below normal: the scale normal text settles at here is the
     * floor of every text, and the screen's type comes down from TYPE_BIG in small steps, no
     * lower than TYPE_BIG_LEAST times that; what does not fit then reflows (more rows, pages). */
    /* the same screen with normal text, as the resident would see it with bigger text off */
    struct flow plain = *in->f;
    struct layout_input pin = *in;
    plain.big_text = false;
    pin.f = &plain;
    double kn = build_normal(&pin, out), least = kn * TYPE_BIG_LEAST;
    flow_wipe(&plain, sizeof(plain)); /* it holds what the resident typed */
    struct normal_px normal;
    normal.n = 0;
    for (int i = 0; i < out->n && normal.n < LAYOUT_WIDGETS_MAX; i++) {
        if (!out->wg[i].id[0] || !out->wg[i].text[0])
            continue;
        snprintf(normal.id[normal.n], WIDGET_ID_MAX, "%s", out->wg[i].id);
        normal.px[normal.n++] = out->wg[i].px;
    }
    /* the scale is chosen on the first page, so that every page is cut from the same whole */
    struct flow first = *in->f;
    struct layout_input fin = *in;
    first.chip_page = 0;
    fin.f = &first;
    /* the largest type that fits clean on the fewest pages; else the least, if it fits at all */
    double k = 0;
    int fewest = 0;
    for (double kk = TYPE_BIG; kk > least + 1e-9; kk -= TYPE_BIG_STEP) {
        int pages = 1;
        if (build_at(&fin, out, kk, kn, &normal, &pages) == BUILT_CLEAN &&
            (k == 0 || pages < fewest)) {
            k = kk;
            fewest = pages;
        }
        if (k > 0 && fewest == 1)
            break;
    }
    enum built got = k > 0 ? BUILT_CLEAN : BUILT_BROKEN;
    if (k == 0) {
        k = least;
        got = build_at(&fin, out, k, kn, &normal, NULL);
    }
    flow_wipe(&first, sizeof(first));
    if (got != BUILT_BROKEN && build_at(in, out, k, kn, &normal, NULL) != BUILT_BROKEN)
        return 0;
    /* another page that does not fit at the first page's scale: a smaller one for it, as long
     * as it keeps bigger text, before the whole screen shrinks */
    for (double kk = k - TYPE_BIG_STEP; got != BUILT_BROKEN && kk > least - 1e-9;
         kk -= TYPE_BIG_STEP)
        if (build_at(in, out, kk, kn, &normal, NULL) != BUILT_BROKEN)
            return 0;
out_shrink: /* it does not fit even so (a very small screen): the whole screen's type shrinks */
    for (double ks = TYPE_BIG;
         build_at(in, out, ks, 0, NULL, NULL) != BUILT_CLEAN && ks > TYPE_SCALE_LEAST;)
        ks *= TYPE_SHRINK;
    return 0;
}

int layout_hit(const struct layout *l, int x, int y)
{
    for (int i = l->n - 1; i >= 0; i--) {
        const struct widget *w = &l->wg[i];
        if (x >= w->r.x && x < w->r.x + w->r.w && y >= w->r.y && y < w->r.y + w->r.h &&
            w->action != ACT_NONE)
            return w->disabled ? -1 : i;
    }
    return -1;
}

const struct widget *layout_find(const struct layout *l, const char *id)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->wg[i].id, id) == 0)
            return &l->wg[i];
    return NULL;
}
