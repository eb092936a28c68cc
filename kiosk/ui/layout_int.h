/* layout_int.h — the layout builder shared by layout.c and the per-screen builders. Internal to
 * kiosk/ui. */
#ifndef HUB_LAYOUT_INT_H
#define HUB_LAYOUT_INT_H

#include "layout.h"

enum { FIT_TAIL = 1, FIT_ELLIPSIS = 2 };

/* With bigger text, each text's size on the normal screen: nothing goes below it. */
struct normal_px {
    int n;
    char id[LAYOUT_WIDGETS_MAX][WIDGET_ID_MAX];
    int px[LAYOUT_WIDGETS_MAX];
};

/* Type sizes (px) and the heights that follow from them. */
struct lb_type {
    int body, head, small, btn_h, help_h;
};

struct lb {
    const struct layout_input *in;
    const struct flow *f;
    struct layout *l;
    struct widget scratch; /* absorbs widgets past LAYOUT_WIDGETS_MAX */
    double u, k;           /* size unit; type scale */
    bool big;              /* bigger text: nothing shrinks below its normal size */
    double k_least;        /* with bigger text, the type scale normal text has here; else 0 */
    const struct normal_px *normal; /* with bigger text, the normal screen's sizes; else NULL */
    int pad, gap, T, btn_h;
    int help_h;                      /* "I need help now": never under LAYOUT_HELP_MIN_H px */
    int body, head, small;           /* font sizes in px */
    struct lb_type type_big, type_n; /* at the screen's scale; at normal text's (bigger text) */
    bool landscape;
    bool overflow; /* content did not fit: build again with smaller type */
    int pages;     /* how many pages lb_page cut the content into (0: not paged) */
    bool lost_fit; /* a widget lb_page put on another page does not fit (its page would fail) */
    bool broke;    /* the last wrap cut a word across lines (lb_fit shrinks rather than that) */
    int floor;     /* content ends above this y: the bar's top (resident screens), or the foot */
    int bar_first, bar_n; /* the bar's widgets: moved to the end of reading order */
    int first_page_end;   /* lb_page: widgets before this index must be on its first page (what
                           * matters first); when one is not, the build is short of room */
    struct wrect more_at; /* lb_page: where "More" goes when it fits there (w > 0: in the foot's
                           * free room), leaving the content all the height */
};

const char *lb_str(struct lb *b, const char *key);
/* Lays out what follows at normal text's sizes (normal true; with bigger text, a part short of
 * room: never below normal) or at the screen's own (false). */
void lb_use_type(struct lb *b, bool normal);
struct widget *lb_add(struct lb *b, const char *id, enum role role, enum style st, const char *text,
                      struct wrect r, enum action a, int arg);
/* The least the text of widget id, laid out at px, may shrink to: with bigger text its size on
 * the normal screen (0 when it is not there, on another page), else px itself. */
int lb_normal_px(const struct lb *b, const char *id, int px);
/* Wraps, then shrinks, w->text into w's rectangle (with bigger text never below
 * lb_normal_px). */
void lb_fit(struct lb *b, struct widget *w, int px, bool bold, enum halign al, int flags);
void lb_ellipsize(struct lb *b, struct widget *w, int lh);
/* A text block of natural height at (x, y), width wdt; returns its height. */
int lb_para(struct lb *b, const char *id, enum role role, enum style st, const char *text, int x,
            int y, int wdt, int px, bool bold, enum halign al);
int lb_text_h(struct lb *b, const char *text, int px, bool bold, int wdt);
int lb_text_w(struct lb *b, const char *text, int px, bool bold);
int lb_line_h(struct lb *b, int px, bool bold);
struct widget *lb_button(struct lb *b, const char *id, enum role role, enum style st,
                         const char *text, struct wrect r, enum action a, int arg, int px,
                         bool bold);

#define R(x, y, w, h) ((struct wrect){(x), (y), (w), (h)})

static inline int lb_w(const struct lb *b)
{
    return b->in->w;
}

static inline int lb_h(const struct lb *b)
{
    return b->in->h;
}

/* screens.c: the table (screens.h) */
/* Builds the current screen (the thank-you screen for one out of range). */
void screen_build(struct lb *b);
#define SCREEN_BUILD(e, name, prefix) void prefix##_build(struct lb *b);
SCREEN_TABLE(SCREEN_BUILD)
#undef SCREEN_BUILD

