/* migrations.h — hubd's numbered schema migrations, for every storage backend in one list:
 * migration i brings a database from schema i to i + 1. Append only. */
#ifndef HUBD_MIGRATIONS_H
#define HUBD_MIGRATIONS_H

#include <stddef.h>

struct migration {
    const char *pg; /* PostgreSQL: the statements, "" when this step needs nothing there */
};

/* The list and its length (*n). Static data. */
const struct migration *migrations(size_t *n);

#endif
