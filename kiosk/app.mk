# kiosk/app.mk: the SDL2 kiosk. Pure screens and flow come from libhubcore.a (kiosk/core);
# kiosk/platform holds SDL, SDL_ttf, fontconfig and zlib (screenshots).
KIOSK_SRC  := $(wildcard kiosk/platform/*.c)
KIOSK_OBJ  := $(call OBJ,$(KIOSK_SRC))
KIOSK_PKGS := sdl2 SDL2_ttf fontconfig zlib
KIOSK_LIBS := $(call PKG_LIBS,$(KIOSK_PKGS)) $(call PKG_LIBS,sqlite3 libcurl) -lpthread

$(KIOSK_OBJ): CFLAGS += $(call PKG_CFLAGS,$(KIOSK_PKGS) sqlite3 libcurl) -Ikiosk/platform

$(BUILD)/kiosk: $(KIOSK_OBJ) $(BUILD)/libhubcore.a
	$(CC) $(LDFLAGS) -o $@ $(KIOSK_OBJ) $(BUILD)/libhubcore.a $(KIOSK_LIBS) $(CORE_LIBS)

ALL_BINS += $(BUILD)/kiosk
LINT_SRC += $(KIOSK_SRC)
