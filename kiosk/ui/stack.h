/* stack.h — a column/row stack over struct lb: each child is measured once (its natural
 * height, given before placing), then placed once. Named metrics, in layout units. */
#ifndef HUB_STACK_H
#define HUB_STACK_H

#include "layout_int.h"

/* Gaps between children, in layout units (see M_PAD, M_GAP in layout.h). */
enum stack_gap { STACK_GAP_NONE = 0, STACK_GAP = M_GAP, STACK_GAP_PAD = M_PAD };

/* A named gap in px at the screen's size unit (STACK_GAP is b->gap, STACK_GAP_PAD b->pad). */
int stack_gap_px(const struct lb *b, enum stack_gap g);

/* STACK_UPPER: a third of the room above, two thirds below (where a screen's content sits).
 * STACK_RAISED: two fifths above, three below (a block a little above the middle). */
enum stack_align { STACK_START, STACK_CENTRE, STACK_END, STACK_UPPER, STACK_RAISED };

/* STACK_REST as a child's height: it takes the rest of the column's height. */
enum { STACK_REST = -1 };

/* A row child's width: fixed px (w > 0), an equal share (w == STACK_SHARE) or, with grow > 0,
 * a share of what fixed widths leave, in proportion to grow. */
enum { STACK_SHARE = 0 };

struct stack_child {
    int size; /* column: natural height (px) or STACK_REST; row: width (px) or STACK_SHARE */
    int grow; /* row: weight of a share of the leftover width (0: fixed or equal share) */
};

/* Places n children top to bottom in box with gap px between them, aligned in the box's height;
 * writes their rectangles (full box width) to out. A STACK_REST child takes what is left (the
 * alignment then does not matter). Content taller than the box sets b->overflow. Returns the
 * y below the last child. */
int stack_column(struct lb *b, struct wrect box, int gap, enum stack_align al,
                 const struct stack_child *c, int n, struct wrect *out);

/* Places n children left to right in box with gap px between them, all the box's height.
 * Widths wider than the box set b->overflow. Returns the x right of the last child. */
int stack_row(struct lb *b, struct wrect box, int gap, const struct stack_child *c, int n,
              struct wrect *out);

/* r shrunk by p px on every side (a card's text inside its padding). */
struct wrect stack_inset(struct wrect r, int p);

/* The height n children take stacked with gap px between them (their natural column height). */
int stack_natural_h(const struct stack_child *c, int n, int gap);

/* A paragraph of a text column: measured once at a width (stack_texts_measure), placed once
 * (stack_texts_place) in the rectangle its column gave it. One with no text (NULL) is room px
 * tall that the column keeps (a wider gap, or a place for something that is not text). */
struct stack_text {
    char id[WIDGET_ID_MAX];
    enum role role;
    enum style st;
    const char *text;
    int px;
    bool bold;
    enum halign al;
};

/* A paragraph (its id copied, cut to fit) and room px tall that a column keeps (no widget). */
struct stack_text stack_para(const char *id, enum role role, enum style st, const char *text,
                             int px, bool bold, enum halign al);
struct stack_text stack_room(int px);

/* Measures n paragraphs at width w into c (their heights). */
void stack_texts_measure(struct lb *b, const struct stack_text *t, int n, int w,
                         struct stack_child *c);

/* Places n paragraphs at the rectangles their column gave them. */
void stack_texts_place(struct lb *b, const struct stack_text *t, int n, const struct wrect *r);

/* A column that continues across pages (bigger text): the page shown, and where "More" goes. */
struct stack_pages {
    int n;             /* how many pages: 1 when everything is on one (no "More") */
    int cur;           /* the page shown: f->chip_page, or the first when that is past the last */
    int from, to;      /* its children: [from, to) */
    struct wrect more; /* where "More" goes (w 0 with one page) */
};

/* Lays out n children (natural heights c; gap[i] px above child i) as a column in box that
 * continues across pages. With normal text (which shrinks rather than pages), or when their
 * natural height with gap[0] above the first fits box.h, they are one page, aligned al in box.
 * Otherwise (bigger text) they are cut into pages of whole children, each fitting stack_pages_room
 * from its first child (no gap above it); the page shown (f->chip_page, the first when that is past
 * the last) settles down on "More" at box's bottom right, which follows its last child (or, with
 * "More" in the middle of the foot's free room, b->more_at, on box's bottom). Children [0, first_n)
 * must be on the first page, and the page shown (one child, then) no taller than its room:
 * b->overflow otherwise (smaller type). Writes pg and the rectangles of the page's children to
 * out[from, to) (box's width; the others' are empty) and adds the pages to b->pages. Returns the y
 * below the column: below its last child on one page, box's bottom with pages. */
int stack_pages_column(struct lb *b, struct wrect box, enum stack_align al,
                       const struct stack_child *c, const int *gap, int n, int first_n,
                       struct stack_pages *pg, struct wrect *out);

/* The height a page of that column in box has when it goes on pages: box.h less the room for
 * "More" under it, or all of it when "More" goes in the foot's free room. */
int stack_pages_room(struct lb *b, struct wrect box);

/* "More" (page-more: ACT_CHIP_MORE with the next page's number, the last page's back to 0) where
 * pg puts it; nothing with one page. Add it after the page's children (reading order). */
void stack_pages_more(struct lb *b, const struct stack_pages *pg);

#endif
