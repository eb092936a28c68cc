# Unit tests of kiosk/router's router and matcher (cmocka, no SDL), and the routing data checks.
UNIT_TESTS := test_text test_typo test_router test_matcher
UNIT_BINS  := $(addprefix $(BUILD)/tests/,$(UNIT_TESTS))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/librouter.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(call PKG_LIBS,cmocka)

.PHONY: test-core test-routing
test-core: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

# The router over the labelled dev set must meet the targets; the held-out set is reported.
test-routing: $(BUILD)/route-eval $(BUILD)/hub-route
	$(BUILD)/route-eval --check --quiet tests/data/routing_dev.jsonl
	@echo "held-out set (never tuned on):"
	@$(BUILD)/route-eval --quiet tests/data/routing_holdout.jsonl

$(BUILD)/tests/test_hub_route: $(BUILD)/obj/tests/unit/test_hub_route.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libcjson cmocka)

.PHONY: test-hub-route
test-hub-route: $(BUILD)/tests/test_hub_route $(BUILD)/hub-route
	$(BUILD)/tests/test_hub_route $(BUILD)/hub-route

TEST_TARGETS += test-core test-hub-route test-routing
