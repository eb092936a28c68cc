/* foot.c — help without typing: the "I need help now" button every resident screen but urgent
 * carries, the foot row it sits in (with Back or Finish, and "Ask at reception"), and the column
 * landscape screens short of height put them in. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

static int help_px(struct lb *b)
{
    return (int)lround(b->body * 1.2);
}

/* The label in the resident's language; on the welcome screen, where nobody has chosen a
 * language yet, in every configured one, one a line. */
static void help_label(struct lb *b, char *out, size_t cap)
{
    const struct flow *f = b->f;
    size_t o = 0;
    out[0] = '\0';
    if (f->screen != SCR_WELCOME) {
        snprintf(out, cap, "%s", lb_str(b, "help.now"));
        return;
    }
    for (int i = 0; i < f->cfg.n_langs; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        int n = snprintf(out + o, cap - o, "%s%s", i ? "\n" : "", i18n_get(c, "help.now"));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

int lb_help_now_w(struct lb *b)
{
    char label[WIDGET_TEXT_MAX];
    help_label(b, label, sizeof(label));
    int px = help_px(b), widest = lb_widest_line(b, label, px, true);
    return widest + 2 * (px * 6 / 10) + 2 * b->gap;
}

int lb_help_now_h(struct lb *b, int w)
{
    char label[WIDGET_TEXT_MAX];
    help_label(b, label, sizeof(label));
    int px = help_px(b), ix = px * 6 / 10, iy = px / 5;
    int h = lb_text_h(b, label, px, true, w - 2 * ix) + 2 * iy + b->gap / 2;
    return h > b->help_h ? h : b->help_h;
}

struct widget *lb_help_now(struct lb *b, struct wrect r)
{
    char label[WIDGET_TEXT_MAX];
    help_label(b, label, sizeof(label));
    return lb_button(b, "help-now", R_BUTTON, ST_HELP_NOW, label, r, ACT_HELP_NOW, 0, help_px(b),
                     true);
}

static int foot(struct lb *b, enum foot_left left, bool ask, bool build)
{
    const struct flow *f = b->f;
    bool help = f->screen != SCR_URGENT; /* urgent is where it leads */
    int W = b->in->w, x = b->pad, right = W - b->pad;
    int fin_w = b->T * 4, back_w = b->T * 3;
    int avail = right - x -
                (left == FOOT_BACK     ? back_w
                 : left == FOOT_FINISH ? fin_w
                                       : 0) -
                (left != FOOT_NONE ? b->gap : 0);
    int hw = lb_help_now_w(b), least = ask ? avail / 2 : avail * 2 / 5;
    hw = hw < least ? least : hw > avail ? avail : hw;
    int h = help ? lb_help_now_h(b, hw) : b->btn_h;
    int y = b->floor - h;
    if (!build)
        return y - b->gap;
    if (left == FOOT_FINISH && !help) { /* the urgent screen: Finish alone, on the right */
        lb_button(b, "finish", R_BUTTON, ST_PRIMARY, lb_str(b, "result.finish"),
                  R(right - fin_w, y, fin_w, h), ACT_FINISH, 0, b->body, true);
        return y - b->gap;
    }
    if (left != FOOT_NONE) {
        bool fin = left == FOOT_FINISH;
        int w = fin ? fin_w : back_w;
        lb_button(b, fin ? "finish" : "back", R_BUTTON, fin ? ST_PRIMARY : ST_SECONDARY,
                  lb_str(b, fin ? "result.finish" : "app.back"), R(x, y, w, h),
                  fin ? ACT_FINISH : ACT_BACK, 0, b->body, fin);
        x += w + b->gap;
    }
    if (ask)
        lb_button(b, "ask-reception", R_BUTTON, ST_SECONDARY, lb_str(b, "topics.ask_reception"),
                  R(x, y, right - hw - b->gap - x, h), ACT_ASK_RECEPTION, 0, b->body, false);
    if (help)
        lb_help_now(b, R(right - hw, y, hw, h));
    return y - b->gap;
}

struct wrect lb_foot_free(struct lb *b, enum foot_left left)
{
    int right = b->in->w - b->pad;
    int lw = left == FOOT_BACK ? b->T * 3 : left == FOOT_FINISH ? b->T * 4 : 0;
    int x = b->pad + (left != FOOT_NONE ? lw + b->gap : 0), avail = right - x;
    int hw = lb_help_now_w(b), least = avail * 2 / 5; /* as foot() without "Ask at reception" */
    hw = hw < least ? least : hw > avail ? avail : hw;
    int h = lb_help_now_h(b, hw), fw = right - hw - b->gap - x - b->gap;
    return R(x + b->gap, b->floor - h, fw > 0 ? fw : 0, h);
}

int lb_foot_top(struct lb *b, enum foot_left left, bool ask)
{
    return foot(b, left, ask, false);
}

int lb_foot(struct lb *b, enum foot_left left, bool ask)
{
    return foot(b, left, ask, true);
}

int lb_side_w(struct lb *b)
{
    int w = lb_help_now_w(b), least = b->T * 4, most = b->in->w / 3;
    w = w < least ? least : w;
    return w > most ? most : w;
}

int lb_side_top(struct lb *b)
{
    int w = lb_side_w(b), hh = lb_help_now_h(b, w), hy = b->floor - hh;
    return hy - 2 * b->gap - b->btn_h;
}

void lb_side_foot(struct lb *b)
{
    int w = lb_side_w(b), x = b->in->w - b->pad - w;
    int hh = lb_help_now_h(b, w), hy = b->floor - hh;
    int fy = hy - 2 * b->gap - b->btn_h; /* a clear gap: Finish is tapped often, help now not */
    lb_button(b, "finish", R_BUTTON, ST_PRIMARY, lb_str(b, "result.finish"), R(x, fy, w, b->btn_h),
              ACT_FINISH, 0, b->body, true);
    lb_help_now(b, R(x, hy, w, hh));
}

int lb_help_now_low_w(struct lb *b)
{
    int W = b->in->w, H = b->in->h, base = W < H ? W : H;
    int cw = W - 2 * b->pad < base * 3 / 2 ? W - 2 * b->pad : base * 3 / 2;
    int clear = b->T * 3 / 2 + b->gap; /* the staff corner, bottom left */
    int w = lb_help_now_w(b), least = cw * 3 / 5, most = W - 2 * clear;
    w = w < least ? least : w;
    return w > most ? most : w;
}

int lb_help_now_h_low(struct lb *b)
{
    return lb_help_now_h(b, lb_help_now_low_w(b));
}

int lb_help_now_low(struct lb *b, int bottom, bool build)
{
    int W = b->in->w, w = lb_help_now_low_w(b);
    int h = lb_help_now_h(b, w), y = bottom - h;
    if (build)
        lb_help_now(b, R((W - w) / 2, y, w, h));
    return y;
}

int lb_side_answers(struct lb *b, const char *id1, const char *t1, enum action a1, const char *id2,
                    const char *t2, enum action a2, bool build)
{
    int w = lb_side_w(b), x = b->in->w - b->pad - w;
    int hh = lb_help_now_h(b, w), y = b->floor - hh;
    int bk = lb_tall_h(b, lb_str(b, "app.back"), w, 0);
    int h2 = lb_tall_h(b, t2, w, b->gap), h1 = lb_tall_h(b, t1, w, b->gap);
    int top = y - 2 * b->gap - bk - b->gap - h2 - b->gap - h1;
    if (!build)
        return top;
    int yy = top;
    lb_button(b, id1, R_BUTTON, ST_PRIMARY, t1, R(x, yy, w, h1), a1, 0, b->body, true);
    yy += h1 + b->gap;
    lb_button(b, id2, R_BUTTON, ST_SECONDARY, t2, R(x, yy, w, h2), a2, 0, b->body, true);
    yy += h2 + b->gap * 2; /* a clear gap: Back is another thing */
    lb_button(b, "back", R_BUTTON, ST_SECONDARY, lb_str(b, "app.back"), R(x, yy, w, bk), ACT_BACK,
              0, b->body, false);
    lb_help_now(b, R(x, y, w, hh));
    if (top < b->pad)
        b->overflow = true;
    return top;
}
