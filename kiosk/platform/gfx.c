/* gfx.c — fonts (Noto Sans, DejaVu for missing glyphs), cached measurement and text textures,
 * anti-aliased rounded shapes, and painting the widget tree. */
#include "gfx.h"
#include "damage.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEASURE_SLOTS 16384
#define TEX_BUCKETS   1024
#define TEX_MAX       600
#define CIRCLE_MAX    400
#define PX_MAX        400

struct mslot {
    uint64_t key; /* 0 = empty */
    int w;
};

struct tex {
    uint64_t key;
    SDL_Texture *t;
    int w, h;
    unsigned used;
    struct tex *next;
};

struct face {
    TTF_Font *f;
    int px; /* size it is set to now */
};

struct gfx {
    SDL_Renderer *ren;
    struct face font[2], fallback[2]; /* [bold] */
    struct measurer m;
    struct mslot *ms;
    int n_ms;
    struct tex *tb[TEX_BUCKETS];
    int n_tex;
    unsigned frame;
    short lh[PX_MAX + 1][2];
    SDL_Texture *circle[CIRCLE_MAX + 1];
    SDL_Texture *qr_tex; /* the last QR code drawn, a pixel a module */
    uint64_t qr_key;
    int qr_w;
    char buf[WIDGET_TEXT_MAX + 8];
    struct damage_state dmg; /* the tree on screen, for repainting only what changed */
    bool keeps_frame;        /* the target keeps its pixels from one frame to the next */
    long painted;            /* pixels painted by the last gfx_draw */
    struct damage shown;     /* what the last gfx_draw painted, for gfx_present */
};

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

static uint64_t text_key(const char *s, size_t len, int px, bool bold, uint32_t rgb)
{
    uint64_t h = hash_bytes(1469598103934665603ull, s, len);
    int extra[3] = {px, bold, (int)rgb};
    h = hash_bytes(h, extra, sizeof(extra));
    return h ? h : 1;
}

static int font_path_fc(const char *family, bool bold, char *out, size_t cap)
{
    int rc = -1;
    if (!FcInit())
        return -1;
    FcPattern *p = FcNameParse((const FcChar8 *)family);
    if (!p)
        return -1;
    FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, p, &res);
    FcChar8 *file = NULL;
    if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(out, cap, "%s", (const char *)file);
        rc = 0;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(p);
    return rc;
}

static TTF_Font *open_font(const char *given, const char *deb, const char *family, bool bold)
{
    char path[1024];
    if (given && given[0])
        return TTF_OpenFont(given, 24);
    if (access(deb, R_OK) == 0)
        return TTF_OpenFont(deb, 24);
    if (font_path_fc(family, bold, path, sizeof(path)) == 0)
        return TTF_OpenFont(path, 24);
    return NULL;
}

static void set_px(struct face *f, int px)
{
    if (f->px != px) {
        TTF_SetFontSize(f->f, px);
        f->px = px;
    }
}

static bool covers(TTF_Font *f, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    while (p < e) {
        uint32_t cp;
        int n;
        if (*p < 0x80)
            cp = *p, n = 1;
        else if (*p >= 0xF0)
            cp = *p & 0x07u, n = 4;
        else if (*p >= 0xE0)
            cp = *p & 0x0Fu, n = 3;
        else
            cp = *p & 0x1Fu, n = 2;
        for (int i = 1; i < n && p + i < e; i++)
            cp = (cp << 6) | (p[i] & 0x3Fu);
        if (cp >= 0x20 && !TTF_GlyphIsProvided32(f, cp))
            return false;
        p += n;
    }
    return true;
}

/* The face that can show s, sized to px. */
static TTF_Font *face_for(struct gfx *g, const char *s, size_t len, int px, bool bold)
{
    struct face *f = &g->font[bold];
    if (g->fallback[bold].f && !covers(f->f, s, len))
        f = &g->fallback[bold];
    set_px(f, px);
    return f->f;
}

static const char *cstr(struct gfx *g, const char *s, size_t len)
{
    if (len > WIDGET_TEXT_MAX)
        len = WIDGET_TEXT_MAX;
    memcpy(g->buf, s, len);
    g->buf[len] = '\0';
    return g->buf;
}