/* overlay.c */
void lb_idle(struct lb *b);
/* "Start again?" over the screen, when something typed would be lost. */
void lb_confirm(struct lb *b);

/* toolbar.c: the bar every screen shows (language, listen, text size, contrast, start again): at
 * the bottom of resident screens (sets b->floor above it), at the top of staff ones. Returns the
 * y the screen's content starts at. */
int lb_topbar(struct lb *b);

/* typing.c: the tell screen (tell true) or the name screen, keyboard and all. */
void lb_typing_screen(struct lb *b, bool tell);

/* parts.c: pieces several screens share */
/* Width of the reading column, centred. */
int lb_col_w(struct lb *b);
/* Moves widgets [first, n) down so the block [top, y) sits a little above the middle of
 * [top, bottom). */
void lb_centre_block(struct lb *b, int first, int top, int y, int bottom);
/* Content ending at y below bottom: the screen did not fit (built again with smaller type). */
void lb_check_bottom(struct lb *b, int y, int bottom);
/* A worker's initials in a circle of their colour. */
void lb_avatar(struct lb *b, const char *id, const struct worker *wk, struct wrect r);
/* The height of a button of width w holding text, with extra px of air around it. */
int lb_tall_h(struct lb *b, const char *text, int w, int extra);
/* The top of reach: on a portrait screen every control starts at or below this y (the lower
 * 60%, within reach from a wheelchair); on a landscape one, anywhere. */
int lb_reach_top(struct lb *b);
/* Moves widgets [first, last) down so their block, which ends at y, ends at to. */
void lb_settle_range(struct lb *b, int first, int last, int y, int to);
/* The same for every widget from first on. */
void lb_settle(struct lb *b, int first, int y, int to);
/* Where a screen's controls start after its words (which end at y, from widget first): on a
 * portrait screen at the top of reach, the words settled down just above them. */
int lb_reach_from(struct lb *b, int first, int y);
/* A tile of a grid. */
struct tile_def {
    char id[WIDGET_ID_MAX];
    const char *text;
    enum action a;
    int arg;
};
/* A grid of tiles between y and bottom, at most max_h tall each; returns the y below it. */
int lb_tiles(struct lb *b, int y, int bottom, const struct tile_def *t, int n, int cols,
             enum style st, int max_h);
/* With bigger text, lb_tiles that never shrinks a label: as many columns as keep every label
 * whole at its size, and when the rows do not fit, pages with "More (n)" (more_id, ACT_CHIP_MORE
 * to the next page, f->chip_page) in the last place. Normal text: lb_tiles. */
int lb_tiles_reflow(struct lb *b, int y, int bottom, const struct tile_def *t, int n, int cols,
                    enum style st, int max_h, const char *more_id);
/* The height lb_tiles_reflow's tiles take with bigger text in room px (the page shown), without
 * placing them. */
int lb_tiles_reflow_h(struct lb *b, int room, const struct tile_def *t, int n, int cols, int max_h);
/* The widest line of text at px (lines split at line breaks). */
int lb_widest_line(struct lb *b, const char *text, int px, bool bold);
/* The widest word of text at px (words split at spaces and line breaks). */
int lb_widest_word(struct lb *b, const char *text, int px, bool bold);
/* The string key of "helps with ..." for a domain mask. */
const char *lb_helps_key(unsigned mask);
/* The height of lb_two_buttons' row. */
int lb_two_buttons_h(struct lb *b, const char *t1, const char *t2);
/* The main choice and the other one side by side in the reading column from y; returns the y
 * below them. */
int lb_two_buttons(struct lb *b, int y, int bottom, const char *id1, const char *t1, enum action a1,
                   const char *id2, const char *t2, enum action a2);
/* What the ticket's QR code holds, as plain text for the resident's phone: the ticket, who they
 * will see and where to wait, the hub (never their name or their words). */
void lb_qr_text(struct lb *b, const char *code, const char *worker, const char *desk,
                const char *desk_cy, char *out, size_t cap);
/* The QR code (drawn by the shell from its text); while hubd's ticket may still come, an empty
 * square holds its place so that nothing moves. */
void lb_qr_widget(struct lb *b, const char *payload, struct wrect r, bool pending);

