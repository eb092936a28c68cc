/* damage.c — the rectangles that changed between two widget trees (see damage.h). */
#include "damage.h"

#include <stdlib.h>
#include <string.h>

static int imin(int a, int b)
{
    return a < b ? a : b;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static long area(struct wrect r)
{
    return r.w > 0 && r.h > 0 ? (long)r.w * r.h : 0;
}

static struct wrect join(struct wrect a, struct wrect b)
{
    int x0 = imin(a.x, b.x), y0 = imin(a.y, b.y);
    int x1 = imax(a.x + a.w, b.x + b.w), y1 = imax(a.y + a.h, b.y + b.h);
    return (struct wrect){x0, y0, x1 - x0, y1 - y0};
}

bool damage_overlaps(struct wrect a, struct wrect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

struct wrect damage_extent(const struct widget *w, int margin)
{
    /* a backdrop is a touch area: only the overlay's dims what is under it */
    if (w->role == R_BACKDROP && w->style != ST_OVERLAY && !w->text[0])
        return (struct wrect){w->r.x, w->r.y, 0, 0};
    struct wrect e = w->r;
    if (w->n_lines > 0 && w->text[0]) {
        /* text wider than its box spills out (left and right when centred) */
        int spill = w->text_w > w->box.w ? w->text_w - w->box.w + 1 : 0;
        int th = imax(w->text_h, w->n_lines * w->line_h);
        struct wrect t = {w->box.x - spill, w->box.y, w->box.w + 2 * spill, imax(th, w->box.h)};
        e = join(e, t);
    }
    return (struct wrect){e.x - margin, e.y - margin, e.w + 2 * margin, e.h + 2 * margin};
}

static void add(struct damage *d, struct wrect r, int sw, int sh)
{
    int x0 = imax(r.x, 0), y0 = imax(r.y, 0);
    int x1 = imin(r.x + r.w, sw), y1 = imin(r.y + r.h, sh);
    if (x1 <= x0 || y1 <= y0)
        return;
    r = (struct wrect){x0, y0, x1 - x0, y1 - y0};
    for (;;) {
        int hit = -1;
        for (int i = 0; i < d->n && hit < 0; i++)
            if (damage_overlaps(r, d->r[i]))
                hit = i;
        if (hit < 0 && d->n == DAMAGE_RECTS_MAX) { /* the join that adds the least */
            long best = -1;
            for (int i = 0; i < d->n; i++) {
                long grow = area(join(r, d->r[i])) - area(d->r[i]) - area(r);
                if (best < 0 || grow < best) {
                    best = grow;
                    hit = i;
                }
            }
        }
        if (hit < 0)
            break;
        r = join(r, d->r[hit]);
        d->r[hit] = d->r[--d->n];
    }
    d->r[d->n++] = r;
}

static bool same(const struct widget *a, const struct widget *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

/* The old widget with w's id not yet taken, looked for from hint on (trees mostly keep their
 * order); -1 when there is none. */
static int find_old(const struct layout *o, const bool *taken, const struct widget *w, int hint)
{
    for (int k = 0; k < o->n; k++) {
        int i = (hint + k) % o->n;
        if (!taken[i] && strcmp(o->wg[i].id, w->id) == 0)
            return i;
    }
    return -1;
}

void damage_diff(struct damage_state *s, const struct layout *l, const void *theme, int pressed,
                 int margin, struct damage *out)
{
    memset(out, 0, sizeof(*out));
    if (!s->last)
        s->last = malloc(sizeof(*s->last));
    const struct layout *o = s->last;
    out->full = !o || !s->valid || o->w != l->w || o->h != l->h || s->theme != theme;
    if (!out->full && o->n > 0 && o->n < l->n && (pressed < 0 || pressed == s->pressed)) {
        bool prefix = true;
        for (int i = 0; prefix && i < o->n; i++)
            prefix = same(&o->wg[i], &l->wg[i]) && !o->wg[i].focused;
        if (prefix) {
            out->append = o->n;
            if (s->pressed >= 0 && s->pressed != pressed && s->pressed < o->n) /* released */
                add(out, damage_extent(&o->wg[s->pressed], margin), l->w, l->h);
            goto out_remember;
        }
    }
    /* Widgets are matched by id. A widget that is the same, in the same state, and still
     * after every unchanged widget it was after (paint order decides what overlaps what)
     * needs no paint; every other, old and new, is damage. */
    bool taken[LAYOUT_WIDGETS_MAX] = {false};
    int last_old = -1;
    for (int j = 0; !out->full && j < l->n; j++) {
        const struct widget *w = &l->wg[j];
        int i = o->n > 0 ? find_old(o, taken, w, last_old + 1) : -1;
        if (i >= 0)
            taken[i] = true;
        if (i > last_old && same(&o->wg[i], w) && (i == s->pressed) == (j == pressed)) {
            last_old = i;
            continue;
        }
        if (i >= 0)
            add(out, damage_extent(&o->wg[i], margin), l->w, l->h);
        add(out, damage_extent(w, margin), l->w, l->h);
    }
    for (int i = 0; !out->full && i < o->n; i++)
        if (!taken[i])
            add(out, damage_extent(&o->wg[i], margin), l->w, l->h);
    long sum = 0;
    for (int i = 0; i < out->n; i++)
        sum += area(out->r[i]);
    if (sum * 5 > (long)l->w * l->h * 4) /* most of the screen: one paint of it all */
        out->full = true;
    if (out->full)
        out->n = 0;
out_remember:
    if (o) {
        s->last->w = l->w;
        s->last->h = l->h;
        s->last->n = l->n;
        memcpy(s->last->wg, l->wg, (size_t)l->n * sizeof(l->wg[0]));
    }
    s->theme = theme;
    s->pressed = pressed;
    s->valid = o != NULL;
}

void damage_invalidate(struct damage_state *s)
{
    s->valid = false;
}

void damage_release(struct damage_state *s)
{
    free(s->last);
    memset(s, 0, sizeof(*s));
}