static int measure_width(void *ctx, const char *s, size_t len, int px, bool bold)
{
    struct gfx *g = ctx;
    if (len == 0)
        return 0;
    px = px < 4 ? 4 : px > PX_MAX ? PX_MAX : px;
    uint64_t key = text_key(s, len, px, bold, 0xFFFFFFFFu);
    size_t i = key % MEASURE_SLOTS;
    while (g->ms[i].key) {
        if (g->ms[i].key == key)
            return g->ms[i].w;
        i = (i + 1) % MEASURE_SLOTS;
    }
    if (g->n_ms > MEASURE_SLOTS * 3 / 4) {
        memset(g->ms, 0, MEASURE_SLOTS * sizeof(*g->ms));
        g->n_ms = 0;
        i = key % MEASURE_SLOTS;
    }
    int w = 0, h = 0;
    TTF_Font *f = face_for(g, s, len, px, bold);
    TTF_SizeUTF8(f, cstr(g, s, len), &w, &h);
    g->ms[i].key = key;
    g->ms[i].w = w;
    g->n_ms++;
    return w;
}

static int measure_line_h(void *ctx, int px, bool bold)
{
    struct gfx *g = ctx;
    px = px < 4 ? 4 : px > PX_MAX ? PX_MAX : px;
    if (!g->lh[px][bold]) {
        set_px(&g->font[bold], px);
        g->lh[px][bold] = (short)TTF_FontLineSkip(g->font[bold].f);
    }
    return g->lh[px][bold];
}

