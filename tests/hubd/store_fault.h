/* store_fault.h — a store_ops double for hubd's fault tests (SQLite's test_vfs.c in
 * spirit): it forwards every call to the real store, except call N of kind K, which fails
 * as the database would (STORE_EIO). Linked only into build/.../tests/hubd-faults. */
#ifndef HUBD_STORE_FAULT_H
#define HUBD_STORE_FAULT_H

#include "store.h"

/* Wraps inner. The fault comes from the file named by $HUBD_FAULT_FILE, re-read at every
 * call: one line "KIND N" (KIND an op name of struct store_ops, e.g. "board", of its
 * store_outcome_ops, e.g. "next", or of its store_kiosk_ops with "kiosk_" before it,
 * "kiosk_put" and "kiosk_list"; N >= 1), counting the calls on every hub's handle,
 * counted from when the line appeared; empty or absent: no fault. Every op of inner is
 * forwarded (and one inner lacks is NULL in the wrapper too). Each injected failure
 * appends "KIND N" to $HUBD_FAULT_LOG. Without $HUBD_FAULT_FILE, returns inner itself.
 * NULL on allocation failure. Closing the wrapper closes inner. */
struct store *store_fault_wrap(struct store *inner);

#endif
