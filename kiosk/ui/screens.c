/* screens.c — the table of screens (screens.h): each screen's name, builder and action handler,
 * and the calls that go through it. */
#include "flow_int.h"
#include "layout_int.h"

struct screen_def {
    const char *name; /* in the dump tree and the tests */
    void (*build)(struct lb *b);
    bool (*act)(struct flow *f, enum action a, int arg, int64_t now_ms);
};

#define SCREEN_ROW(e, name, prefix) [e] = {name, prefix##_build, prefix##_act},
static const struct screen_def screens[] = {SCREEN_TABLE(SCREEN_ROW)};
#undef SCREEN_ROW

_Static_assert(sizeof(screens) / sizeof(screens[0]) == SCR_COUNT, "one row for every screen");

const char *screen_name(enum screen s)
{
    return (unsigned)s < SCR_COUNT ? screens[s].name : "?";
}

void screen_build(struct lb *b)
{
    enum screen s = b->f->screen;
    screens[(unsigned)s < SCR_COUNT ? s : SCR_DONE].build(b);
}

bool screen_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    return (unsigned)f->screen < SCR_COUNT && screens[f->screen].act(f, a, arg, now_ms);
}
