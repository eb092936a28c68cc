# services/hubd.mk — hubd, the hub's REST backend (libmicrohttpd + SQLite or PostgreSQL + cJSON).

HUBD_SRC := $(wildcard services/*.c) services/proto/ticket.c
# paths.c finds assets/ and locales/ as the kiosk does; util.c is its capped file read
HUBD_OBJ := $(call OBJ,$(HUBD_SRC) kiosk/router/paths.c kiosk/router/util.c)
# The pure parts, linked by the unit tests as well.
HUBD_PURE_SRC := services/sha256.c services/valid.c services/jsonv.c services/checkin.c \
                 services/hdir.c services/stats.c services/reports.c \
                 services/report_out.c services/report_outcomes.c services/community.c \
                 services/proto/ticket.c
HUBD_PURE_OBJ := $(call OBJ,$(HUBD_PURE_SRC))
HUBD_LIBS := $(call PKG_LIBS,libmicrohttpd sqlite3 libcjson libpq) -lpthread

$(HUBD_OBJ): CFLAGS += $(call PKG_CFLAGS,libmicrohttpd sqlite3 libpq)

$(BUILD)/hubd: $(HUBD_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(HUBD_LIBS)

ALL_BINS += $(BUILD)/hubd
