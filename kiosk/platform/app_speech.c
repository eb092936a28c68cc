/* app_speech.c — speech in the app: after every layout, what say_plan decides is traced
 * (`speak lang=LL "TEXT"` with --trace), respelt for the voice, and queued on the speech thread. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "say.h"
#include "speech.h"

void app_speech_start(struct app *a)
{
    if ((a->o.speech || a->o.audio_out) && !a->sp)
        a->sp = speech_new(a->o.audio_out, a->o.trace);
}

/* One trace line: the phrase as written for the ear (before respelling), quotes escaped. */
static void trace_phrase(const char *lang, const char *text)
{
    char buf[SAY_TEXT_MAX * 2];
    size_t o = 0;
    for (const char *p = text; *p && o + 3 < sizeof(buf); p++) {
        if (*p == '"' || *p == '\\')
            buf[o++] = '\\';
        buf[o++] = *p == '\n' ? ' ' : *p;
    }
    buf[o] = '\0';
    fprintf(stderr, "speak lang=%s \"%s\"\n", lang, buf);
}

void app_speak(struct app *a)
{
    const struct i18n *cats[FLOW_LANGS_MAX] = {NULL};
    for (int i = 0; i < a->flow.cfg.n_langs && i < FLOW_LANGS_MAX; i++)
        cats[i] = a->cat[i];
    struct say_out *out = &a->say_out;
    bool any = say_plan(&a->say, &a->flow, a->lay, app_cat(a, a->flow.lang), cats, out);
    if (!a->flow.speech) {
        if (a->speaking)
            speech_hush(a->sp);
        a->speaking = false;
        return;
    }
    a->speaking = true;
    if (!any)
        return;
    if (!a->sp)
        a->sp = speech_new(a->o.audio_out, a->o.trace);
    for (int i = 0; i < out->n; i++) {
        const struct say_seg *s = &out->seg[i];
        char voiced[SAY_TEXT_MAX * 2];
        if (a->o.trace)
            trace_phrase(s->lang, s->text);
        say_pronounce(s->text, s->lang, voiced, sizeof(voiced));
        speech_say(a->sp, s->lang, voiced, out->interrupt && i == 0, a->dirty_since);
    }
}

void app_speech_stop(struct app *a)
{
    speech_free(a->sp);
    a->sp = NULL;
}
