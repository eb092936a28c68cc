/* speech.c — libespeak-ng on its own thread: phrases queued by the UI thread are synthesised in
 * 40 ms chunks, each chunk queued to the SDL sound device (or appended to a WAV file) as it
 * comes, so sound starts after the first chunk and a new screen cuts the old one short. */
#include "speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define QUEUE_MAX  32
#define PHRASE_MAX 4096 /* bytes of one phrase */
#define CHUNK_MS   40   /* espeak-ng hands over sound this often */
#define SPEECH_RATE                                                                                \
    160 /* words a minute: a little slower than espeak's 175, for a public space                   \
         */

struct phrase {
    char lang[8];
    char *text;
    double since;
};

struct speech {
    SDL_Thread *th;
    SDL_mutex *mu;
    SDL_cond *cv;
    struct phrase q[QUEUE_MAX];
    int head, n;
    bool quit, trace, broken;
    SDL_atomic_t cancel; /* the phrase being said is to stop */
    FILE *wav;
    long wav_bytes;
    int rate;
    SDL_AudioDeviceID dev;
    bool dev_tried;
    double cur_since; /* the phrase being said: when its change began; < 0 once it sounded */
    SDL_atomic_t samples;
    char voice[8];
};

/* espeak-ng's callback has no user pointer that survives every event; one kiosk, one voice. */
static struct speech *the;

static void wav_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A 16-bit mono PCM header for bytes of sound at rate. */
static void wav_header(FILE *f, int rate, long bytes)
{
    uint8_t h[44] = "RIFF____WAVEfmt ";
    wav_u32(h + 4, (uint32_t)(36 + bytes));
    wav_u32(h + 16, 16);
    h[20] = 1; /* PCM */
    h[22] = 1; /* mono */
    wav_u32(h + 24, (uint32_t)rate);
    wav_u32(h + 28, (uint32_t)rate * 2);
    h[32] = 2;
    h[34] = 16;
    memcpy(h + 36, "data", 4);
    wav_u32(h + 40, (uint32_t)bytes);
    fseek(f, 0, SEEK_SET);
    fwrite(h, 1, sizeof(h), f);
    fseek(f, 0, SEEK_END);
}

/* The sound device, opened on first use on this thread (never on the UI thread: opening it
 * can take tens of milliseconds). */
static void open_device(struct speech *s)
{
    s->dev_tried = true;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        fprintf(stderr, "kiosk: speech: no sound: %s\n", SDL_GetError());
        return;
    }
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = s->rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512;
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!dev) {
        fprintf(stderr, "kiosk: speech: no sound device: %s\n", SDL_GetError());
        return;
    }
    SDL_PauseAudioDevice(dev, 0);
    SDL_LockMutex(s->mu);
    s->dev = dev;
    SDL_UnlockMutex(s->mu);
}

static int on_sound(short *pcm, int n, espeak_EVENT *ev)
{
    struct speech *s = the;
    (void)ev;
    if (!s)
        return 1;
    if (!s->wav && SDL_AtomicGet(&s->cancel))
        return 1; /* a new screen: stop */
    if (!pcm || n <= 0)
        return 0;
    if (s->cur_since >= 0) {
        if (s->trace)
            fprintf(stderr, "speech_start_ms=%.1f\n", app_real_ms() - s->cur_since);
        s->cur_since = -1;
    }
    SDL_AtomicAdd(&s->samples, n);
    if (s->wav) {
        s->wav_bytes += (long)fwrite(pcm, 2, (size_t)n, s->wav) * 2;
        return 0;
    }
    if (!s->dev_tried)
        open_device(s);
    if (s->dev)
        SDL_QueueAudio(s->dev, pcm, (Uint32)n * 2);
    return 0;
}

static void set_voice(struct speech *s, const char *lang)
{
    if (strcmp(s->voice, lang) == 0)
        return;
    /* British English for English screens (a hub in Wales), espeak-ng's Welsh for Welsh */
    espeak_VOICE v;
    memset(&v, 0, sizeof(v));
    v.languages = strcmp(lang, "cy") == 0 ? "cy" : "en-gb";
    if (espeak_SetVoiceByProperties(&v) != EE_OK)
        fprintf(stderr, "kiosk: speech: no %s voice (install espeak-ng-data)\n", lang);
    espeak_SetParameter(espeakRATE, SPEECH_RATE, 0);
    snprintf(s->voice, sizeof(s->voice), "%s", lang);
}

