/* commit.c — the group-commit writer thread. */
#include "commit.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct committer {
    struct store *store;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct commit_job *head, *tail;
    size_t queued; /* check-ins queued */
    bool stopping;
    pthread_t thread;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool commit_job_finished(struct commit_job *job)
{
    return __atomic_load_n(&job->finished, __ATOMIC_ACQUIRE) != 0;
}

/* Takes jobs off the queue up to COMMIT_GROUP_MAX check-ins (at least one job). */
static struct commit_job *take_group(struct committer *c, size_t *total)
{
    struct commit_job *first = c->head, *last = c->head;
    *total = first->n;
    while (last->next && *total + last->next->n <= COMMIT_GROUP_MAX) {
        last = last->next;
        *total += last->n;
    }
    c->head = last->next;
    if (!c->head)
        c->tail = NULL;
    last->next = NULL;
    c->queued -= *total;
    return first;
}

static void run_group(struct committer *c, struct commit_job *group, size_t total)
{
    struct checkin **items = malloc((total ? total : 1) * sizeof(*items));
    struct checkin_result *res = malloc((total ? total : 1) * sizeof(*res));
    size_t k = 0;
    if (items && res) {
        for (struct commit_job *j = group; j; j = j->next)
            for (size_t i = 0; i < j->n; i++)
                items[k++] = (struct checkin *)j->items[i];
        c->store->ops->checkins_put(c->store, items, total, res, now_ms());
    }
    k = 0;
    for (struct commit_job *j = group, *next; j; j = next) {
        next = j->next;
        for (size_t i = 0; i < j->n; i++, k++) {
            if (items && res) {
                j->results[i] = res[k];
            } else {
                j->results[i] = (struct checkin_result){.status = 503};
            }
        }
        __atomic_store_n(&j->finished, 1, __ATOMIC_RELEASE);
        j->done(j);
    }
    free(items);
    free(res);
}

static void *writer(void *arg)
{
    struct committer *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->head && !c->stopping)
            pthread_cond_wait(&c->wake, &c->lock);
        if (!c->head)
            break;
        size_t total;
        struct commit_job *group = take_group(c, &total);
        pthread_mutex_unlock(&c->lock);
        run_group(c, group, total);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct committer *committer_start(struct store *store)
{
    struct committer *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->store = store;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->thread, NULL, writer, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->wake);
        free(c);
        return NULL;
    }
    return c;
}

int committer_submit(struct committer *c, struct commit_job *job, void (*accept)(void *ctx),
                     void *ctx)
{
    int rc = -1;
    job->next = NULL;
    job->finished = 0;
    pthread_mutex_lock(&c->lock);
    if (!c->stopping && c->queued + job->n <= COMMIT_QUEUE_MAX) {
        if (accept)
            accept(ctx);
        if (c->tail)
            c->tail->next = job;
        else
            c->head = job;
        c->tail = job;
        c->queued += job->n;
        pthread_cond_signal(&c->wake);
        rc = 0;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void committer_stop(struct committer *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    free(c);
}