struct gfx *gfx_new(SDL_Renderer *ren, const char *font_regular, const char *font_bold, char *err,
                    size_t errcap)
{
    struct gfx *g = calloc(1, sizeof(*g));
    if (!g || !(g->ms = calloc(MEASURE_SLOTS, sizeof(*g->ms)))) {
        snprintf(err, errcap, "out of memory");
        goto out_free;
    }
    if (!TTF_WasInit() && TTF_Init() < 0) {
        snprintf(err, errcap, "SDL_ttf: %s", TTF_GetError());
        goto out_free;
    }
    g->ren = ren;
    g->font[0].f = open_font(font_regular, "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                             "Noto Sans", false);
    g->font[1].f =
        open_font(font_bold, "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", "Noto Sans", true);
    if (!g->font[0].f) {
        snprintf(err, errcap,
                 "no font: install fonts-noto-core or fonts-dejavu-core, or pass "
                 "--font FILE");
        goto out_free;
    }
    if (!g->font[1].f)
        g->font[1].f = g->font[0].f;
    g->fallback[0].f =
        open_font(NULL, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans", false);
    g->fallback[1].f = open_font(NULL, "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                                 "DejaVu Sans", true);
    for (int i = 0; i < 2; i++) {
        TTF_SetFontHinting(g->font[i].f, TTF_HINTING_LIGHT);
        if (g->fallback[i].f)
            TTF_SetFontHinting(g->fallback[i].f, TTF_HINTING_LIGHT);
    }
    /* SDL's software renderer paints into the window's own surface, which keeps its pixels
     * between frames; an accelerated renderer's back buffer is undefined after each present. */
    SDL_RendererInfo info;
    g->keeps_frame = SDL_GetRendererInfo(ren, &info) == 0 && strcmp(info.name, "software") == 0;
    g->m.ctx = g;
    g->m.text_width = measure_width;
    g->m.line_height = measure_line_h;
    return g;
out_free:
    gfx_free(g);
    return NULL;
}

void gfx_free(struct gfx *g)
{
    if (!g)
        return;
    for (int i = 0; i < TEX_BUCKETS; i++)
        for (struct tex *t = g->tb[i], *n; t; t = n) {
            n = t->next;
            SDL_DestroyTexture(t->t);
            free(t);
        }
    for (int i = 0; i <= CIRCLE_MAX; i++)
        if (g->circle[i])
            SDL_DestroyTexture(g->circle[i]);
    if (g->qr_tex)
        SDL_DestroyTexture(g->qr_tex);
    for (int i = 0; i < 2; i++) {
        if (g->font[1].f == g->font[0].f && i == 1)
            continue;
        if (g->font[i].f)
            TTF_CloseFont(g->font[i].f);
    }
    for (int i = 0; i < 2; i++)
        if (g->fallback[i].f)
            TTF_CloseFont(g->fallback[i].f);
    damage_release(&g->dmg);
    free(g->ms);
    free(g);
}

const struct measurer *gfx_measurer(struct gfx *g)
{
    return &g->m;
}

void gfx_stats(const struct gfx *g, int *textures, int *measures)
{
    *textures = g->n_tex;
    *measures = g->n_ms;
}

/* Drops the least recently used half of the text textures. */
static void tex_evict(struct gfx *g)
{
    unsigned cut = g->frame;
    unsigned long sum = 0;
    int n = 0;
    for (int i = 0; i < TEX_BUCKETS; i++)
        for (struct tex *t = g->tb[i]; t; t = t->next, n++)
            sum += t->used;
    if (n)
        cut = (unsigned)(sum / (unsigned long)n);
    for (int i = 0; i < TEX_BUCKETS; i++) {
        struct tex **pp = &g->tb[i];
        while (*pp) {
            struct tex *t = *pp;
            if (t->used <= cut && t->used != g->frame) {
                *pp = t->next;
                SDL_DestroyTexture(t->t);
                free(t);
                g->n_tex--;
            } else {
                pp = &t->next;
            }
        }
    }
}

static struct tex *text_tex(struct gfx *g, const char *s, size_t len, int px, bool bold,
                            struct rgb c)
{
    uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    uint64_t key = text_key(s, len, px, bold, rgb);
    struct tex **bucket = &g->tb[key % TEX_BUCKETS];
    for (struct tex *t = *bucket; t; t = t->next)
        if (t->key == key) {
            t->used = g->frame;
            return t;
        }
    if (g->n_tex >= TEX_MAX)
        tex_evict(g);
    TTF_Font *f = face_for(g, s, len, px, bold);
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, cstr(g, s, len), (SDL_Color){c.r, c.g, c.b, 255});
    if (!surf)
        return NULL;
    struct tex *t = calloc(1, sizeof(*t));
    if (t)
        t->t = SDL_CreateTextureFromSurface(g->ren, surf);
    if (!t || !t->t) {
        free(t);
        SDL_FreeSurface(surf);
        return NULL;
    }
    t->key = key;
    t->w = surf->w;
    t->h = surf->h;
    t->used = g->frame;
    SDL_FreeSurface(surf);
    t->next = *bucket;
    *bucket = t;
    g->n_tex++;
    return t;
}

void gfx_warm(struct gfx *g, const struct layout *l, const struct theme *t)
{
    for (int i = 0; i < l->n; i++) {
        const struct widget *w = &l->wg[i];
        if (w->role == R_QR)
            continue;
        for (int k = 0; k < w->n_lines && k < WIDGET_LINES_MAX; k++)
            if (w->line_len[k] > 0)
                text_tex(g, w->text + w->line_start[k], (size_t)w->line_len[k], w->px, w->bold,
                         t->st[w->style].fg);
    }
}

/* A white disc of radius r with anti-aliased edge, tinted when drawn. */
static SDL_Texture *circle_tex(struct gfx *g, int r)
{
    if (r < 1 || r > CIRCLE_MAX)
        return NULL;
    if (g->circle[r])
        return g->circle[r];
    int d = 2 * r;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < d; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
        for (int x = 0; x < d; x++) {
            double dx = x + 0.5 - r, dy = y + 0.5 - r;
            double a = r - sqrt(dx * dx + dy * dy) + 0.5;
            a = a < 0 ? 0 : a > 1 ? 1 : a;
            row[x] = (uint32_t)lround(a * 255) << 24 | 0xFFFFFFu;
        }
    }
    g->circle[r] = SDL_CreateTextureFromSurface(g->ren, s);
    SDL_FreeSurface(s);
    if (g->circle[r])
        SDL_SetTextureBlendMode(g->circle[r], SDL_BLENDMODE_BLEND);
    return g->circle[r];
}

static void fill(struct gfx *g, int x, int y, int w, int h, struct rgb c)
{
    if (w <= 0 || h <= 0)
        return;
    SDL_SetRenderDrawColor(g->ren, c.r, c.g, c.b, 255);
    SDL_RenderFillRect(g->ren, &(SDL_Rect){x, y, w, h});
}

/* The four corners of r, quarter discs of radius rad in colour c. */
static void corners(struct gfx *g, SDL_Texture *t, struct wrect r, int rad, struct rgb c)
{
    SDL_SetTextureColorMod(t, c.r, c.g, c.b);
    SDL_RenderCopy(g->ren, t, &(SDL_Rect){0, 0, rad, rad}, &(SDL_Rect){r.x, r.y, rad, rad});
    SDL_RenderCopy(g->ren, t, &(SDL_Rect){rad, 0, rad, rad},
                   &(SDL_Rect){r.x + r.w - rad, r.y, rad, rad});
    SDL_RenderCopy(g->ren, t, &(SDL_Rect){0, rad, rad, rad},
                   &(SDL_Rect){r.x, r.y + r.h - rad, rad, rad});
    SDL_RenderCopy(g->ren, t, &(SDL_Rect){rad, rad, rad, rad},
                   &(SDL_Rect){r.x + r.w - rad, r.y + r.h - rad, rad, rad});
}

static int clamp_radius(struct wrect r, int radius)
{
    int rad = radius;
    if (rad > r.w / 2)
        rad = r.w / 2;
    if (rad > r.h / 2)
        rad = r.h / 2;
    return rad;
}

static void fill_round(struct gfx *g, struct wrect r, int radius, struct rgb c)
{
    int rad = clamp_radius(r, radius);
    SDL_Texture *t = rad > 0 ? circle_tex(g, rad) : NULL;
    if (!t) {
        fill(g, r.x, r.y, r.w, r.h, c);
        return;
    }
    corners(g, t, r, rad, c);
    fill(g, r.x + rad, r.y, r.w - 2 * rad, r.h, c);
    fill(g, r.x, r.y + rad, rad, r.h - 2 * rad, c);
    fill(g, r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad, c);
}

/* A rounded rectangle with a border bw wide. The pixels are those of the border's shape with
 * the inside's painted over it, but the inside is painted once: only the border's corners and
 * its four strips are painted under it (the inside is opaque). */
static void fill_bordered(struct gfx *g, struct wrect r, int radius, int bw, struct rgb border,
                          struct rgb bg)
{
    struct wrect in = {r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw};
    int rad = clamp_radius(r, radius);
    SDL_Texture *t = rad > 0 ? circle_tex(g, rad) : NULL;
    bool strips = in.w > 0 && in.h > 0 && (rad == 0 || (t && rad - bw >= 1));
    if (!strips) {
        fill_round(g, r, radius, border);
        fill_round(g, in, radius - bw, bg);
        return;
    }
    if (t)
        corners(g, t, r, rad, border);
    int cap = rad > 0 ? rad : bw; /* where the side strips start and end */
    fill(g, r.x + rad, r.y, r.w - 2 * rad, bw, border);
    fill(g, r.x + rad, r.y + r.h - bw, r.w - 2 * rad, bw, border);
    fill(g, r.x, r.y + cap, bw, r.h - 2 * cap, border);
    fill(g, r.x + r.w - bw, r.y + cap, bw, r.h - 2 * cap, border);
    fill_round(g, in, radius - bw, bg);
}

static void shape(struct gfx *g, const struct widget *w, struct rgb bg, struct rgb border,
                  bool has_border, int bw)
{
    if (has_border)
        fill_bordered(g, w->r, w->radius, bw, border, bg);
    else
        fill_round(g, w->r, w->radius, bg);
}

static void draw_text(struct gfx *g, const struct widget *w, struct rgb fg, int *end_x, int *end_y)
{
    int voff = w->role == R_FIELD ? 0 : (w->box.h - w->text_h) / 2;
    *end_x = w->box.x;
    *end_y = w->box.y + voff;
    for (int i = 0; i < w->n_lines; i++) {
        const char *s = w->text + w->line_start[i];
        size_t len = (size_t)w->line_len[i];
        int y = w->box.y + voff + i * w->line_h;
        *end_y = y;
        if (len == 0)
            continue;
        struct tex *t = text_tex(g, s, len, w->px, w->bold, fg);
        if (!t)
            continue;
        int x = w->align == AL_CENTER ? w->box.x + (w->box.w - t->w) / 2 : w->box.x;
        SDL_RenderCopy(g->ren, t->t, NULL, &(SDL_Rect){x, y + (w->line_h - t->h) / 2, t->w, t->h});
        *end_x = x + t->w;
    }
}

/* The keypad's focus: a thick ring in the theme's ring colour a little outside the widget, so
 * the widget's own edge and fill stay as they are (WCAG 2.4.13: 2 px or more, 3:1). */
static int ring_margin(int bw)
{
    return 3 * bw + 4; /* the ring's offset and thickness, and a pixel to spare */
}

static void focus_ring(struct gfx *g, const struct widget *w, const struct theme *t, int bw)
{
    int th = bw * 2 + 2, off = bw + 1; /* off + th < ring_margin(bw) */
    struct wrect o = {w->r.x - off - th, w->r.y - off - th, w->r.w + 2 * (off + th),
                      w->r.h + 2 * (off + th)};
    struct rgb c = t->ring;
    fill(g, o.x, o.y, o.w, th, c);
    fill(g, o.x, o.y + o.h - th, o.w, th, c);
    fill(g, o.x, o.y + th, th, o.h - 2 * th, c);
    fill(g, o.x + o.w - th, o.y + th, th, o.h - 2 * th, c);
}

/* The QR code of w->text: dark modules on white with a quiet zone of 4 modules, as large as
 * whole pixels per module allow in w->r. Encoded once per text into a one-pixel-a-module
 * texture, drawn scaled without smoothing. */
static void draw_qr(struct gfx *g, const struct widget *w)
{
    fill(g, w->r.x, w->r.y, w->r.w, w->r.h, (struct rgb){255, 255, 255});
    if (!w->text[0])
        return;
    uint64_t key = text_key(w->text, strlen(w->text), 0, false, 0);
    if (key != g->qr_key || !g->qr_tex) {
        if (g->qr_tex)
            SDL_DestroyTexture(g->qr_tex);
        g->qr_tex = NULL;
        g->qr_key = key;
        QRcode *q = QRcode_encodeString8bit(w->text, 0, QR_ECLEVEL_M);
        SDL_Surface *sf =
            q ? SDL_CreateRGBSurfaceWithFormat(0, q->width, q->width, 32, SDL_PIXELFORMAT_ARGB8888)
              : NULL;
        if (sf) {
            for (int y = 0; y < q->width; y++) {
                uint32_t *row = (uint32_t *)((uint8_t *)sf->pixels + y * sf->pitch);
                for (int x = 0; x < q->width; x++)
                    row[x] = q->data[y * q->width + x] & 1 ? 0xFF000000u : 0xFFFFFFFFu;
            }
            g->qr_tex = SDL_CreateTextureFromSurface(g->ren, sf);
            g->qr_w = q->width;
            if (g->qr_tex)
                SDL_SetTextureScaleMode(g->qr_tex, SDL_ScaleModeNearest);
            SDL_FreeSurface(sf);
        }
        QRcode_free(q);
    }
    if (!g->qr_tex)
        return;
    int side = g->qr_w + 8, size = w->r.w < w->r.h ? w->r.w : w->r.h, m = size / side;
    m = m < 1 ? 1 : m;
    int x0 = w->r.x + (w->r.w - m * g->qr_w) / 2, y0 = w->r.y + (w->r.h - m * g->qr_w) / 2;
    SDL_RenderCopy(g->ren, g->qr_tex, NULL, &(SDL_Rect){x0, y0, m * g->qr_w, m * g->qr_w});
}

/* Dims r (within clip, when given) of the window surface to what SDL's blended fill of black at
 * alpha a gives, by a table a channel value where SDL multiplies and divides three times a
 * pixel. False when the target is not an XRGB8888 window surface: then SDL is to do it. */
static bool dim_surface(struct gfx *g, struct wrect r, const struct wrect *clip, Uint8 a)
{
    SDL_Window *win = g->keeps_frame ? SDL_RenderGetWindow(g->ren) : NULL;
    if (!win || SDL_RenderFlush(g->ren) < 0)
        return false;
    SDL_Surface *sf = SDL_GetWindowSurface(win);
    if (!sf || sf->format->format != SDL_PIXELFORMAT_RGB888)
        return false;
    int x0 = r.x > 0 ? r.x : 0, y0 = r.y > 0 ? r.y : 0;
    int x1 = r.x + r.w < sf->w ? r.x + r.w : sf->w, y1 = r.y + r.h < sf->h ? r.y + r.h : sf->h;
    if (clip) {
        x0 = x0 > clip->x ? x0 : clip->x;
        y0 = y0 > clip->y ? y0 : clip->y;
        x1 = x1 < clip->x + clip->w ? x1 : clip->x + clip->w;
        y1 = y1 < clip->y + clip->h ? y1 : clip->y + clip->h;
    }
    uint32_t tab[3][256];
    for (unsigned v = 0; v < 256; v++) {
        uint32_t d = v * (255u - a) / 255u; /* SDL's DRAW_MUL(255 - a, v), plus black's 0 */
        tab[0][v] = d << 16;
        tab[1][v] = d << 8;
        tab[2][v] = d;
    }
    if (SDL_MUSTLOCK(sf) && SDL_LockSurface(sf) < 0)
        return false;
    for (int y = y0; y < y1; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)sf->pixels + (size_t)y * (size_t)sf->pitch);
        for (int x = x0; x < x1; x++) {
            uint32_t p = row[x];
            row[x] = tab[0][p >> 16 & 255] | tab[1][p >> 8 & 255] | tab[2][p & 255];
        }
    }
    if (SDL_MUSTLOCK(sf))
        SDL_UnlockSurface(sf);
    return true;
}

