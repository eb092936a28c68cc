# tests/sync/feedback_tests.mk — residents' answers on the way out from the kiosk's store to a
# real hubd (exactly once through a dead network and a killed kiosk), and the hub's public
# figures the welcome screen shows.
FEEDBACK_TEST_OBJ := $(call OBJ,tests/sync/test_feedback.c tests/sync/sync_env.c tests/hubd/client.c)

$(call OBJ,tests/sync/test_feedback.c): CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)

$(BUILD)/tests/sync/test_feedback: $(FEEDBACK_TEST_OBJ) $(FAULT_PROXY_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/libkioskui.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl sqlite3 libpq) $(CORE_LIBS) -lpthread

.PHONY: test-sync-feedback
test-sync-feedback: $(BUILD)/hubd $(BUILD)/tests/sync/test_feedback
	HUBD_BIN=$(BUILD)/hubd ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests/sync/test_feedback

TEST_TARGETS += test-sync-feedback
