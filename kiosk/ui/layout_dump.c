/* layout_dump.c — the dump tree: the current screen as JSON, as a screen reader would read it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static cJSON *rect_json(struct wrect r)
{
    int v[4] = {r.x, r.y, r.w, r.h};
    return cJSON_CreateIntArray(v, 4);
}

static char *widget_json(const struct widget *w)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", w->id);
    cJSON_AddStringToObject(o, "role", role_name(w->role));
    cJSON_AddStringToObject(o, "text", w->text);
    cJSON_AddItemToObject(o, "rect", rect_json(w->r));
    cJSON_AddItemToObject(o, "text_box", rect_json(w->box));
    cJSON_AddNumberToObject(o, "text_w", w->text_w);
    cJSON_AddNumberToObject(o, "text_h", w->text_h);
    cJSON_AddNumberToObject(o, "lines", w->n_lines);
    cJSON_AddNumberToObject(o, "font_px", w->px);
    cJSON_AddBoolToObject(o, "fits", w->fits);
    cJSON_AddStringToObject(o, "style", style_name(w->style));
    if (w->action != ACT_NONE) {
        cJSON_AddStringToObject(o, "action", action_name(w->action));
        cJSON_AddNumberToObject(o, "arg", w->arg);
    }
    if (w->selected)
        cJSON_AddBoolToObject(o, "selected", true);
    if (w->disabled)
        cJSON_AddBoolToObject(o, "disabled", true);
    if (w->focused)
        cJSON_AddBoolToObject(o, "focused", true);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

char *layout_dump_json(const struct layout *l)
{
    cJSON *head = cJSON_CreateObject();
    if (!head)
        return NULL;
    cJSON_AddStringToObject(head, "screen", screen_name(l->screen));
    cJSON_AddStringToObject(head, "lang", l->lang);
    int size[2] = {l->w, l->h};
    cJSON_AddItemToObject(head, "size", cJSON_CreateIntArray(size, 2));
    cJSON_AddBoolToObject(head, "high_contrast", l->high_contrast);
    cJSON_AddBoolToObject(head, "big_text", l->big_text);
    cJSON_AddBoolToObject(head, "idle_prompt", l->idle_prompt);
    cJSON_AddNumberToObject(head, "type_scale", l->type_scale);
    char *hs = cJSON_PrintUnformatted(head);
    cJSON_Delete(head);
    if (!hs)
        return NULL;
    size_t cap = strlen(hs) + 64, len = 0;
    char **parts = calloc((size_t)l->n + 1, sizeof(*parts));
    if (!parts)
        goto out_free_hs;
    for (int i = 0; i < l->n; i++) {
        parts[i] = widget_json(&l->wg[i]);
        cap += parts[i] ? strlen(parts[i]) + 4 : 0;
    }
    char *out = malloc(cap);
    if (out) {
        /* {"screen":...,"widgets":[\n{...},\n{...}\n]}\n */
        len = (size_t)snprintf(out, cap, "%.*s,\"widgets\":[\n", (int)(strlen(hs) - 1), hs);
        for (int i = 0; i < l->n; i++)
            if (parts[i])
                len += (size_t)snprintf(out + len, cap - len, "%s%s\n", parts[i],
                                        i + 1 < l->n ? "," : "");
        snprintf(out + len, cap - len, "]}\n");
    }
    for (int i = 0; i < l->n; i++)
        free(parts[i]);
    free(parts);
    free(hs);
    return out;
out_free_hs:
    free(hs);
    return NULL;
}
