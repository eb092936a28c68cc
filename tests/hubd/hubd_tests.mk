# tests/hubd/hubd_tests.mk — hubd's unit tests (pure parts) and integration tests (a real
# hubd over HTTP), plus its benchmark against nginx.

HUBD_UNIT_OBJ := $(call OBJ,tests/hubd/test_unit.c) $(HUBD_PURE_OBJ) $(call OBJ,services/dircache.c)
HUBD_API_OBJ  := $(call OBJ,tests/hubd/test_api.c tests/hubd/test_staff.c tests/hubd/test_robust.c \
                            tests/hubd/test_me.c tests/hubd/test_report.c tests/hubd/client.c \
                            tests/hubd/test_kiosk_ticket.c tests/hubd/test_attack.c \
                            tests/hubd/test_health.c tests/hubd/test_tokens.c \
                            tests/hubd/test_faults.c tests/hubd/test_taxonomy.c \
                            tests/hubd/test_county.c) \
                 $(call OBJ,services/proto/ticket.c)

$(call OBJ,tests/hubd/test_unit.c): CFLAGS += -iquote services $(call PKG_CFLAGS,cmocka libmicrohttpd)
$(HUBD_API_OBJ): CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)

$(BUILD)/tests/hubd_unit: $(HUBD_UNIT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcjson libmicrohttpd) $(PROTO_LIBS) -lm

$(BUILD)/tests/hubd_api: $(HUBD_API_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq) -lpthread

# hubd over the failing store double (tests/hubd/store_fault.c), for test_faults.c: the same
# objects but main.c, built again with HUBD_STORE_FAULTS.
HUBD_FAULT_OBJ := $(filter-out $(call OBJ,services/main.c),$(HUBD_OBJ)) \
                  $(BUILD)/obj/tests/hubd/main_faults.o $(call OBJ,tests/hubd/store_fault.c) \
                  $(BUILD)/libproto.a

$(BUILD)/obj/tests/hubd/main_faults.o: services/main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(call PKG_CFLAGS,libmicrohttpd sqlite3) -DHUBD_STORE_FAULTS \
	  -iquote services -iquote tests/hubd -c $< -o $@

$(call OBJ,tests/hubd/store_fault.c): CFLAGS += -iquote services $(call PKG_CFLAGS,libmicrohttpd sqlite3)

$(BUILD)/tests/hubd-faults: $(HUBD_FAULT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(HUBD_LIBS)

.PHONY: test-hubd bench-hubd
test-hubd: $(BUILD)/hubd $(BUILD)/tests/hubd_unit $(BUILD)/tests/hubd_api $(BUILD)/tests/hubd-faults
	$(BUILD)/tests/hubd_unit
	HUBD_BIN=$(BUILD)/hubd HUBD_FAULT_BIN=$(BUILD)/tests/hubd-faults \
	  HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_api

# The same API suites on PostgreSQL: a throwaway server (tests/lib/pg.sh), a fresh database
# for each hubd the tests start; the tests about SQLite's own files skip themselves.
.PHONY: test-hubd-pg
test-hubd-pg: $(BUILD)/hubd $(BUILD)/tests/hubd_api $(BUILD)/tests/hubd_outcomes \
              $(BUILD)/tests/hubd-faults
	PG_OPTS="-c fsync=off -c synchronous_commit=off" tests/lib/pg.sh run sh -c \
	  'export HUBD_TEST_PG="$$PG_URL" HUBD_BIN=$(BUILD)/hubd HUBD_FAULT_BIN=$(BUILD)/tests/hubd-faults \
	    HUBD_FIXTURES=tests/hubd/fixtures; $(BUILD)/tests/hubd_outcomes && $(BUILD)/tests/hubd_api'

# A county's load (tests/hubd/bench_county.sh): check-ins/s and call next on PostgreSQL and
# SQLite side by side.
$(BUILD)/bench_county: $(call OBJ,tests/hubd/bench_county.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libcurl) -lpthread

.PHONY: bench-county
bench-county: $(BUILD)/hubd $(BUILD)/bench_county
	tests/hubd/bench_county.sh $(BUILD)/hubd $(BUILD)/bench_county

$(BUILD)/slowhold: $(call OBJ,tests/hubd/slowhold.c)
	$(CC) $(LDFLAGS) -o $@ $^

bench-hubd: $(BUILD)/hubd $(BUILD)/slowhold
	tests/hubd/bench.sh $(BUILD)/hubd

# `make fuzz` (clang, SAN=fuzz): hubd's parsers of outside input.
FUZZ_SECONDS ?= 30
$(BUILD)/fuzz-hubd_parsers: $(call OBJ,tests/hubd/fuzz_hubd.c) $(HUBD_PURE_OBJ)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PROTO_LIBS) -lm

$(call OBJ,tests/hubd/fuzz_hubd.c): CFLAGS += -iquote services

.PHONY: run-fuzz-hubd
run-fuzz-hubd: $(BUILD)/fuzz-hubd_parsers
	@mkdir -p $(BUILD)/corpus/hubd
	@cp tests/hubd/fixtures/*.json $(BUILD)/corpus/hubd/
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 $(BUILD)/corpus/hubd

# The whole request path (libmicrohttpd, guard, routing, auth, handlers, SQLite) in-process,
# over loopback; @K/@R/@A in an input are valid kiosk/reception/admin tokens.
$(BUILD)/fuzz-hubd_http: $(call OBJ,tests/hubd/fuzz_http.c) \
                         $(filter-out $(call OBJ,services/main.c),$(HUBD_OBJ)) $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(HUBD_LIBS)

$(call OBJ,tests/hubd/fuzz_http.c): CFLAGS += -iquote services $(call PKG_CFLAGS,libmicrohttpd sqlite3)

.PHONY: run-fuzz-hubd-http
run-fuzz-hubd-http: $(BUILD)/fuzz-hubd_http
	@mkdir -p $(BUILD)/corpus/hubd_http
	@cp tests/hubd/fuzz_http/*.txt $(BUILD)/corpus/hubd_http/
	HUBD_FIXTURES=tests/hubd/fixtures $< -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	  -print_final_stats=1 -close_fd_mask=2 $(BUILD)/corpus/hubd_http

TEST_TARGETS  += test-hubd test-hubd-pg
FUZZ_TARGETS  += run-fuzz-hubd run-fuzz-hubd-http
BENCH_TARGETS += bench-hubd bench-county

# The end of the journey: left, call next, outcomes, feedback, the community figures.
include tests/hubd/outcomes_tests.mk

# The live board pushed: GET /events.
include tests/hubd/events_tests.mk

# Reception sees a kiosk in trouble; the migrations of both backends.
include tests/hubd/kiosks_tests.mk

# The console's files as they are and gzip-compressed.
include tests/hubd/web_tests.mk
