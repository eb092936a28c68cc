/* route_words.c — from a language's full word list (one word a line on stdin, e.g. aspell's
 * dump) to the words that guard spelling correction (on stdout): the real words that the
 * router would otherwise "correct" into a vocabulary word, normalised as the router reads
 * text. Keeps locales/<lang>/words.txt small enough to load on every start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/paths.h"
#include "router.h"
#include "strmap.h"
#include "text.h"
#include "typo.h"
#include "vocab.h"

#define WORD_LINE_MAX 256

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: route-words LANG < words > locales/LANG/words.txt\n");
        return 2;
    }
    char assets[1100], locales[1100], err[256];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "route-words: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    struct taxonomy *tax = NULL;
    char path[1200];
    snprintf(path, sizeof(path), "%s/needs.json", assets);
    if (!(tax = needs_load(path, err, sizeof(err)))) {
        fprintf(stderr, "route-words: %s\n", err);
        return 2;
    }
    struct vocab *v = vocab_load(locales, argv[1], tax, err, sizeof(err));
    struct strmap *seen = strmap_new();
    if (!v || !seen) {
        fprintf(stderr, "route-words: %s\n", v ? "out of memory" : err);
        return 2;
    }
    char line[WORD_LINE_MAX];
    int kept = 0, read = 0;
    while (fgets(line, sizeof(line), stdin)) {
        size_t n = strcspn(line, "\r\n");
        struct token t[2];
        read++;
        /* One word only; proper names (a capital) are left to the directory. */
        if (n == 0 || (line[0] >= 'A' && line[0] <= 'Z') || text_tokenise(line, n, t, 2) != 1)
            continue;
        int ids[WORD_ALTS];
        if (t[0].len < 3 || vocab_is_stop(v, &t[0]) || vocab_resolve(v, &t[0], ids) > 0 ||
            strmap_get(seen, t[0].s, t[0].len) >= 0)
            continue;
        /* A word within the typo budget of a vocabulary word, or a short word (three or four
         * letters: near a name), is a word the router must not take for a slip. */
        if (t[0].len > 4 && typo_lookup(v->typo, t[0].s, t[0].len, NULL) < 0)
            continue;
        if (strmap_set(seen, t[0].s, t[0].len, 1) < 0) {
            fprintf(stderr, "route-words: out of memory\n");
            return 1;
        }
        printf("%s\n", t[0].s);
        kept++;
    }
    fprintf(stderr, "route-words: %d of %d words kept\n", kept, read);
    strmap_free(seen);
    vocab_free(v);
    needs_free(tax);
    return 0;
}
