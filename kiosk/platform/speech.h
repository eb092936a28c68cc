/* speech.h — the kiosk's voice: libespeak-ng on a thread of its own (English and Welsh voices),
 * played through SDL audio or written to a WAV file. The UI thread only queues phrases: it
 * never waits for synthesis or the sound device. */
#ifndef KIOSK_SPEECH_H
#define KIOSK_SPEECH_H

#include <stdbool.h>

struct speech;

/* Starts the speech thread (espeak-ng and the sound device open on it, not here). wav_path:
 * write every phrase, whole, to this WAV file instead of the sound device (tests); NULL for the
 * device. trace: one "speech_start_ms=" line on stderr per phrase, the time from the change
 * that asked for it to its first sound. NULL when out of memory or no thread could start. */
struct speech *speech_new(const char *wav_path, bool trace);

/* Queues text (UTF-8, pronunciation respellings already applied) in lang's voice ("cy" or
 * "en"). interrupt: stop what is being said and drop what is queued first (a new screen or
 * focus; a WAV still gets every phrase whole). since_ms: when the change began, app_real_ms()
 * time, for the trace. Never blocks on synthesis. */
void speech_say(struct speech *s, const char *lang, const char *text, bool interrupt,
                double since_ms);

/* Stops speaking now and drops the queue. */
void speech_hush(struct speech *s);

/* Waits for the queue to be said (a WAV: written), then stops the thread, closes the WAV and
 * frees s. NULL is fine. */
void speech_free(struct speech *s);

/* Samples synthesised so far and their rate (for --trace and tests). */
long speech_samples(const struct speech *s, int *rate);

#endif