/* Paints the widgets of l from index from to index to that reach clip (the whole screen when
 * clip is NULL), in tree order, then the focus rings; over the screen's background unless
 * from > 0 (widgets added over the frame as it is). Inside clip the pixels are those a whole
 * repaint of those widgets gives. */
static void paint(struct gfx *g, const struct layout *l, const struct theme *t, int pressed, int bw,
                  const struct wrect *clip, int from, int to)
{
    SDL_SetRenderDrawColor(g->ren, t->screen_bg.r, t->screen_bg.g, t->screen_bg.b, 255);
    if (clip)
        SDL_RenderFillRect(g->ren, &(SDL_Rect){clip->x, clip->y, clip->w, clip->h});
    else if (from == 0)
        SDL_RenderClear(g->ren);
    for (int i = from; i < to; i++) {
        const struct widget *w = &l->wg[i];
        if (clip && !damage_overlaps(*clip, damage_extent(w, ring_margin(bw))))
            continue;
        const struct style_colours *sc = &t->st[w->style];
        struct rgb bg = i == pressed ? sc->pressed_bg : sc->bg;
        switch (w->role) {
        case R_BACKDROP:
            if (w->style == ST_OVERLAY && !dim_surface(g, w->r, clip, 150)) {
                SDL_SetRenderDrawBlendMode(g->ren, SDL_BLENDMODE_BLEND);
                SDL_SetRenderDrawColor(g->ren, 0, 0, 0, 150);
                SDL_RenderFillRect(g->ren, &(SDL_Rect){w->r.x, w->r.y, w->r.w, w->r.h});
                SDL_SetRenderDrawBlendMode(g->ren, SDL_BLENDMODE_NONE);
            }
            break;
        case R_FIELD:
            shape(g, w, bg, t->focus, true, bw * 3 / 2);
            break;
        case R_PANEL:
        case R_BUTTON:
        case R_KEY:
        case R_CHIP:
        case R_TILE:
        case R_AVATAR:
            shape(g, w, bg, sc->border, sc->has_border, bw);
            break;
        default:
            if (i == pressed)
                fill_round(g, w->r, w->radius, bg);
            break;
        }
        int ex = 0, ey = 0;
        if (w->role == R_QR) {
            draw_qr(g, w);
            continue;
        }
        draw_text(g, w, sc->fg, &ex, &ey);
        if (w->caret) {
            int cw = w->px / 12 < 2 ? 2 : w->px / 12;
            int cx = w->style == ST_PLACEHOLDER ? w->box.x - cw - 2 : ex + 2;
            fill(g, cx, ey + w->line_h / 8, cw, w->line_h * 3 / 4, t->focus);
        }
    }
    for (int i = from; i < to; i++)
        if (l->wg[i].focused &&
            (!clip || damage_overlaps(*clip, damage_extent(&l->wg[i], ring_margin(bw)))))
            focus_ring(g, &l->wg[i], t, bw);
}

