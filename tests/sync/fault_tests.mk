# tests/sync/fault_tests.mk — the kiosk's sync thread through a fault-switch proxy (500s,
# garbage, cut-short answers, stalls, refused connections) against a real hubd; and the proxy
# as a program, build/tests/sync/faultproxy, for shell tests of the kiosk.
FAULT_PROXY_OBJ := $(call OBJ,tests/sync/faultproxy.c)
FAULT_TEST_OBJ  := $(call OBJ,tests/sync/test_faults.c tests/sync/sync_env.c tests/hubd/client.c)

$(FAULT_TEST_OBJ) $(FAULT_PROXY_OBJ) $(call OBJ,tests/sync/faultproxy_main.c): \
  CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)

$(BUILD)/tests/sync/faultproxy: $(call OBJ,tests/sync/faultproxy_main.c) $(FAULT_PROXY_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

$(BUILD)/tests/sync/test_faults: $(FAULT_TEST_OBJ) $(FAULT_PROXY_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl sqlite3 libpq) $(CORE_LIBS) -lpthread

.PHONY: test-sync-faults
test-sync-faults: $(BUILD)/hubd $(BUILD)/tests/sync/test_faults $(BUILD)/tests/sync/faultproxy
	HUBD_BIN=$(BUILD)/hubd ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests/sync/test_faults

TEST_TARGETS += test-sync-faults
