/* fuzz_router.c — any bytes through route_text and the matcher: no crash, leak or overread. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "directory.h"
#include "matcher.h"
#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct router *r;
static struct hub_dir *dir;

static void load(void)
{
    char err[256];
    r = router_new("assets", "locales", err, sizeof(err));
    dir = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    if (!r || !dir) {
        fprintf(stderr, "fuzz_router: run from the repository root: %s\n", err);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!r)
        load();
    const char *ui = size && (data[0] & 1) ? "cy" : "en";
    struct route_result rr;
    route_text(r, (const char *)data, size, ui, &rr);
    int needs[ROUTE_MAX_NEEDS];
    for (int i = 0; i < rr.n_needs; i++)
        needs[i] = rr.needs[i].need;
    struct match_request req = {.tax = router_taxonomy(r),
                                .needs = needs,
                                .n_needs = rr.n_needs,
                                .urgent = rr.urgent,
                                .lang = rr.lang,
                                .chosen_worker_id = size > 2 ? "w-sian" : NULL};
    struct match_result mr;
    match_worker(dir, &req, &mr);
    return 0;
}
