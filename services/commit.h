/* commit.h — group commit of check-ins: request threads queue jobs, one writer thread
 * stores everything queued in one durable transaction and then reports each job done.
 * Many check-ins thus share one fsync while every 201 still means "on disk". */
#ifndef HUBD_COMMIT_H
#define HUBD_COMMIT_H

#include "proto/checkin.h"
#include "store.h"

#include <stdbool.h>

#define COMMIT_GROUP_MAX 512  /* check-ins in one transaction at most */
#define COMMIT_QUEUE_MAX 4096 /* check-ins waiting at most; beyond that submit refuses */

struct commit_job {
    struct checkin *const *items; /* borrowed until done() */
    size_t n;
    struct checkin_result *results; /* n of them, filled before done() */
    /* Called on the writer thread once results are final; must not block. */
    void (*done)(struct commit_job *job);
    void *ctx;
    int finished; /* read with commit_job_finished() */
    struct commit_job *next;
};

struct committer;

/* Starts the writer thread over store. NULL on failure. */
struct committer *committer_start(struct store *store);

/* Queues job. accept(ctx) runs under the queue lock before the writer can see the job (so
 * the caller can, e.g., suspend its connection before done() may run). Returns 0, or -1
 * when stopping or the queue is full (then accept is not called and done never runs). */
int committer_submit(struct committer *c, struct commit_job *job, void (*accept)(void *ctx),
                     void *ctx);

/* True once the writer has finished the job (acquire ordering: results are visible). */
bool commit_job_finished(struct commit_job *job);

/* Refuses new jobs, finishes every queued one, stops the thread and frees c. */
void committer_stop(struct committer *c);

#endif
