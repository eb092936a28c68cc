/* welcome_parts.c — the welcome screen's parts for residents on their way out and for idle
 * eyes: "Did you get what you came for?" in a framed panel of its own (each language its own
 * question and three answers, then a thank-you in the language answered), and the line of the
 * hub's public figures. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"
#include "stack.h"

/* The question's words in c; on a wide screen with "On your way out?" before it (a tall one
 * has no room for it within reach: the panel, apart and framed, says it is another thing). */
static void question(const struct lb *b, const struct i18n *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", b->landscape ? i18n_get(c, "feedback.title") : "",
             b->landscape ? " " : "", i18n_get(c, "feedback.question"));
}

static const struct i18n *cat_at(const struct lb *b, int i)
{
    return b->in->cats[i] ? b->in->cats[i] : b->in->cat;
}

/* The panel's geometry: where it is, groups a row, each group's width and height. Below the
 * greeting on a tall screen; beside it, on the right, on a wide one. */
struct fb_geo {
    int x, w, cols, rows, gw, gh, ip, bh;
    int qpx, apx; /* the questions' type, the answers' */
};

/* normal: 0, the screen's type; 1, the questions at normal text's; 2, the answers too (with
 * bigger text on a tall screen, so that the panel stays within reach). */
static void geometry(struct lb *b, struct fb_geo *g, int normal)
{
    int n = b->f->cfg.n_langs > 0 ? b->f->cfg.n_langs : 1;
    char q[WIDGET_TEXT_MAX];
    g->cols = 1;
    g->rows = n;
    g->w = b->landscape ? lb_feedback_w(b) : lb_col_w(b);
    g->x = b->landscape ? lb_w(b) - b->pad - g->w : (lb_w(b) - g->w) / 2;
    if (b->normal && b->landscape) { /* bigger text: on a page of its own, the languages side
                                      * by side across the screen */
        g->cols = n;
        g->rows = 1;
        g->w = lb_w(b) - 2 * b->pad;
        g->x = b->pad;
    }
    g->ip = b->pad * 3 / 4;
    g->gw = (g->w - 2 * g->ip - (g->cols - 1) * b->gap * 2) / g->cols;
    g->qpx = normal >= 1 ? b->type_n.body : b->body;
    g->apx = (int)lround((normal >= 2 ? b->type_n.body : b->body) * 1.1);
    g->bh = normal >= 2 ? b->type_n.btn_h : b->btn_h;
    int th = 0;
    for (int i = 0; i < n; i++) {
        question(b, cat_at(b, i), q, sizeof(q));
        int h = lb_text_h(b, q, g->qpx, true, g->gw);
        th = h > th ? h : th;
    }
    g->gh = th + b->gap + g->bh;
}

/* One language's question and its three answers in r (the group's rectangle): the question
 * over a row of the answers, each an equal share of the row. */
static void group(struct lb *b, int i, struct wrect r, const struct fb_geo *g)
{
    const struct flow *f = b->f;
    const struct i18n *c = cat_at(b, i);
    char id[WIDGET_ID_MAX], q[WIDGET_TEXT_MAX], key[48];
    question(b, c, q, sizeof(q));
    char qid[WIDGET_ID_MAX];
    snprintf(qid, sizeof(qid), "feedback-q-%s", f->cfg.langs[i]);
    struct stack_text t = stack_para(qid, R_TEXT, ST_CARD, q, g->qpx, true, AL_CENTER);
    /* the question has the room the tallest question takes, the answers their height */
    struct stack_child parts[] = {{g->gh - b->gap - g->bh, 0}, {g->bh, 0}};
    struct wrect at[2], ans[FEEDBACK_NONE];
    stack_column(b, r, b->gap, STACK_START, parts, 2, at);
    stack_texts_place(b, &t, 1, at);
    struct stack_child shares[FEEDBACK_NONE];
    for (int a = 0; a < FEEDBACK_NONE; a++)
        shares[a] = (struct stack_child){STACK_SHARE, 0};
    stack_row(b, at[1], b->gap, shares, FEEDBACK_NONE, ans);
    for (int a = 0; a < FEEDBACK_NONE; a++) {
        snprintf(id, sizeof(id), "feedback-%s-%s", f->cfg.langs[i], feedback_answer_name(a));
        snprintf(key, sizeof(key), "feedback.%s", feedback_answer_name(a));
        lb_button(b, id, R_BUTTON, ST_SECONDARY, i18n_get(c, key), ans[a], ACT_FEEDBACK,
                  FLOW_FEEDBACK_ARG(i, a), g->apx, true);
    }
}

