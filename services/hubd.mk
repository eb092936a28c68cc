# services/hubd.mk — hubd, the hub's REST backend (libmicrohttpd + SQLite or PostgreSQL + cJSON;
# zlib for the console's files sent gzip-compressed).

HUBD_SRC := $(wildcard services/*.c)
HUBD_OBJ := $(call OBJ,$(HUBD_SRC))
# The pure parts, linked by the unit tests as well.
HUBD_PURE_SRC := services/stats.c services/reports.c \
                 services/report_out.c services/report_outcomes.c services/community.c
HUBD_PURE_OBJ := $(call OBJ,$(HUBD_PURE_SRC)) $(BUILD)/libproto.a
HUBD_LIBS := $(call PKG_LIBS,libmicrohttpd sqlite3 libcjson libpq zlib) $(PROTO_LIBS) -lpthread

$(HUBD_OBJ): CFLAGS += $(call PKG_CFLAGS,libmicrohttpd sqlite3 libpq zlib)

$(BUILD)/hubd: $(HUBD_OBJ) $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(HUBD_LIBS)

ALL_BINS += $(BUILD)/hubd
