# Benchmarks: `make bench` builds optimised (build/) and prints figures; no pass/fail timing.
$(BUILD)/bench-router: $(call OBJ,tests/bench/bench_router.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

.PHONY: bench-router
bench-router: $(BUILD)/bench-router
	$(BUILD)/bench-router tests/data/routing_dev.jsonl

BENCH_TARGETS += bench-router
