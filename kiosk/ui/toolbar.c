/* toolbar.c — the bar every screen shows: language, listen, bigger text, high contrast, start
 * again; at the bottom of resident screens, at the top of staff ones. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

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

int lb_topbar(struct lb *b)
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
    int avail = lb_w(b) - x0 - b->pad - (n - 1) * b->gap;
    /* bar labels grow with bigger text too, but less: the bar must stay one row */
    int px = (int)lround(16 * b->u * (b->k > 1.25 ? 1.25 : b->k)), floor_px = px * 4 / 5;
    int wd[5], sum = 0, bh = b->T, eq = avail / n;
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
        int least[5], lsum = 0;
        for (int i = 0; i < n; i++) {
            least[i] =
                lb_widest_word(b, txt[i], px, it[i].a == ACT_TOGGLE_LANG) + 2 * (px * 6 / 10) + 4;
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
    int bar_h = bh + b->pad, y_panel = staff ? 0 : lb_h(b) - bar_h;
    b->bar_first = b->l->n;
    struct widget *bar =
        lb_add(b, "toolbar", R_PANEL, ST_TOPBAR, "", R(0, y_panel, lb_w(b), bar_h), ACT_NONE, 0);
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
    b->floor = staff ? lb_h(b) - b->pad : y_panel - b->gap;
    return staff ? bar_h + b->pad : b->pad;
}
