# libFuzzer targets (clang) for every parser of outside input in the core. `make fuzz` builds
# them into build/fuzz/ and runs each for FUZZ_SECONDS, seeded from the repository's data.
FUZZ_SECONDS ?= 30
FUZZERS      := fuzz_router fuzz_json fuzz_model fuzz_codecs

$(BUILD)/fuzz-%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(CORE_LIBS)

.PHONY: $(addprefix run-,$(FUZZERS))
run-fuzz_router: $(BUILD)/fuzz-fuzz_router
	@mkdir -p $(BUILD)/corpus/router
	@head -n 200 tests/data/routing_dev.jsonl | split -l 1 - $(BUILD)/corpus/router/seed-
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 $(BUILD)/corpus/router

run-fuzz_json: $(BUILD)/fuzz-fuzz_json
	@mkdir -p $(BUILD)/corpus/json
	@cp assets/demo-hub.json $(BUILD)/corpus/json/seed-hub.json
	@cp assets/needs.json $(BUILD)/corpus/json/seed-needs.json
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 $(BUILD)/corpus/json

# Seeds: a small model route-train writes, and the shipped one cut short.
run-fuzz_model: $(BUILD)/fuzz-fuzz_model $(BUILD)/route-train
	@mkdir -p $(BUILD)/corpus/model
	@head -n 40 tests/data/routing_dev.jsonl > $(BUILD)/corpus/model-seed.jsonl
	@HUB_ROOT=$(CURDIR) $(BUILD)/route-train --out $(BUILD)/corpus/model/seed-small \
	  --whole $(BUILD)/corpus/model-seed.jsonl 2>/dev/null
	@head -c 65536 $(ROUTE_MODEL) > $(BUILD)/corpus/model/seed-cut
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=262144 -print_final_stats=1 $(BUILD)/corpus/model

# Seeds: a check-in as the kiosk sends it, a batch, and the demo directory.
run-fuzz_codecs: $(BUILD)/fuzz-fuzz_codecs
	@mkdir -p $(BUILD)/corpus/codecs
	@cp tests/hubd/fixtures/checkin.json $(BUILD)/corpus/codecs/seed-checkin.json
	@printf '[%s]' "$$(cat tests/hubd/fixtures/checkin.json)" > $(BUILD)/corpus/codecs/seed-batch.json
	@cp assets/demo-hub.json $(BUILD)/corpus/codecs/seed-hub.json
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 $(BUILD)/corpus/codecs

FUZZ_TARGETS += $(addprefix run-,$(FUZZERS))
