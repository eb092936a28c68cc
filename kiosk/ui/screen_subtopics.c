/* screen_subtopics.c — the needs of one topic as tiles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

void subtopics_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    int y = lb_topbar(b), cw = lb_w(b) - 2 * b->pad;
    static const char *const keys[3] = {"topic.housing", "topic.health", "topic.benefits"};
    int topic = f->topic >= 0 && f->topic < DOMAIN_COUNT ? f->topic : 0, first = b->l->n;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, keys[topic]), b->pad, y, cw, b->head,
                 true, AL_LEFT) +
         b->gap / 2;
    y += lb_para(b, "subtitle", R_TEXT, ST_MUTED, lb_str(b, "sub.title"), b->pad, y, cw, b->body,
                 false, AL_LEFT) +
         b->gap;
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
    int cols = b->landscape ? (lb_w(b) >= lb_h(b) * 3 / 2 ? 4 : 3) : 2;
    y = lb_reach_from(b, first, y);
    lb_tiles_reflow(b, y, lb_foot_top(b, FOOT_BACK, false), t, n, cols, ST_TILE, b->T * 2,
                    "sub-more");
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
