/* screens.h — the kiosk's screens in one table: each row is a screen's enum, its name in the dump
 * tree, and the prefix of the two functions its own file (screen_<prefix>.c) defines:
 * <prefix>_build (lays out its widgets) and <prefix>_act (handles an action on it). A new screen
 * is one row here and one file. The order is the enum's. */
#ifndef HUB_SCREENS_H
#define HUB_SCREENS_H

#define SCREEN_TABLE(X)                                                                            \
    X(SCR_WELCOME, "welcome", welcome)                                                             \
    X(SCR_TELL, "tell", tell)                                                                      \
    X(SCR_TOPICS, "topics", topics)                                                                \
    X(SCR_SUBTOPICS, "subtopics", subtopics)                                                       \
    X(SCR_PEOPLE, "people", people)                                                                \
    X(SCR_CHECK, "check", check)                                                                   \
    X(SCR_NAME, "name", name)                                                                      \
    X(SCR_CONSENT, "consent", consent)                                                             \
    X(SCR_RESULT, "result", result)                                                                \
    X(SCR_URGENT, "urgent", urgent)                                                                \
    X(SCR_DONE, "done", done)                                                                      \
    /* staff only: the PIN pad (a long press on the welcome screen's corner) */                    \
    X(SCR_STAFF_PIN, "staff-pin", staff_pin)                                                       \
    /* staff only: sync state and the local store's health */                                      \
    X(SCR_STAFF, "staff", staff)

#endif
