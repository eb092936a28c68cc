/* ticket.h — the one ticket a resident holds, as the kiosk issues it and hubd checks it:
 * "H-A07" = the domain's letter, a hyphen, the kiosk's code, the kiosk's number for the day.
 * hubd's own tickets (when it cannot adopt the kiosk's) have no kiosk code: "H-07". Pure C. */
#ifndef PROTO_TICKET_H
#define PROTO_TICKET_H

#include <stdbool.h>
#include <stddef.h>

#define TICKET_CODE_MAX 2   /* letters of a kiosk's code: "A" .. "Z", "AA" .. "ZZ" */
#define TICKET_NUM_MAX  999 /* a kiosk's (or hubd's) numbers in one day */
#define TICKET_LEN_MAX  15  /* characters of any ticket sent or stored */

/* The letter of a ticket for a check-in whose primary domain is domain ("housing" H,
 * "benefits" M, "health" W; NULL, "" or anything else R for reception). */
char ticket_letter(const char *domain);

/* True for a kiosk code: 1..TICKET_CODE_MAX letters A-Z. */
bool ticket_code_valid(const char *code);

/* The kiosk code a kiosk token carries before its first hyphen ("A-3f9c…" -> "A") into out.
 * 0, or -1 (out "") when the token has none (a token made before kiosk codes). */
int ticket_code_of_token(const char *token, char out[TICKET_CODE_MAX + 1]);

/* Formats ticket number n (1..TICKET_NUM_MAX) of kiosk code (NULL or "": hubd's own) with
 * letter into out: "H-A07", "R-B123", "M-07". 0, or -1 when n, code or cap do not fit. */
int ticket_format(char letter, const char *code, long n, char *out, size_t cap);

/* Parses a ticket as ticket_format writes it: 0 and its code (into code, "" for hubd's own)
 * and number (into *n), or -1 for anything else. code and n may be NULL. */
int ticket_parse(const char *s, char code[TICKET_CODE_MAX + 1], long *n);

#endif