/* With bigger text, content that does not fit goes on pages rather than getting smaller: the
 * widgets [first, n), laid out in one column from top and ending at y, are cut into pages of
 * whole rows (widgets side by side stay together) that fit between top and bottom with room for
 * "More" (page-more, ACT_CHIP_MORE to the next page, the last back to the first; f->chip_page is
 * the page shown) at the bottom right, or in b->more_at when set and wide enough. Only the page
 * shown stays in the tree, settled down against "More" (at the right of the column cx, cw wide).
 * Returns the y the content ends at (bottom when paged; y when it fits, or with normal text, where
 * nothing changes). */
int lb_page(struct lb *b, int first, int top, int y, int bottom, int cx, int cw);
/* The height of that "More": a target within reach; its width in a column cw wide. */
int lb_more_h(struct lb *b);
int lb_more_w(struct lb *b, int cw);
/* Whether it fits in at (as b->more_at). */
bool lb_more_in(struct lb *b, struct wrect at, int cw);

/* foot.c: help without typing */
enum foot_left { FOOT_NONE, FOOT_BACK, FOOT_FINISH };
/* The "I need help now" button in r (on the welcome screen in every configured language). */
struct widget *lb_help_now(struct lb *b, struct wrect r);
/* Its height at width w: help_h, or taller when its label wraps to more lines than fit. */
int lb_help_now_h(struct lb *b, int w);
/* Its natural width: its label at its size, with room around it. */
int lb_help_now_w(struct lb *b);
/* The foot of a resident screen, one row, all help_h tall: Back or Finish on the left (left),
 * "Ask at reception" next to it (ask), "I need help now" on the right. Returns the y the
 * screen's content must end above. */
int lb_foot(struct lb *b, enum foot_left left, bool ask);
/* Where that foot's content must end above, without adding it (content comes first in reading
 * order, so screens measure the foot, lay out their content, then add the foot). */
int lb_foot_top(struct lb *b, enum foot_left left, bool ask);
/* The room that foot leaves free between Back (or Finish) and "I need help now" (no "Ask at
 * reception"), a gap from each; w is 0 when there is none. */
struct wrect lb_foot_free(struct lb *b, enum foot_left left);
/* Screens with a backdrop (welcome, done): "I need help now" centred low, ending at bottom;
 * returns its top. With build false only measures (content comes first in reading order). */
int lb_help_now_low(struct lb *b, int bottom, bool build);
/* That button's width and height (it is centred). */
int lb_help_now_low_w(struct lb *b);
int lb_help_now_h_low(struct lb *b);
/* Landscape screens short of height (result): Finish above "I need help now" in a column at
 * the right, bottom-aligned, lb_side_w wide; the content keeps the rest of the width. */
int lb_side_w(struct lb *b);
void lb_side_foot(struct lb *b);
/* With bigger text on a wide screen, a question's two answers (the main one first), Back and
 * "I need help now" in that column, bottom-aligned, so that the words keep the rest of the
 * screen's height. Returns the column's top; with build false only measures. */
int lb_side_answers(struct lb *b, const char *id1, const char *t1, enum action a1, const char *id2,
                    const char *t2, enum action a2, bool build);
/* Whether a question screen lays out so: bigger text on a wide screen. */
static inline bool lb_answers_beside(const struct lb *b)
{
    return b->normal && b->landscape;
}
/* The top of that column's Finish: what goes above it ends over this y. */
int lb_side_top(struct lb *b);

/* screen_staff_pin.c: on the welcome screen, the hidden corner a long press opens the PIN pad
 * from. */
void lb_staff_corner(struct lb *b);

/* Where that corner is: bottom left, a target and a half square. */
struct wrect lb_staff_corner_rect(struct lb *b);
/* screen_staff.c: on the welcome screen, the notice to staff when check-ins are not reaching
 * reception (flow_staff_alert). Returns the height it takes at the bottom of the screen (0 when
 * there is no notice). */
int lb_staff_notice(struct lb *b);

/* welcome_parts.c: "Did you get what you came for?" in its panel, ending at bottom (or the
 * thank-you in its place): below the greeting on a portrait screen, at the right of it on a
 * landscape one. Returns its top. With build false only measures. */
int lb_feedback(struct lb *b, int bottom, bool build);
/* Its width (on a landscape screen the greeting keeps the rest, left of it). */
int lb_feedback_w(struct lb *b);
/* The line of the hub's public figures in each language at y: its height with the space below
 * it, 0 when there is none to show (none from hubd, or offline). With build false only
 * measures. */
int lb_community(struct lb *b, int y, bool build);

#endif
