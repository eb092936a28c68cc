# Hub front desk: one non-recursive Makefile; every product lands in build/.
#
#   make run     install what is missing, build, start hubd with the demo hub, open the kiosk
#   make test    install, build with AddressSanitizer + UBSan, run every test
#   make lint    clang-format check and the banned-function check
#   make bench   router, hubd and kiosk benchmarks (figures on stdout)
#   make fuzz    each libFuzzer target for a short while
#
# Each area adds its sources, binaries and tests in its own fragment (*.mk),
# included below; this file holds the shared rules.

BUILD     ?= build
SAN       ?= 0
CC        ?= cc
PKGS      := libutf8proc libcjson sqlite3 libmicrohttpd libcurl sdl2 SDL2_ttf fontconfig libpng cmocka

# Debian packages a fresh machine needs for build, test, bench and run.
DEB_PKGS  := build-essential pkg-config clang libclang-rt-14-dev clang-format \
             libsdl2-dev libsdl2-ttf-dev libfontconfig-dev libpng-dev zlib1g-dev libcurl4-openssl-dev \
             libcjson-dev libcmocka-dev libsqlite3-dev sqlite3 libmicrohttpd-dev \
             libutf8proc-dev libstemmer-dev liblinear-dev aspell-cy dict-freedict-cym-eng xvfb xauth fonts-noto-core \
             fonts-dejavu-core wrk nginx-light curl ca-certificates chromium nodejs \
             libespeak-ng-dev espeak-ng-data espeak-ng sox libqrencode-dev zbar-tools openssl \
             libpq-dev postgresql libssl-dev

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla -Wno-unused-parameter
ifneq ($(findstring clang,$(CC)),clang)
WARN      += -Wno-format-truncation
endif
CSTD      := -std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE
OPT       := -O2 -g
ifeq ($(SAN),1)
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=undefined
LDSAN     := -fsanitize=address,undefined
endif
ifeq ($(SAN),fuzz)
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=undefined
LDSAN     := -fsanitize=address,undefined
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(1) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(1) 2>/dev/null)

CFLAGS    ?=
CFLAGS    += $(CSTD) $(OPT) $(WARN) -MMD -MP -Ikiosk/router -Ikiosk/ui -Ikiosk/sync -Iservices \
             $(call PKG_CFLAGS,libutf8proc libcjson libcrypto)
LDFLAGS   += $(LDSAN)

OBJ        = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.DEFAULT_GOAL := all
.SECONDARY:
.PHONY: all test check lint bench bench-run fuzz fuzz-run run clean deps format
ALL_BINS     :=
TEST_TARGETS :=
BENCH_TARGETS :=
FUZZ_TARGETS :=
LINT_SRC     :=

include services/proto/proto.mk
include kiosk/router/router.mk
include kiosk/ui/ui.mk
include kiosk/sync/sync.mk
include kiosk/app.mk
include services/hubd.mk
include tests/proto/proto_tests.mk
include tests/unit/unit.mk
include tests/kiosk/kiosk_tests.mk
include tests/kiosk/feedback_e2e.mk
include tests/kiosk/damage_tests.mk
include tests/hubd/hubd_tests.mk
include tests/console/console_tests.mk
include tests/sync/sync_tests.mk
include tests/sync/store_tests.mk
include tests/sync/fault_tests.mk
include tests/sync/feedback_tests.mk
include tests/sync/drain_tests.mk
include tests/sync/kiosk_sync.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk

all: $(ALL_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

# Installs only what is missing; does nothing when everything is there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  echo "deps: installing$$missing"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi; \
	if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  echo "deps: installing npm"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends npm; \
	fi

# Tests run from a sanitizer build of their own, so a plain build stays fast.
test: deps
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 check

check: $(TEST_TARGETS)
	@echo "all test groups passed: $(TEST_TARGETS)"

BANNED := '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\('
lint:
	@fail=0; \
	files="$$(git ls-files '*.c' '*.h')"; \
	for f in $$files; do \
	  clang-format --dry-run --Werror "$$f" 2>/dev/null || { echo "lint: $$f needs clang-format"; fail=1; }; \
	done; \
	if grep -nE $(BANNED) $$files; then echo "lint: banned function above"; fail=1; fi; \
	[ $$fail = 0 ] && echo "lint: clean"; exit $$fail

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

bench: deps
	@$(MAKE) --no-print-directory BUILD=build bench-run

bench-run: $(BENCH_TARGETS)

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz SAN=fuzz CC=clang fuzz-run

fuzz-run: $(FUZZ_TARGETS)

# Starts hubd on its embedded SQLite with the demo hub, makes the tokens the demo needs (once,
# kept in data/tokens.txt), prints the staff ones, and opens the kiosk. Ctrl-C or closing the
# kiosk stops both.
PORT ?= 8080
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p data
	@if [ ! -s data/tokens.txt ]; then \
	  for role in kiosk reception worker manager; do \
	    printf '%s %s\n' $$role "$$(build/hubd --db data/hub.db --seed assets/demo-hub.json token $$role demo-$$role $$([ $$role = worker ] && echo --worker w-sian))"; \
	  done > data/tokens.txt; \
	fi
	@if [ ! -s data/kiosk/config.json ]; then \
	  mkdir -p data/kiosk && umask 077 && \
	  printf '{"staff_pin": "%s"}\n' "$$(od -An -N4 -tu4 /dev/urandom | awk '{printf "%06d", $$1 % 1000000}')" \
	    > data/kiosk/config.json; \
	fi
	@echo "Staff console: http://127.0.0.1:$(PORT)/  tokens (data/tokens.txt):"
	@grep -v '^kiosk ' data/tokens.txt | sed 's/^/  /'
	@echo "Kiosk staff screen: hold the welcome screen's bottom-left corner for 3 s;" \
	  "PIN $$(sed -n 's/.*"staff_pin": *"\([0-9]*\)".*/\1/p' data/kiosk/config.json) (data/kiosk/config.json)"
	@set -e; \
	build/hubd --db data/hub.db --seed assets/demo-hub.json --port $(PORT) --web services/web & \
	hubd=$$!; trap 'kill $$hubd 2>/dev/null; wait $$hubd 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 50); do curl -fsS http://127.0.0.1:$(PORT)/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done; \
	kiosk="build/kiosk --server http://127.0.0.1:$(PORT) --token $$(awk '$$1=="kiosk"{print $$2}' data/tokens.txt) --data data/kiosk"; \
	if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: running the kiosk under Xvfb (set DISPLAY to see it)."; \
	  SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0 \
	    xvfb-run -a -s "-screen 0 1080x1920x24" $$kiosk --size 1080x1920; \
	else \
	  $$kiosk; \
	fi

clean:
	rm -rf build

include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
