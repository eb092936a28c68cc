# tests/hubd/web_tests.mk — the staff console's files from a real hubd, as they are and
# gzip-compressed (test_web.c), and the gzip cache (services/webgz.c) linked alone.

HUBD_WEB_OBJ := $(call OBJ,tests/hubd/test_web.c tests/hubd/client.c services/webgz.c)
$(call OBJ,tests/hubd/test_web.c): CFLAGS += -iquote services $(call PKG_CFLAGS,cmocka libcurl zlib)

$(BUILD)/tests/hubd_web: $(HUBD_WEB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq zlib) -lpthread

.PHONY: test-hubd-web
test-hubd-web: $(BUILD)/hubd $(BUILD)/tests/hubd_web
	HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures HUBD_WEB_SRC=services/web \
	  $(BUILD)/tests/hubd_web

test-hubd: test-hubd-web
