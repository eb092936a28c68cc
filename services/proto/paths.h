/* paths.h — finding the project's data folders (assets/, locales/) from a binary. */
#ifndef HUB_PATHS_H
#define HUB_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the folder holding assets/needs.json: $HUB_ROOT when set, else the folders above the
 * executable's (build/, build/san/ ...), else the current folder. Writes it into out and
 * returns 0, or -1 when none holds assets/needs.json. exe_path is the running program's path
 * ("/proc/self/exe" is resolved), may be NULL. */
int paths_find_root(const char *exe_path, char *out, size_t cap);

/* The running program's assets/ and locales/ folders (each written into a cap-byte buffer).
 * Returns 0, or -1 when they cannot be found (set $HUB_ROOT). */
int paths_data_dirs(char *assets, char *locales, size_t cap);

/* Joins a directory and a name into out ("dir/name"); false when it does not fit. */
bool paths_join(char *out, size_t cap, const char *dir, const char *name);

#endif
