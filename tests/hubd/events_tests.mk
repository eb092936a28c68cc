# tests/hubd/events_tests.mk — the live board pushed (GET /events): an integration binary
# with hubd servers of its own (one capped at two streams), and its Server-Sent Events client.

HUBD_EVENTS_OBJ := $(call OBJ,tests/hubd/test_events.c tests/hubd/sse_client.c tests/hubd/client.c)
$(call OBJ,tests/hubd/test_events.c tests/hubd/sse_client.c): \
  CFLAGS += $(call PKG_CFLAGS,cmocka libcurl)

$(BUILD)/tests/hubd_events: $(HUBD_EVENTS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq) -lpthread

.PHONY: test-hubd-events
test-hubd-events: $(BUILD)/hubd $(BUILD)/tests/hubd_events
	HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_events

test-hubd: test-hubd-events
