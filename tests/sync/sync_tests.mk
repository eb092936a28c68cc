# tests/sync/sync_tests.mk — the kiosk's local store and sync thread (no SDL) against a real
# hubd on loopback: offline queue, hubd killed mid-drain, corrupt directories; the directory
# pushed by hubd's live stream; and, against a stand-in server (fakehub.c), the fall-back to
# polling, the capped response reader and the kiosk's status report.
SYNC_TEST_OBJ := $(call OBJ,tests/sync/test_sync.c tests/sync/sync_env.c tests/sync/fakehub.c \
  tests/hubd/client.c)

$(SYNC_TEST_OBJ): CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)

$(BUILD)/tests/sync/test_sync: $(SYNC_TEST_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl sqlite3 libpq) $(CORE_LIBS) -lpthread

.PHONY: test-sync
test-sync: $(BUILD)/hubd $(BUILD)/tests/sync/test_sync
	HUBD_BIN=$(BUILD)/hubd ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests/sync/test_sync

TEST_TARGETS += test-sync
