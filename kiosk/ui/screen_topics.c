/* screen_topics.c — choose a topic: housing, health, money or something else, and the things
 * that cannot wait; "Ask at reception" when the words were not understood. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* The urgent needs a resident can tap among the topics, in this order. */
static const char *const urgent_topics[] = {"homeless_tonight", "in_danger", "medical_emergency"};
#define N_URGENT_TOPICS ((int)(sizeof(urgent_topics) / sizeof(urgent_topics[0])))

/* The height of the heading over those tiles, with the space under it. */
static int urgent_head_h(struct lb *b)
{
    return lb_text_h(b, lb_str(b, "topics.urgent"), b->body, true, lb_w(b) - 2 * b->pad) +
           b->gap / 2;
}

/* The tiles for things that cannot wait, under their heading, from y; each as tall as its
 * words need (one row in landscape, one a row in portrait, or two_a_row with bigger text on pages,
 * where height is short). Returns the height; with build false only measures. */
static int urgent_tiles(struct lb *b, int y, bool build, bool two_a_row)
{
    const struct taxonomy *tax = b->f->deps.tax;
    struct tile_def u[N_URGENT_TOPICS];
    int n = 0, cw = lb_w(b) - 2 * b->pad, px = (int)lround(b->body * 1.1);
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
    int hh = urgent_head_h(b);
    int h = hh + rows * th + (rows - 1) * b->gap;
    if (!build)
        return h;
    lb_para(b, "urgent-title", R_HEADING, ST_SCREEN, head, b->pad, y, cw, b->body, true, AL_LEFT);
    if (two_a_row && !b->landscape) /* two a row when their words stay whole */
        return lb_tiles_reflow(b, y + hh, y + hh + lb_h(b) * 4, u, n, 2, ST_URGENT_TILE, th,
                               "urgent-more") -
               y;
    lb_tiles(b, y + hh, y + h, u, n, cols, ST_URGENT_TILE, th);
    return h;
}

void topics_build(struct lb *b)
{
    const struct flow *f = b->f;
    int top = lb_topbar(b), y = top, cw = lb_w(b) - 2 * b->pad;
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
    int uh = urgent_tiles(b, y, false, false), ah = ask && !ask_foot ? b->btn_h + b->gap : 0;
    y = lb_reach_from(b, first, y);
    /* with bigger text the tiles take the rows their words need, and everything to tap goes
     * on pages (lb_page below) rather than the urgent tiles getting no room */
    int tiles = b->l->n, tiles_y = y;
    for (int urgent_first = 0; urgent_first < 2; urgent_first++) {
        /* with bigger text on pages, the things that cannot wait come first, so that they are
         * on the first page without typing; "not understood" and the topics under their title
         * follow them */
        if (urgent_first) {
            b->l->n = first;
            tiles = first;
            /* the tiles in reach; their heading, which is not to be tapped, just above it */
            int reach = lb_reach_top(b) - urgent_head_h(b);
            y = tiles_y = top > reach ? top : reach;
            y += urgent_tiles(b, y, true, true) + 2 * b->gap;
            b->first_page_end = b->l->n;
            if (f->unsure)
                y += lb_para(b, "unsure", R_TEXT, ST_MUTED, lb_str(b, "topics.unsure"), b->pad, y,
                             cw, b->body, false, AL_LEFT) +
                     b->gap;
            y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "topics.title"), b->pad, y, cw,
                         b->head, true, AL_LEFT) +
                 b->gap;
        }
        int tiles_bottom = b->normal ? y + lb_h(b) * 4 : bottom - uh - ah - 2 * b->gap;
        y = lb_tiles_reflow(b, y, tiles_bottom, t, 4, b->landscape ? 4 : 2, ST_TILE, b->T * 2,
                            "topic-more") +
            b->gap;
        if (ah) {
            lb_button(b, "ask-reception", R_BUTTON, ST_SECONDARY, lb_str(b, "topics.ask_reception"),
                      R(b->pad, y, cw, b->btn_h), ACT_ASK_RECEPTION, 0, b->body, false);
            y += ah;
        }
        if (urgent_first)
            break;
        y += b->gap + urgent_tiles(b, y + b->gap, true, false);
        if (!b->normal || y <= bottom)
            break;
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
