# kiosk/sync: the kiosk's local store (SQLite) and the sync thread to hubd (libcurl), behind the
# ui's backend interface. libkiosksync.a is linked by the kiosk and the sync tests.
KSYNC_SRC  := $(wildcard kiosk/sync/*.c)
KSYNC_OBJ  := $(call OBJ,$(KSYNC_SRC))
KSYNC_LIBS := $(call PKG_LIBS,sqlite3 libcurl) -lpthread

$(KSYNC_OBJ): CFLAGS += $(call PKG_CFLAGS,sqlite3 libcurl)

$(BUILD)/libkiosksync.a: $(KSYNC_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^
