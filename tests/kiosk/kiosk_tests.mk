# tests/kiosk: cmocka tests of the kiosk's pure core (flow, layout, themes, strings, keyboard)
# and end-to-end runs of the real kiosk binary in script mode.
KIOSK_UNIT      := flow layout ui crisis say feedback stack
KIOSK_UNIT_BINS := $(addprefix $(BUILD)/tests/kiosk/test_,$(KIOSK_UNIT))
KIOSK_SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                   LSAN_OPTIONS=suppressions=$(CURDIR)/tests/kiosk/lsan.supp:print_suppressions=0 \
                   UBSAN_OPTIONS=print_stacktrace=1

# The tests link the ui library and the router library (for the taxonomy, directory and matcher).
KIOSK_TEST_CORE := $(BUILD)/libkioskui.a $(BUILD)/librouter.a $(BUILD)/libproto.a

$(BUILD)/tests/kiosk/test_%: $(BUILD)/obj/tests/kiosk/test_%.o $(KIOSK_TEST_CORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka) $(CORE_LIBS)

.PHONY: test-kiosk test-kiosk-unit test-kiosk-e2e test-kiosk-bigger test-kiosk-pngdiff bench-kiosk \
        kiosk-shots
test-kiosk-unit: $(KIOSK_UNIT_BINS)
	@for t in $(KIOSK_UNIT_BINS); do $(KIOSK_SAN_ENV) $$t || exit 1; done

# End to end, ASan still stops the kiosk on any overflow or use after free, but leak checks are
# off: SDL unloads the video drivers it opened, so their allocations show up as leaks from an
# "<unknown module>" that no suppression can name. The core's own memory is leak-checked by the
# unit tests above.
KIOSK_E2E_ENV := ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

# pngdiff: a screenshot against its golden image (tests/kiosk/golden, tests/kiosk/golden-refresh),
# reading and writing PNGs through libpng.
$(BUILD)/obj/tests/kiosk/pngdiff.o: CFLAGS += $(call PKG_CFLAGS,libpng zlib)
$(BUILD)/tests/kiosk/pngdiff: $(BUILD)/obj/tests/kiosk/pngdiff.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libpng zlib)

# pngdiff on damaged and odd PNGs (test_pngdiff.c): one clear line and exit 2, never a crash.
$(BUILD)/tests/kiosk/test_pngdiff: $(BUILD)/obj/tests/kiosk/test_pngdiff.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka zlib)

test-kiosk-pngdiff: $(BUILD)/tests/kiosk/pngdiff $(BUILD)/tests/kiosk/test_pngdiff
	@$(KIOSK_SAN_ENV) PNGDIFF=$(BUILD)/tests/kiosk/pngdiff \
	  GOLDEN=tests/kiosk/golden/1080x1920-en-welcome.png $(BUILD)/tests/kiosk/test_pngdiff

test-kiosk-e2e: $(BUILD)/kiosk $(BUILD)/hubd $(BUILD)/tests/kiosk/pngdiff
	@$(KIOSK_E2E_ENV) sh tests/kiosk/e2e.sh $(BUILD)/kiosk $(BUILD)/kiosk-e2e

test-kiosk: test-kiosk-unit test-kiosk-bigger test-kiosk-pngdiff test-kiosk-e2e

# Bigger text that never loses or shrinks anything (the median text of every screen at least
# 1.25 times its normal size, no widget dropped, no text below its normal size), measured from
# the dump trees with test_layout's stand-in measurer, every page of a paged screen included
# (More: chip-more, sub-more, topic-more, page-more). It lists every miss, and none is left over
# the 272 layouts: every screen reflows (more rows, columns, pages) instead of shrinking; where
# the landscape tell screen's action column is too short for a row of what was heard and the
# other ways in (800x480 in Welsh), those get a page of their own behind "More".
# With LAYOUT_DUMP=FILE it also appends every tree it builds (969: each page of each) to FILE: a
# layout change meant to move nothing leaves that file byte-identical between two builds.
test-kiosk-bigger: $(BUILD)/tests/kiosk/test_layout
	@$(KIOSK_SAN_ENV) $< bigger

# Screenshots of every screen at 800x480, 1080x1920 and 1920x1080, both languages, come from
# the end-to-end run: $(BUILD)/kiosk-e2e/screens.
kiosk-shots: test-kiosk-e2e

bench-kiosk: $(BUILD)/kiosk
	@sh tests/kiosk/bench.sh $(BUILD)/kiosk

TEST_TARGETS  += test-kiosk
BENCH_TARGETS += bench-kiosk
