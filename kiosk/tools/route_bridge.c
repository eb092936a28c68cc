/* route_bridge.c — from a Welsh–English dictionary in dictd's text form (Debian's
 * dict-freedict-cym-eng, decompressed, on stdin) to the bridge the router uses for Welsh words
 * its Welsh vocabulary lacks (on stdout, "welsh<TAB>english" a line): only single-word
 * translations that the English vocabulary knows, for Welsh words the Welsh one does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/paths.h"
#include "strmap.h"
#include "text.h"
#include "vocab.h"

#define LINE_MAX_BYTES 1024

/* "headword /ipa/ <pos>": the headword's length, or 0 when the line is not one. */
static size_t headword(const char *line)
{
    const char *slash = strstr(line, " /");
    const char *pos = strstr(line, "/ <");
    return slash && pos && pos > slash ? (size_t)(slash - line) : 0;
}

int main(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr,
                "usage: zcat freedict-cym-eng.dict.dz | route-bridge > locales/cy/bridge.txt\n");
        return 2;
    }
    char assets[1100], locales[1100], err[256], path[1200];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "route-bridge: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/needs.json", assets);
    struct taxonomy *tax = needs_load(path, err, sizeof(err));
    struct vocab *cy = tax ? vocab_load(locales, "cy", tax, err, sizeof(err)) : NULL;
    struct vocab *en = cy ? vocab_load(locales, "en", tax, err, sizeof(err)) : NULL;
    struct strmap *seen = strmap_new();
    if (!en || !seen) {
        fprintf(stderr, "route-bridge: %s\n", en ? "out of memory" : err);
        return 2;
    }
    char line[LINE_MAX_BYTES], head[LINE_MAX_BYTES] = "";
    int kept = 0;
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t hl = headword(line);
        if (hl) {
            memcpy(head, line, hl);
            head[hl] = '\0';
            continue;
        }
        if (!head[0])
            continue;
        struct token w[2], e[2];
        int nw = text_tokenise(head, strlen(head), w, 2);
        int ne = text_tokenise(line, strlen(line), e, 2);
        head[0] = '\0'; /* the first translation only */
        int ids[WORD_ALTS];
        if (nw != 1 || ne != 1 || w[0].len < 3 || vocab_is_stop(cy, &w[0]) ||
            vocab_resolve(cy, &w[0], ids) > 0 || vocab_resolve(en, &e[0], ids) == 0 ||
            vocab_is_stop(en, &e[0]) || strmap_get(seen, w[0].s, w[0].len) >= 0)
            continue;
        if (strmap_set(seen, w[0].s, w[0].len, 1) < 0) {
            fprintf(stderr, "route-bridge: out of memory\n");
            return 1;
        }
        printf("%s\t%s\n", w[0].s, e[0].s);
        kept++;
    }
    fprintf(stderr, "route-bridge: %d Welsh words bridged to English vocabulary\n", kept);
    strmap_free(seen);
    vocab_free(en);
    vocab_free(cy);
    needs_free(tax);
    return 0;
}
