# tests/sync/store_tests.mk — the kiosk's local store when its file goes bad: unopenable at
# start, deleted or replaced while open, writes failing (a fault-injecting SQLite VFS shim).
STORE_TEST_OBJ := $(call OBJ,tests/sync/test_store.c)

$(STORE_TEST_OBJ): CFLAGS += $(call PKG_CFLAGS,cmocka sqlite3 libcjson)

$(BUILD)/tests/sync/test_store: $(STORE_TEST_OBJ) $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka sqlite3 libcjson) $(CORE_LIBS) -lpthread

.PHONY: test-store
test-store: $(BUILD)/tests/sync/test_store
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(BUILD)/tests/sync/test_store

TEST_TARGETS += test-store
