/* screen_topics.c — choose a topic: housing, health, money or something else, and the things
 * that cannot wait; "Ask at reception" when the words were not understood. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* The urgent needs a resident can tap among the topics, in this order. */
static const char *const urgent_topics[] = {"homeless_tonight", "in_danger", "medical_emergency"};
#define N_URGENT_TOPICS ((int)(sizeof(urgent_topics) / sizeof(urgent_topics[0])))

/* The topic tiles, in DOMAIN_* order, then something else (DOMAIN_COUNT). */
static const char *const topic_keys[] = {"topic.housing", "topic.health", "topic.benefits",
                                         "topic.other"};
static const char *const topic_ids[] = {"topic-housing", "topic-health", "topic-benefits",
                                        "topic-other"};
#define N_TOPICS ((int)(sizeof(topic_keys) / sizeof(topic_keys[0])))

/* Named metrics of the topics screen. */
static const double URGENT_SCALE = 1.1; /* an urgent tile's words, over the body size */
enum {
    HEAD_GAP_DIV = 2,      /* under the urgent tiles' heading: half a gap */
    TILE_PAD_NUM = 6,      /* a tile's words inset 6/10 of their size at each side ... */
    TILE_PAD_DEN = 10,     /* ... (as lb_tiles insets them) */
    TILE_VPAD_DIV = 5,     /* ... and a fifth of it above and below */
    PAGED_SCREENS = 4,     /* bigger text on pages: room for this many screens of tiles */
    URGENT_PAGED_COLS = 2, /* bigger text on pages, portrait: urgent tiles two a row */
    URGENT_GAPS = 2,       /* gaps under the urgent tiles when they come first */
    TOPIC_GAPS = 2,        /* gaps the topic tiles leave above what is under them */
    COLS_LANDSCAPE = 4,    /* topic tile columns */
    COLS_PORTRAIT = 2,
    TILE_TARGETS = 2, /* a topic tile at least this many target sizes tall */
    HEAD_MAX = 4,     /* the heading's paragraphs and gaps */
};

/* The height of the heading over those tiles, with the space under it. */
static int urgent_head_h(struct lb *b)
{
    return lb_text_h(b, lb_str(b, "topics.urgent"), b->body, true, lb_w(b) - 2 * b->pad) +
           b->gap / HEAD_GAP_DIV;
}

/* The screen's heading: the title and, when the words were not understood, that note (first
 * when unsure_first), each with a gap under it, as a text column measured at the screen's
 * width into t and c; returns how many paragraphs. */
static int topics_head_measure(struct lb *b, bool unsure_first, struct stack_text *t,
                               struct stack_child *c)
{
    int n = 0;
    const struct stack_text title = {"title", R_HEADING, ST_SCREEN, lb_str(b, "topics.title"),
                                     b->head, true,      AL_LEFT},
                            unsure = {"unsure", R_TEXT, ST_MUTED, lb_str(b, "topics.unsure"),
                                      b->body,  false,  AL_LEFT},
                            gap = {"", R_TEXT, ST_SCREEN, NULL, b->gap, false, AL_LEFT};
    if (b->f->unsure && unsure_first) {
        t[n++] = unsure;
        t[n++] = gap;
    }
    t[n++] = title;
    t[n++] = gap;
    if (b->f->unsure && !unsure_first) {
        t[n++] = unsure;
        t[n++] = gap;
    }
    stack_texts_measure(b, t, n, lb_w(b) - 2 * b->pad, c);
    return n;
}

/* That heading's height. */
static int topics_head_h(struct lb *b, bool unsure_first)
{
    struct stack_text t[HEAD_MAX];
    struct stack_child c[HEAD_MAX];
    int n = topics_head_measure(b, unsure_first, t, c);
    return stack_natural_h(c, n, 0);
}

/* Places that heading at the bottom of the room box_h px tall from y (just above what follows
 * it). Returns the y under it. */
static int topics_head(struct lb *b, int y, int box_h, bool unsure_first)
{
    struct stack_text t[HEAD_MAX];
    struct stack_child c[HEAD_MAX];
    struct wrect r[HEAD_MAX];
    int n = topics_head_measure(b, unsure_first, t, c);
    y = stack_column(b, R(b->pad, y, lb_w(b) - 2 * b->pad, box_h), 0, STACK_END, c, n, r);
    stack_texts_place(b, t, n, r);
    return y;
}

/* The tiles for things that cannot wait, under their heading, from y; each as tall as its
 * words need (one row in landscape, one a row in portrait, or two_a_row with bigger text on pages,
 * where height is short). Returns the height; with build false only measures. */
static int urgent_tiles(struct lb *b, int y, bool build, bool two_a_row)
{
    const struct taxonomy *tax = b->f->deps.tax;
    struct tile_def u[N_URGENT_TOPICS];
    int n = 0, cw = lb_w(b) - 2 * b->pad, px = (int)lround(b->body * URGENT_SCALE);
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
        int need = lb_text_h(b, u[i].text, px, true, tw - 2 * (px * TILE_PAD_NUM / TILE_PAD_DEN)) +
                   2 * (px / TILE_VPAD_DIV) + b->gap;
        th = need > th ? need : th;
    }
    const char *head = lb_str(b, "topics.urgent");
    int hh = urgent_head_h(b);
    int h = hh + rows * th + (rows - 1) * b->gap;
    if (!build)
        return h;
    lb_para(b, "urgent-title", R_HEADING, ST_SCREEN, head, b->pad, y, cw, b->body, true, AL_LEFT);
    if (two_a_row && !b->landscape) /* two a row when their words stay whole */
        return lb_tiles_reflow(b, y + hh, y + hh + lb_h(b) * PAGED_SCREENS, u, n, URGENT_PAGED_COLS,
                               ST_URGENT_TILE, th, "urgent-more") -
               y;
    lb_tiles(b, y + hh, y + h, u, n, cols, ST_URGENT_TILE, th);
    return h;
}

