/* script.h — kiosk script mode: one step a line (tap X Y, tap #id, hold X Y MS,
 * hold #id MS, type TEXT, key NAME,
 * wait MS, sleep MS, shot PATH.png, dump PATH.json, quit), read before the window opens. */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include <stddef.h>

#define SCRIPT_FILE_MAX (1u << 20)
#define SCRIPT_ARG_MAX  1024

enum step_kind {
    STEP_TAP,
    STEP_TAP_ID,
    STEP_HOLD,    /* hold X Y MS: a long press */
    STEP_HOLD_ID, /* hold #id MS */
    STEP_TYPE,
    STEP_KEY,
    STEP_WAIT,
    STEP_SLEEP, /* sleep MS: real time passes (the speech thread speaks); the clock stays */
    STEP_SHOT,
    STEP_DUMP,
    STEP_QUIT
};

struct step {
    enum step_kind kind;
    int x, y;                 /* tap */
    long ms;                  /* wait, hold */
    char arg[SCRIPT_ARG_MAX]; /* text, key name, widget id or path */
    int line;
};

struct script {
    int n, next;
    struct step *steps;
};

/* Reads and checks a script file. Returns 0, or -1 with "FILE:LINE: reason" in err. Blank lines
 * and lines starting with '#' are skipped. */
int script_load(struct script *s, const char *path, char *err, size_t errcap);
void script_release(struct script *s);

/* The next step, or NULL at the end. */
const struct step *script_next(struct script *s);

#endif
