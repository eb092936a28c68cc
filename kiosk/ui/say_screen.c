/* say_screen.c — a screen and its focused control read aloud: the widget tree in reading
 * order, written for the ear, and the plan of what to say after each change. */
#include <stdio.h>
#include <string.h>

#include "say.h"

struct sb {
    char *p;
    size_t cap, len;
};

static void put(struct sb *s, const char *t)
{
    size_t n = strlen(t);
    if (!s->cap)
        return;
    if (s->len + n >= s->cap) {
        n = s->cap - 1 - s->len;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

/* Ends what was said so far as a sentence, so the voice pauses. */
static void stop(struct sb *s)
{
    while (s->len && s->p[s->len - 1] == ' ')
        s->p[--s->len] = '\0';
    if (s->len && strchr(".?!:,", s->p[s->len - 1]) == NULL)
        put(s, ".");
    if (s->len)
        put(s, " ");
}

static void put_ear(struct sb *s, const char *text, const char *lang)
{
    char buf[SAY_TEXT_MAX];
    say_ear(text, lang, buf, sizeof(buf));
    put(s, buf);
}

/* The bar's settings and the staff's corner are not part of what a screen says. */
static bool bar_widget(const char *id)
{
    static const char *const ids[] = {"lang-switch", "text-size", "contrast",    "start-again",
                                      "listen",      "toolbar",   "staff-corner"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (strcmp(id, ids[i]) == 0)
            return true;
    return strncmp(id, "staff-notice", 12) == 0;
}

static bool control(const struct widget *w)
{
    return w->action != ACT_NONE && w->role != R_BACKDROP && w->role != R_FIELD;
}

/* The words of a worker's tile: its name and what they help with (the tile holds no text of
 * its own). */
static void tile_words(const struct layout *l, const struct widget *w, const char *lang,
                       struct sb *s)
{
    char id[WIDGET_ID_MAX];
    const char *wid = w->id + strlen("worker-");
    snprintf(id, sizeof(id), "name-%s", wid);
    const struct widget *n = layout_find(l, id);
    snprintf(id, sizeof(id), "helps-%s", wid);
    const struct widget *h = layout_find(l, id);
    if (n)
        put_ear(s, n->text, lang);
    if (h) {
        put(s, ", ");
        put_ear(s, h->text, lang);
    }
}

static const char *key_word(const struct widget *w, const struct i18n *cat)
{
    static const char *const special[][2] = {
        {"key-space", "say.key_space"}, {"key-delete", "say.key_delete"},
        {"key-shift", "say.key_shift"}, {"key-accent", "say.key_accent"},
        {"key-layer", "say.key_layer"}, {"key-stop", "say.key_stop"},
        {"key-comma", "say.key_comma"}, {"key-apostrophe", "say.key_apostrophe"},
    };
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        if (strcmp(w->id, special[i][0]) == 0)
            return i18n_get(cat, special[i][1]);
    return NULL;
}

size_t say_control(const struct flow *f, const struct layout *l, const struct widget *w,
                   const struct i18n *cat, char *out, size_t cap)
{
    struct sb s = {out, cap, 0};
    const char *lang = i18n_lang(cat);
    char label[SAY_TEXT_MAX], buf[SAY_TEXT_MAX];
    if (cap)
        out[0] = '\0';
    if (w->role == R_TILE && strncmp(w->id, "worker-", 7) == 0) {
        struct sb t = {label, sizeof(label), 0};
        label[0] = '\0';
        tile_words(l, w, lang, &t);
    } else if (w->role == R_KEY) {
        const char *k = key_word(w, cat);
        snprintf(label, sizeof(label), "%s", k ? k : w->text);
    } else {
        say_ear(w->text, lang, label, sizeof(label));
    }
    if (w->role == R_FIELD) {
        if (w->style == ST_PLACEHOLDER)
            put(&s, i18n_get(cat, "say.field_empty"));
        else {
            i18n_format(buf, sizeof(buf), i18n_get(cat, "say.typed"), "text", label);
            put(&s, buf);
        }
        return s.len;
    }
    const char *tmpl = NULL;
    if (w->role == R_CHIP && w->action == ACT_CHIP)
        tmpl = i18n_get(cat, w->selected ? "say.chip_kept" : "say.chip_off");
    else if (w->disabled)
        tmpl = i18n_get(cat, "say.not_ready");
    else if (strcmp(w->id, "text-size") == 0 || strcmp(w->id, "contrast") == 0 ||
             strcmp(w->id, "listen") == 0)
        tmpl = i18n_get(cat, w->selected ? "say.toggle_on" : "say.toggle_off");
    if (tmpl) {
        i18n_format(buf, sizeof(buf), tmpl, "label", label);
        put(&s, buf);
    } else {
        put(&s, label);
    }
    (void)f;
    return s.len;
}

size_t say_screen(const struct flow *f, const struct layout *l, const struct i18n *cat, char *out,
                  size_t cap)
{
    struct sb s = {out, cap, 0}, ch;
    const char *lang = i18n_lang(cat);
    char choices[SAY_TEXT_MAX], buf[SAY_TEXT_MAX];
    ch = (struct sb){choices, sizeof(choices), 0};
    choices[0] = '\0';
    if (cap)
        out[0] = '\0';
    int from = 0, n_choices = 0;
    /* an overlay (the idle prompt, "Start again?") is all there is to hear */
    for (int i = 0; i < l->n; i++)
        if (l->wg[i].role == R_BACKDROP && l->wg[i].style == ST_OVERLAY)
            from = i;
    bool chips = false;
    for (int i = from; i < l->n; i++) {
        const struct widget *w = &l->wg[i];
        if (w->role == R_BACKDROP || w->role == R_KEY || w->role == R_AVATAR || w->role == R_QR ||
            bar_widget(w->id) || strcmp(w->id, "ticket-label") == 0)
            continue;
        if (strncmp(w->id, "name-", 5) == 0 || strncmp(w->id, "helps-", 6) == 0)
            continue;            /* read with their tile */
        if (w->role == R_CHIP) { /* what was heard: content, said together */
            if (w->action != ACT_CHIP)
                continue; /* "more" */
            put(&s, chips ? ", " : "");
            put_ear(&s, w->text, lang);
            if (!w->selected) {
                put(&s, " ");
                put(&s, i18n_get(cat, "say.taken_off"));
            }
            chips = true;
            continue;
        }
        if (chips) {
            stop(&s);
            chips = false;
        }
        if (control(w)) {
            say_control(f, l, w, cat, buf, sizeof(buf));
            size_t bl = strlen(buf);
            while (bl && (buf[bl - 1] == '.' || buf[bl - 1] == ' '))
                buf[--bl] = '\0'; /* the list's own pauses separate them */
            if (buf[0]) {
                put(&ch, n_choices ? "; " : "");
                put(&ch, buf);
                n_choices++;
            }
            continue;
        }
        if (w->role == R_FIELD) {
            if (f->screen == SCR_TELL || f->screen == SCR_NAME) {
                say_control(f, l, w, cat, buf, sizeof(buf));
                put(&s, buf);
                stop(&s);
            }
            continue;
        }
        if (!w->text[0])
            continue;
        if (f->queue_pending && l->screen == SCR_RESULT &&
            (strcmp(w->id, "wait") == 0 || strcmp(w->id, "ahead") == 0))
            continue; /* hubd's wait and line: said when they come */
        if (strcmp(w->id, "ticket") == 0) {
            char t[128];
            say_ticket(w->text, lang, t, sizeof(t));
            i18n_format(buf, sizeof(buf), i18n_get(cat, "say.ticket"), "code", t);
            put(&s, buf);
            stop(&s);
            continue;
        }
        put_ear(&s, w->text, lang);
        /* "You'll see" runs straight on into the name */
        if (strcmp(w->id, "title") == 0 && l->screen == SCR_RESULT && layout_find(l, "worker-name"))
            put(&s, " ");
        else
            stop(&s);
    }
    stop(&s);
    if (n_choices) {
        put(&s, i18n_get(cat, "say.choices"));
        put(&s, " ");
        put(&s, choices);
        stop(&s);
        put(&s, i18n_get(cat, "say.keys"));
    }
    while (s.len && s.p[s.len - 1] == ' ')
        s.p[--s.len] = '\0';
    return s.len;
}

static const struct i18n *cat_of(const struct i18n *const cats[FLOW_LANGS_MAX], int n,
                                 const char *lang, const struct i18n *dflt)
{
    for (int i = 0; i < n && i < FLOW_LANGS_MAX; i++)
        if (cats[i] && strcmp(i18n_lang(cats[i]), lang) == 0)
            return cats[i];
    return dflt;
}

static void seg(struct say_out *o, const char *lang, const char *text)
{
    if (o->n >= SAY_SEGS_MAX || !text[0])
        return;
    snprintf(o->seg[o->n].lang, sizeof(o->seg[o->n].lang), "%s", lang);
    snprintf(o->seg[o->n].text, sizeof(o->seg[o->n].text), "%s", text);
    o->n++;
}

/* The welcome screen: each language in its own voice, with how to choose it. */
static void say_welcome(const struct flow *f, const struct i18n *const cats[FLOW_LANGS_MAX],
                        const struct i18n *cat, struct say_out *o)
{
    for (int i = 0; i < f->cfg.n_langs; i++) {
        const struct i18n *c = cat_of(cats, f->cfg.n_langs, f->cfg.langs[i], cat);
        char buf[SAY_TEXT_MAX];
        snprintf(buf, sizeof(buf), "%s. %s", i18n_get(c, "welcome.title"),
                 i18n_get(c, "say.welcome"));
        say_feedback_welcome(f, c, buf, sizeof(buf));
        seg(o, f->cfg.langs[i], buf);
    }
}

/* A control said in its own language's voice: the language buttons, and "I need help now" on
 * the welcome screen (one line for each language). */
static void say_focus(const struct flow *f, const struct layout *l, const struct widget *w,
                      const struct i18n *const cats[FLOW_LANGS_MAX], const struct i18n *cat,
                      struct say_out *o)
{
    char buf[SAY_TEXT_MAX], fl[8];
    if (say_feedback_control(w, cats, f->cfg.n_langs, fl, sizeof(fl), buf, sizeof(buf))) {
        seg(o, fl, buf);
        return;
    }
    if (strncmp(w->id, "lang-", 5) == 0) {
        const char *lang = strcmp(w->id, "lang-switch") == 0 ? flow_other_lang(f) : w->id + 5;
        const struct i18n *c = cat_of(cats, f->cfg.n_langs, lang, NULL);
        if (c) {
            say_control(f, l, w, c, buf, sizeof(buf));
            seg(o, lang, buf);
            return;
        }
    }
    if (strcmp(w->id, "help-now") == 0 && strchr(w->text, '\n')) {
        for (int i = 0; i < f->cfg.n_langs; i++) {
            const struct i18n *c = cat_of(cats, f->cfg.n_langs, f->cfg.langs[i], cat);
            seg(o, f->cfg.langs[i], i18n_get(c, "help.now"));
        }
        return;
    }
    say_control(f, l, w, cat, buf, sizeof(buf));
    seg(o, i18n_lang(cat), buf);
}

bool say_plan(struct say_state *st, const struct flow *f, const struct layout *l,
              const struct i18n *cat, const struct i18n *const cats[FLOW_LANGS_MAX],
              struct say_out *out)
{
    memset(out, 0, sizeof(*out));
    bool staff = f->screen == SCR_STAFF || f->screen == SCR_STAFF_PIN;
    bool was_on = st->valid && st->speech;
    bool screen_new = !st->valid || st->screen != f->screen || st->screen_n != f->n_screens ||
                      st->idle != f->idle_prompt || st->asked != f->say_asked ||
                      st->lang_cy != (strcmp(f->lang, "cy") == 0) || !was_on;
    const struct widget *fw = f->focus[0] ? layout_find(l, f->focus) : NULL;
    char said[SAY_TEXT_MAX] = "";
    if (fw)
        say_control(f, l, fw, cat, said, sizeof(said));
    /* focus moved, or the focused control changed (a toggle, a chip taken off) */
    bool focus_new = strcmp(st->focus, f->focus) != 0 || strcmp(st->said, said) != 0;
    bool queue_came = st->queue_pending && !f->queue_pending && f->screen == SCR_RESULT;
    bool thanked = st->valid && st->thanks_n != f->n_thanks && f->screen == SCR_WELCOME;
    st->valid = true;
    st->speech = f->speech;
    st->screen = f->screen;
    st->screen_n = f->n_screens;
    st->idle = f->idle_prompt;
    st->asked = f->say_asked;
    st->lang_cy = strcmp(f->lang, "cy") == 0;
    snprintf(st->focus, sizeof(st->focus), "%s", f->focus);
    snprintf(st->said, sizeof(st->said), "%s", said);
    st->queue_pending = f->queue_pending;
    st->thanks_n = f->n_thanks;
    if (!f->speech || staff)
        return false;
    const char *lang = i18n_lang(cat);
    char buf[SAY_TEXT_MAX], tl[8];
    if (thanked && say_feedback_thanks(f, cats, tl, sizeof(tl), buf, sizeof(buf))) {
        out->interrupt = true; /* the answer was given: its thank-you, in its language */
        seg(out, tl, buf);
        return true;
    }
    if (screen_new) {
        out->interrupt = true;
        if (f->screen == SCR_WELCOME && !f->idle_prompt && !f->confirm_reset)
            say_welcome(f, cats, cat, out);
        else {
            say_screen(f, l, cat, buf, sizeof(buf));
            seg(out, lang, buf);
        }
        if (fw)
            say_focus(f, l, fw, cats, cat, out);
        return out->n > 0;
    }
    if (focus_new && fw) {
        out->interrupt = true;
        say_focus(f, l, fw, cats, cat, out);
        return out->n > 0;
    }
    if (queue_came) { /* hubd's wait and line: said after what is being said */
        const struct widget *w = layout_find(l, "wait"), *a = layout_find(l, "ahead");
        if (w && a) {
            char more[SAY_TEXT_MAX];
            snprintf(more, sizeof(more), "%s. %s.", w->text, a->text);
            say_ear(more, lang, buf, sizeof(buf));
            seg(out, lang, buf);
        }
        return out->n > 0;
    }
    return false;
}
