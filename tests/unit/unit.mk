# Unit tests of kiosk/router's router and matcher (cmocka, no SDL), and the routing data checks.
UNIT_TESTS := test_text test_typo test_router test_matcher test_rules
UNIT_BINS  := $(addprefix $(BUILD)/tests/,$(UNIT_TESTS))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/librouter.a $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(call PKG_LIBS,cmocka)

.PHONY: test-core test-routing
test-core: $(UNIT_BINS) | $(ROUTE_MODEL)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

# The router is gated on the held-out split of the corpus (tests/data/corpus, one line in five
# by a hash of its text: route-train never sees it), and the dev set it was tuned on must hold;
# the first held-out set is reported. The floors (--gate) are what the router measures today,
# rounded down: a change that loses urgent residents fails. The issue's targets are printed.
ROUTE_GATE_TEST := 82,80,89,9,89,81
ROUTE_GATE_DEV  := 95,95,99,2,95,95
test-routing: $(BUILD)/route-eval $(BUILD)/hub-route $(BUILD)/route-train
	$(BUILD)/route-eval --check --gate $(ROUTE_GATE_TEST) --quiet --split test $(ROUTE_CORPUS)
	$(BUILD)/route-eval --check --gate $(ROUTE_GATE_DEV) --quiet tests/data/routing_dev.jsonl
	@echo "first held-out set (never tuned on):"
	@$(BUILD)/route-eval --quiet tests/data/routing_holdout.jsonl
	@echo "the shipped model is current (retrained from the data, the same bytes):"
	@HUB_ROOT=$(CURDIR) $(BUILD)/route-train --out $(BUILD)/route-model.fresh $(ROUTE_TRAIN_ARGS)
	@if git ls-files --error-unmatch $(ROUTE_MODEL) >/dev/null 2>&1; then \
	  git show HEAD:$(ROUTE_MODEL) | cmp - $(BUILD)/route-model.fresh || \
	  { echo "test-routing: $(ROUTE_MODEL) is not what the data gives: run make and commit it"; exit 1; }; \
	else cmp $(ROUTE_MODEL) $(BUILD)/route-model.fresh; fi

$(BUILD)/tests/test_hub_route: $(BUILD)/obj/tests/unit/test_hub_route.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,libcjson cmocka)

.PHONY: test-hub-route
test-hub-route: $(BUILD)/tests/test_hub_route $(BUILD)/hub-route
	$(BUILD)/tests/test_hub_route $(BUILD)/hub-route

TEST_TARGETS += test-core test-hub-route test-routing
