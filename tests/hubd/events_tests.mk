# tests/hubd/events_tests.mk — the live board pushed (GET /events): an integration binary
# with hubd servers of its own (one capped at two streams), and its Server-Sent Events client.

HUBD_EVENTS_OBJ := $(call OBJ,tests/hubd/test_events.c tests/hubd/sse_client.c tests/hubd/client.c)
$(call OBJ,tests/hubd/test_events.c tests/hubd/sse_client.c): \
  CFLAGS += $(call PKG_CFLAGS,cmocka libcurl libpq)

$(BUILD)/tests/hubd_events: $(HUBD_EVENTS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq) -lpthread

.PHONY: test-hubd-events
test-hubd-events: $(BUILD)/hubd $(BUILD)/tests/hubd_events
	HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_events

test-hubd: test-hubd-events

# `make bench`: push latency from the commit to the line on the stream.
$(BUILD)/bench-events: $(call OBJ,tests/hubd/bench_events.c tests/hubd/sse_client.c tests/hubd/client.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libcurl libcjson sqlite3 libpq) -lpthread

$(call OBJ,tests/hubd/bench_events.c): CFLAGS += $(call PKG_CFLAGS,libcurl)

.PHONY: bench-events
bench-events: $(BUILD)/hubd $(BUILD)/bench-events
	HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/bench-events
	tests/lib/pg.sh run sh -c 'HUBD_TEST_PG="$$PG_URL" HUBD_BIN=$(BUILD)/hubd \
	  HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/bench-events'

BENCH_TARGETS += bench-events

# The live board across servers through PostgreSQL LISTEN/NOTIFY, on a throwaway server: the
# relay alone, then the whole suite on PostgreSQL with two hubd on one database.
HUBD_EVENTS_PG_OBJ := $(call OBJ,tests/hubd/test_events_pg.c services/events.c services/events_pg.c)
$(call OBJ,tests/hubd/test_events_pg.c): CFLAGS += -iquote services $(call PKG_CFLAGS,cmocka libpq)

$(BUILD)/tests/hubd_events_pg: $(HUBD_EVENTS_PG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libpq) -lpthread

.PHONY: test-hubd-events-pg
test-hubd-events-pg: $(BUILD)/hubd $(BUILD)/tests/hubd_events_pg $(BUILD)/tests/hubd_events
	PG_OPTS="-c fsync=off -c synchronous_commit=off" tests/lib/pg.sh run sh -c \
	  '$(BUILD)/tests/hubd_events_pg && HUBD_TEST_PG="$$PG_URL" HUBD_BIN=$(BUILD)/hubd \
	    HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_events'

test-hubd: test-hubd-events-pg