/* The topic tiles from y, then "Ask at reception" under them when it is not in the foot (ah px
 * with the gap under it); returns the y below them and the gap under them. */
static int topic_tiles(struct lb *b, int y, int tiles_bottom, const struct tile_def *t, int ah)
{
    y = lb_tiles_reflow(b, y, tiles_bottom, t, N_TOPICS,
                        b->landscape ? COLS_LANDSCAPE : COLS_PORTRAIT, ST_TILE, b->T * TILE_TARGETS,
                        "topic-more") +
        b->gap;
    if (ah) {
        lb_button(b, "ask-reception", R_BUTTON, ST_SECONDARY, lb_str(b, "topics.ask_reception"),
                  R(b->pad, y, lb_w(b) - 2 * b->pad, b->btn_h), ACT_ASK_RECEPTION, 0, b->body,
                  false);
        y += ah;
    }
    return y;
}

void topics_build(struct lb *b)
{
    const struct flow *f = b->f;
    int top = lb_topbar(b), cw = lb_w(b) - 2 * b->pad;
    /* words not understood: "Ask at reception" too; in the foot in landscape, where height is
     * short, and under the topic tiles in portrait */
    bool ask = f->unsure, ask_foot = ask && b->landscape;
    int bottom = lb_foot_top(b, FOOT_BACK, ask_foot), first = b->l->n;
    struct tile_def t[N_TOPICS];
    for (int i = 0; i < N_TOPICS; i++) {
        snprintf(t[i].id, sizeof(t[i].id), "%s", topic_ids[i]);
        t[i].text = lb_str(b, topic_keys[i]);
        t[i].a = ACT_TOPIC;
        t[i].arg = i; /* DOMAIN_* in order, then DOMAIN_COUNT for something else */
    }
    /* measured once: the heading, the urgent tiles, "Ask at reception" and, with bigger text
     * (the tiles as tall as their words need, room for PAGED_SCREENS screens of them), the
     * topic tiles; the controls start at the top of reach, the heading settled just above */
    int uh = urgent_tiles(b, 0, false, false), ah = ask && !ask_foot ? b->btn_h + b->gap : 0;
    int head_h = topics_head_h(b, false), reach = lb_reach_top(b);
    int tiles_y = top + head_h > reach ? top + head_h : reach, paged = lb_h(b) * PAGED_SCREENS;
    /* with bigger text, when the usual order (heading, topics, the things that cannot wait
     * under them) runs past the bottom, the things that cannot wait come first, so that they
     * are on the first page without typing; "not understood" and the topics under their title
     * follow them, and everything to tap goes on pages (lb_page below) */
    bool urgent_first = false;
    if (b->normal) {
        int cols = b->landscape ? COLS_LANDSCAPE : COLS_PORTRAIT;
        int tiles_end =
            tiles_y + lb_tiles_reflow_h(b, paged, t, N_TOPICS, cols, b->T * TILE_TARGETS);
        urgent_first = tiles_end + b->gap + ah + b->gap + uh > bottom;
    }
    int tiles = first, y;
    if (!urgent_first) { /* placed once: the heading, the topics, the things that cannot wait */
        topics_head(b, top, tiles_y - top, false);
        tiles = b->l->n;
        y = topic_tiles(b, tiles_y,
                        b->normal ? tiles_y + paged : bottom - uh - ah - TOPIC_GAPS * b->gap, t,
                        ah);
        y += b->gap + urgent_tiles(b, y + b->gap, true, false);
    } else {
        /* the urgent tiles in reach; their heading, which is not to be tapped, just above it */
        int at = reach - urgent_head_h(b);
        y = tiles_y = top > at ? top : at;
        y += urgent_tiles(b, y, true, true) + URGENT_GAPS * b->gap;
        b->first_page_end = b->l->n;
        y = topics_head(b, y, topics_head_h(b, true), true);
        y = topic_tiles(b, y, y + paged, t, ah);
    }
    y = lb_page(b, tiles, tiles_y, y, bottom, b->pad, cw);
    lb_check_bottom(b, y, bottom);
    lb_foot(b, FOOT_BACK, ask_foot);
}

bool topics_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    const struct taxonomy *tax = f->deps.tax;
    if (a == ACT_CHIP_MORE && arg >= 0 && arg <= DOMAIN_COUNT) {
        f->chip_page = arg; /* the layout knows how many pages there are */
        return true;
    }
    if (a == ACT_TOPIC && arg >= 0 && arg < DOMAIN_COUNT) {
        f->topic = arg;
        flow_go(f, SCR_SUBTOPICS, now_ms);
        return true;
    }
    if (a == ACT_TOPIC && arg == DOMAIN_COUNT) {
        f->n_sel = 0;
        f->chosen_worker = -1;
        flow_to_check(f, SRC_RECEPTION, now_ms);
        return true;
    }
    if (a == ACT_URGENT_TOPIC && tax && arg >= 0 && arg < tax->n && tax->needs[arg].urgent) {
        f->sel[0] = arg;
        f->n_sel = 1;
        f->chosen_worker = -1;
        flow_to_check(f, SRC_TOPIC, now_ms); /* urgent: straight to the urgent screen */
        return true;
    }
    if (a == ACT_ASK_RECEPTION) { /* they asked: no "is that right?", only their name */
        f->n_sel = 0;
        f->chosen_worker = -1;
        f->source = SRC_ASK;
        f->urgent = false;
        flow_go(f, SCR_NAME, now_ms);
        return true;
    }
    if (a == ACT_BACK) {
        flow_go(f, SCR_TELL, now_ms);
        return true;
    }
    return false;
}
