# tests/hubd/kiosks_tests.mk — reception sees a kiosk in trouble (POST /kiosks/status, GET
# /kiosks, the kiosk event) and the numbered migrations of both backends: an integration
# binary with hubd servers of its own, on SQLite (test-hubd) and PostgreSQL (test-hubd-pg), and
# the migration runner's own unit test (a stand-in connection that fails on purpose; SQLite).

HUBD_KIOSKS_OBJ := $(call OBJ,tests/hubd/test_kiosks.c tests/hubd/sse_client.c tests/hubd/client.c)
$(call OBJ,tests/hubd/test_kiosks.c): CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3)

$(BUILD)/tests/hubd_kiosks: $(HUBD_KIOSKS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq) -lpthread

$(call OBJ,tests/hubd/test_migrations.c): CFLAGS += -iquote services $(call PKG_CFLAGS,cmocka sqlite3)

$(BUILD)/tests/hubd_migrations: $(call OBJ,tests/hubd/test_migrations.c services/migrations.c services/migrations_sqlite.c)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka sqlite3)

.PHONY: test-hubd-kiosks test-hubd-kiosks-pg
test-hubd-kiosks: $(BUILD)/hubd $(BUILD)/tests/hubd_kiosks $(BUILD)/tests/hubd_migrations
	$(BUILD)/tests/hubd_migrations
	HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_kiosks

test-hubd-kiosks-pg: $(BUILD)/hubd $(BUILD)/tests/hubd_kiosks
	PG_OPTS="-c fsync=off -c synchronous_commit=off" tests/lib/pg.sh run sh -c \
	  'HUBD_TEST_PG="$$PG_URL" HUBD_BIN=$(BUILD)/hubd HUBD_FIXTURES=tests/hubd/fixtures \
	    $(BUILD)/tests/hubd_kiosks'

test-hubd: test-hubd-kiosks
test-hubd-pg: test-hubd-kiosks-pg
