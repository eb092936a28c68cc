/* screen_subtopics.c — the needs of one topic as tiles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the needs screen. */
enum {
    TITLE_GAP_DIV = 2,  /* under the title: half a gap */
    COLS_WIDE = 4,      /* tile columns on a screen at least 3:2 wide */
    COLS_LANDSCAPE = 3, /* on another landscape screen */
    COLS_PORTRAIT = 2,  /* on a portrait screen */
    WIDE_NUM = 3,       /* "at least 3:2 wide" */
    WIDE_DEN = 2,
    TILE_TARGETS = 2, /* a tile at least this many target sizes tall */
};

void subtopics_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    int top = lb_topbar(b), cw = lb_w(b) - 2 * b->pad;
    static const char *const keys[DOMAIN_COUNT] = {"topic.housing", "topic.health",
                                                   "topic.benefits"};
    int topic = f->topic >= 0 && f->topic < DOMAIN_COUNT ? f->topic : 0, first = b->l->n;
    /* the heading: the topic, half a gap, what to choose */
    struct stack_text head[] = {
        {"title", R_HEADING, ST_SCREEN, lb_str(b, keys[topic]), b->head, true, AL_LEFT},
        {"", R_TEXT, ST_SCREEN, NULL, b->gap / TITLE_GAP_DIV, false, AL_LEFT},
        {"subtitle", R_TEXT, ST_MUTED, lb_str(b, "sub.title"), b->body, false, AL_LEFT},
    };
    enum { HEAD_N = sizeof(head) / sizeof(head[0]) };
    struct stack_child hc[HEAD_N];
    struct wrect hr[HEAD_N];
    stack_texts_measure(b, head, HEAD_N, cw, hc);
    int y = stack_column(b, R(b->pad, top, cw, stack_natural_h(hc, HEAD_N, 0)), 0, STACK_START, hc,
                         HEAD_N, hr);
    stack_texts_place(b, head, HEAD_N, hr);
    y += b->gap;
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
    int cols = !b->landscape                              ? COLS_PORTRAIT
               : lb_w(b) >= lb_h(b) * WIDE_NUM / WIDE_DEN ? COLS_WIDE
                                                          : COLS_LANDSCAPE;
    y = lb_reach_from(b, first, y);
    lb_tiles_reflow(b, y, lb_foot_top(b, FOOT_BACK, false), t, n, cols, ST_TILE,
                    b->T * TILE_TARGETS, "sub-more");
    lb_foot(b, FOOT_BACK, false);
}

bool subtopics_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    const struct taxonomy *tax = f->deps.tax;
    if (a == ACT_SUBTOPIC && tax && arg >= 0 && arg < tax->n) {
        f->sel[0] = arg;
        f->n_sel = 1;
        f->chosen_worker = -1;
        flow_to_check(f, SRC_TOPIC, now_ms);
        return true;
    }
    if (a == ACT_CHIP_MORE && arg >= 0 && arg < NEED_MAX) {
        f->chip_page = arg; /* the layout knows how many pages there are */
        return true;
    }
    if (a == ACT_BACK) {
        flow_go(f, SCR_TOPICS, now_ms);
        return true;
    }
    return false;
}
