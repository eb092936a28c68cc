# tests/sync/kiosk_sync.mk — the real kiosk binary against a real hubd on loopback, through the
# fault proxy (hubd up, down, stalled, 500s, garbage; a store that cannot be a file), and the
# benchmark of Yes -> result screen in each case.

# As test-kiosk-e2e: ASan stops the kiosk on any overflow, leak checks are off (SDL unloads the
# video drivers it opened, so their allocations show up as leaks no suppression can name).
KIOSK_SYNC_ENV := ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
KIOSK_SYNC_BINS := $(BUILD)/kiosk $(BUILD)/hubd $(BUILD)/tests/sync/faultproxy

.PHONY: test-sync-kiosk bench-sync-kiosk
test-sync-kiosk: $(KIOSK_SYNC_BINS)
	@$(KIOSK_SYNC_ENV) sh tests/sync/kiosk_sync.sh $(BUILD) $(BUILD)/kiosk-sync

# Figures only: a missed target prints MISSED; a broken journey or a lost check-in fails.
bench-sync-kiosk: $(KIOSK_SYNC_BINS)
	@sh tests/sync/bench_kiosk.sh $(BUILD)

TEST_TARGETS  += test-sync-kiosk
BENCH_TARGETS += bench-sync-kiosk
