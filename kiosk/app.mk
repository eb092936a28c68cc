# kiosk/app.mk: the SDL2 kiosk. Screens and flow come from libkioskui.a (kiosk/ui), the router
# from librouter.a, the store and sync from libkiosksync.a; kiosk/platform holds SDL, SDL_ttf,
# fontconfig, libpng (screenshots), libespeak-ng (speech) and libqrencode (the ticket's QR code).
KIOSK_SRC  := $(wildcard kiosk/platform/*.c)
KIOSK_OBJ  := $(call OBJ,$(KIOSK_SRC))
KIOSK_PKGS := sdl2 SDL2_ttf fontconfig libpng libqrencode
# libespeak-ng (speech) has no pkg-config file in Debian
KIOSK_LIBS := $(call PKG_LIBS,$(KIOSK_PKGS)) -lespeak-ng $(KSYNC_LIBS)

$(KIOSK_OBJ): CFLAGS += $(call PKG_CFLAGS,$(KIOSK_PKGS) sqlite3 libcurl) -Ikiosk/platform

$(BUILD)/kiosk: $(KIOSK_OBJ) $(BUILD)/libkioskui.a $(BUILD)/libkiosksync.a $(BUILD)/librouter.a $(BUILD)/libproto.a | $(ROUTE_MODEL)
	$(CC) $(LDFLAGS) -o $@ $^ $(KIOSK_LIBS) $(CORE_LIBS)

ALL_BINS += $(BUILD)/kiosk
LINT_SRC += $(KIOSK_SRC)