void gfx_draw(struct gfx *g, const struct layout *l, const struct theme *t, int pressed)
{
    g->frame++;
    int base = l->w < l->h ? l->w : l->h;
    int bw = base / 400 < 2 ? 2 : base / 400;
    /* Every fill but the overlay's dimming is opaque: without blending, SDL's software
     * renderer fills a rectangle as fast as memset instead of blending pixel by pixel. */
    SDL_SetRenderDrawBlendMode(g->ren, SDL_BLENDMODE_NONE);
    struct damage d;
    damage_diff(&g->dmg, l, t, pressed, ring_margin(bw), &d);
    if (!g->keeps_frame)
        d.full = true;
    g->shown = d;
    g->shown.full = d.full || d.append > 0;
    g->painted = 0;
    if (d.full) {
        paint(g, l, t, pressed, bw, NULL, 0, l->n);
        g->painted = (long)l->w * l->h;
        return;
    }
    /* A QR code is scaled: clipped, its modules could land a pixel apart from a whole paint.
     * Any damage that reaches one takes it in whole. */
    for (int i = 0; i < d.n; i++)
        for (int j = 0; j < l->n; j++)
            if (l->wg[j].role == R_QR && damage_overlaps(d.r[i], l->wg[j].r)) {
                struct wrect q = l->wg[j].r, r = d.r[i];
                int x0 = q.x < r.x ? q.x : r.x, y0 = q.y < r.y ? q.y : r.y;
                int x1 = q.x + q.w > r.x + r.w ? q.x + q.w : r.x + r.w;
                int y1 = q.y + q.h > r.y + r.h ? q.y + q.h : r.y + r.h;
                d.r[i] = (struct wrect){x0, y0, x1 - x0, y1 - y0};
            }
    if (d.append > 0) {
        for (int i = 0; i < d.n; i++) {
            const struct wrect *c = &d.r[i];
            SDL_RenderSetClipRect(g->ren, &(SDL_Rect){c->x, c->y, c->w, c->h});
            paint(g, l, t, pressed, bw, c, 0, d.append);
        }
        SDL_RenderSetClipRect(g->ren, NULL);
        paint(g, l, t, pressed, bw, NULL, d.append, l->n);
        for (int i = d.append; i < l->n; i++)
            g->painted += (long)l->wg[i].r.w * l->wg[i].r.h;
        if (g->painted > (long)l->w * l->h)
            g->painted = (long)l->w * l->h;
        return;
    }
    for (int i = 0; i < d.n; i++) {
        const struct wrect *c = &d.r[i];
        SDL_RenderSetClipRect(g->ren, &(SDL_Rect){c->x, c->y, c->w, c->h});
        paint(g, l, t, pressed, bw, c, 0, l->n);
        g->painted += (long)c->w * c->h;
    }
    SDL_RenderSetClipRect(g->ren, NULL);
    g->shown = d; /* with the QR codes' rectangles taken in */
}

void gfx_present(struct gfx *g)
{
    /* SDL's software renderer presents by sending its whole window surface to the display
     * (8 MB at 1080x1920, copied again by the X server); only what was painted is sent. */
    SDL_Window *win = g->keeps_frame ? SDL_RenderGetWindow(g->ren) : NULL;
    if (win && !g->shown.full && g->shown.n > 0) {
        SDL_Rect r[DAMAGE_RECTS_MAX];
        for (int i = 0; i < g->shown.n; i++)
            r[i] = (SDL_Rect){g->shown.r[i].x, g->shown.r[i].y, g->shown.r[i].w, g->shown.r[i].h};
        if (SDL_RenderFlush(g->ren) == 0 && SDL_UpdateWindowSurfaceRects(win, r, g->shown.n) == 0)
            return;
    }
    if (win && !g->shown.full && g->shown.n == 0 && SDL_RenderFlush(g->ren) == 0)
        return; /* nothing changed on screen */
    SDL_RenderPresent(g->ren);
}

void gfx_invalidate(struct gfx *g)
{
    damage_invalidate(&g->dmg);
}

long gfx_painted(const struct gfx *g)
{
    return g->painted;
}