int lb_feedback_w(struct lb *b)
{
    return b->landscape ? (lb_w(b) - 2 * b->pad - b->gap * 2) * 9 / 20 : lb_col_w(b);
}

int lb_feedback(struct lb *b, int bottom, bool build)
{
    const struct flow *f = b->f;
    struct fb_geo g;
    geometry(b, &g, 0);
    int h = 2 * g.ip + g.rows * g.gh + (g.rows - 1) * b->gap, y = bottom - h;
    /* with bigger text on a tall screen the answers stay within reach: at bigger text's least
     * type, the questions' words, then the answers', come back toward (never below) their
     * normal size, before the whole screen shrinks */
    bool least = b->k <= b->k_least * TYPE_BIG_LEAST + 1e-6;
    for (int normal = 1; b->normal && least && !b->landscape && normal <= 2 &&
                         y + g.ip + g.gh - g.bh < lb_reach_top(b);
         normal++) {
        geometry(b, &g, normal);
        h = 2 * g.ip + g.rows * g.gh + (g.rows - 1) * b->gap;
        y = bottom - h;
    }
    if (!build)
        return y;
    /* a touch on the panel that misses its buttons does nothing: it never starts a check-in */
    lb_add(b, "feedback-area", R_BACKDROP, ST_SCREEN, "", R(g.x, y, g.w, h), ACT_FEEDBACK,
           FLOW_FEEDBACK_ARG(0, FEEDBACK_NONE));
    lb_add(b, "feedback-panel", R_PANEL, ST_CARD, "", R(g.x, y, g.w, h), ACT_NONE, 0);
    struct wrect in = stack_inset(R(g.x, y, g.w, h), g.ip);
    if (f->thanks_lang >= 0 && f->thanks_lang < f->cfg.n_langs) { /* centred in the panel */
        struct stack_text t = {.role = R_HEADING,
                               .st = ST_CARD,
                               .text = i18n_get(cat_at(b, f->thanks_lang), "feedback.thanks"),
                               .px = b->head,
                               .bold = true,
                               .al = AL_CENTER,
                               .id = "feedback-thanks"};
        struct stack_child c;
        struct wrect at;
        stack_texts_measure(b, &t, 1, in.w, &c);
        stack_column(b, R(in.x, y, in.w, h), 0, STACK_CENTRE, &c, 1, &at);
        stack_texts_place(b, &t, 1, &at);
        return y;
    }
    /* the groups in rows (gap apart) of columns (two gaps apart), inside the panel's inset */
    struct stack_child rows[FLOW_LANGS_MAX], cols[FLOW_LANGS_MAX];
    struct wrect row[FLOW_LANGS_MAX], col[FLOW_LANGS_MAX];
    for (int r = 0; r < g.rows; r++)
        rows[r] = (struct stack_child){g.gh, 0};
    for (int c = 0; c < g.cols; c++)
        cols[c] = (struct stack_child){g.gw, 0};
    stack_column(b, in, b->gap, STACK_START, rows, g.rows, row);
    for (int i = 0; i < f->cfg.n_langs; i++) {
        stack_row(b, R(in.x, row[i / g.cols].y, in.w, g.gh), b->gap * 2, cols, g.cols, col);
        group(b, i, col[i % g.cols], &g);
    }
    return y;
}

int lb_community(struct lb *b, int y, bool build)
{
    const struct flow *f = b->f;
    char line[FLOW_LANGS_MAX][WIDGET_TEXT_MAX];
    struct stack_text t[FLOW_LANGS_MAX];
    struct stack_child c[FLOW_LANGS_MAX];
    struct wrect r[FLOW_LANGS_MAX];
    if (f->status.known && !f->status.online)
        return 0; /* offline: figures that may be old are not shown as news */
    int cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, n = f->cfg.n_langs;
    for (int i = 0; i < n; i++) { /* one line a language, in a column */
        if (flow_community_line(f, cat_at(b, i), line[i], sizeof(line[i])) == 0)
            return 0;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "community-%s", f->cfg.langs[i]);
        t[i] = stack_para(id, R_TEXT, ST_MUTED, line[i], b->body, false, AL_CENTER);
    }
    stack_texts_measure(b, t, n, cw, c);
    int h = stack_natural_h(c, n, 0);
    if (build) {
        stack_column(b, R(cx, y, cw, h), 0, STACK_START, c, n, r);
        stack_texts_place(b, t, n, r);
    }
    return h + b->gap * 2;
}