static int run(void *arg)
{
    struct speech *s = arg;
    /* Synthesis runs faster than the voice speaks; on a busy kiosk PC the UI thread's frames
     * come first (a nice value on Linux, no privileges needed). */
    if (SDL_SetThreadPriority(SDL_THREAD_PRIORITY_LOW) < 0 && s->trace)
        fprintf(stderr, "kiosk: speech: thread priority unchanged: %s\n", SDL_GetError());
    s->rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, CHUNK_MS, NULL, espeakINITIALIZE_DONT_EXIT);
    if (s->rate <= 0) {
        fprintf(stderr, "kiosk: speech: espeak-ng could not start (install espeak-ng-data)\n");
        s->broken = true;
    } else {
        espeak_SetSynthCallback(on_sound);
    }
    if (s->wav)
        wav_header(s->wav, s->rate > 0 ? s->rate : 22050, 0);
    for (;;) {
        SDL_LockMutex(s->mu);
        while (s->n == 0 && !s->quit)
            SDL_CondWait(s->cv, s->mu);
        if (s->n == 0 || (s->quit && !s->wav)) {
            SDL_UnlockMutex(s->mu);
            break;
        }
        struct phrase p = s->q[s->head];
        s->head = (s->head + 1) % QUEUE_MAX;
        s->n--;
        SDL_AtomicSet(&s->cancel, 0);
        s->cur_since = p.since;
        SDL_UnlockMutex(s->mu);
        if (!s->broken) {
            set_voice(s, p.lang);
            espeak_Synth(p.text, strlen(p.text) + 1, 0, POS_CHARACTER, 0,
                         espeakCHARS_UTF8 | espeakPHONEMES | espeakENDPAUSE, NULL, NULL);
        }
        free(p.text);
    }
    if (s->rate > 0)
        espeak_Terminate();
    return 0;
}

struct speech *speech_new(const char *wav_path, bool trace)
{
    struct speech *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->trace = trace;
    s->cur_since = -1;
    if (wav_path) {
        s->wav = fopen(wav_path, "wb");
        if (!s->wav) {
            fprintf(stderr, "kiosk: --audio-out: cannot write %s\n", wav_path);
            free(s);
            return NULL;
        }
    }
    s->mu = SDL_CreateMutex();
    s->cv = SDL_CreateCond();
    the = s;
    if (s->mu && s->cv)
        s->th = SDL_CreateThread(run, "speech", s);
    if (!s->th) {
        fprintf(stderr, "kiosk: speech: no thread: %s\n", SDL_GetError());
        the = NULL;
        if (s->wav)
            fclose(s->wav);
        SDL_DestroyCond(s->cv);
        SDL_DestroyMutex(s->mu);
        free(s);
        return NULL;
    }
    return s;
}

static void drop_queue(struct speech *s)
{
    while (s->n > 0) {
        free(s->q[s->head].text);
        s->head = (s->head + 1) % QUEUE_MAX;
        s->n--;
    }
}

void speech_say(struct speech *s, const char *lang, const char *text, bool interrupt,
                double since_ms)
{
    if (!s || !text || !text[0])
        return;
    size_t len = strnlen(text, PHRASE_MAX - 1);
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    copy[len] = '\0';
    SDL_LockMutex(s->mu);
    if (interrupt && !s->wav) {
        SDL_AtomicSet(&s->cancel, 1);
        drop_queue(s);
        if (s->dev)
            SDL_ClearQueuedAudio(s->dev);
    }
    if (s->n == QUEUE_MAX) { /* the oldest goes */
        free(s->q[s->head].text);
        s->head = (s->head + 1) % QUEUE_MAX;
        s->n--;
    }
    struct phrase *p = &s->q[(s->head + s->n) % QUEUE_MAX];
    snprintf(p->lang, sizeof(p->lang), "%s", lang);
    p->text = copy;
    p->since = since_ms;
    s->n++;
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

void speech_hush(struct speech *s)
{
    if (!s || s->wav)
        return;
    SDL_LockMutex(s->mu);
    SDL_AtomicSet(&s->cancel, 1);
    drop_queue(s);
    if (s->dev)
        SDL_ClearQueuedAudio(s->dev);
    SDL_UnlockMutex(s->mu);
}

void speech_free(struct speech *s)
{
    if (!s)
        return;
    SDL_LockMutex(s->mu);
    s->quit = true;
    if (!s->wav)
        SDL_AtomicSet(&s->cancel, 1);
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
    SDL_WaitThread(s->th, NULL);
    drop_queue(s);
    if (s->dev)
        SDL_CloseAudioDevice(s->dev);
    if (s->wav) {
        wav_header(s->wav, s->rate > 0 ? s->rate : 22050, s->wav_bytes);
        if (fclose(s->wav) != 0)
            fprintf(stderr, "kiosk: --audio-out: write failed\n");
    }
    the = NULL;
    SDL_DestroyCond(s->cv);
    SDL_DestroyMutex(s->mu);
    free(s);
}

long speech_samples(const struct speech *s, int *rate)
{
    if (rate)
        *rate = s ? s->rate : 0;
    return s ? SDL_AtomicGet((SDL_atomic_t *)&s->samples) : 0;
}
