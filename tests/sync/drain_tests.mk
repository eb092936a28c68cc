# tests/sync/drain_tests.mk — exactly-once under SIGKILLs (hubd killed mid-drain, the kiosk's
# own sync killed mid-post), and the sync benchmark (drain of 10,000, durable write latency,
# the UI-side write while the 10,000 drain beside the same writes with no drain).
DRAIN_LINK_SRC := tests/sync/sync_env.c tests/hubd/client.c
DRAIN_TEST_OBJ := $(call OBJ,tests/sync/test_drain.c $(DRAIN_LINK_SRC))
BENCH_SYNC_OBJ := $(call OBJ,tests/sync/bench_sync.c $(DRAIN_LINK_SRC))

$(DRAIN_TEST_OBJ) $(BENCH_SYNC_OBJ): CFLAGS += \
                                               $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)

$(BUILD)/tests/sync/test_drain: $(DRAIN_TEST_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl sqlite3 libpq) $(CORE_LIBS) -lpthread

$(BUILD)/bench-sync: $(BENCH_SYNC_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libcurl sqlite3 libpq) $(CORE_LIBS) -lpthread

.PHONY: test-sync-drain bench-sync
test-sync-drain: $(BUILD)/hubd $(BUILD)/tests/sync/test_drain
	HUBD_BIN=$(BUILD)/hubd ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests/sync/test_drain

# Figures only: a missed target prints MISSED; a wrong count (not exactly once) fails.
bench-sync: $(BUILD)/hubd $(BUILD)/bench-sync
	HUBD_BIN=$(BUILD)/hubd $(BUILD)/bench-sync

TEST_TARGETS  += test-sync-drain
BENCH_TARGETS += bench-sync
