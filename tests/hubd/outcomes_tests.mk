# tests/hubd/outcomes_tests.mk — the end of a resident's journey (left, call next, outcomes,
# feedback, the day's end, the community figures): an integration binary with a hubd of its
# own, so its months and counts are its own, and the community figures' pure unit tests. Run
# before the rest of test-hubd.

HUBD_OUTCOMES_OBJ := $(call OBJ,tests/hubd/test_outcomes.c tests/hubd/test_community.c \
                                tests/hubd/client.c)
HUBD_COMMUNITY_UNIT_OBJ := $(call OBJ,tests/hubd/test_community_unit.c) $(HUBD_PURE_OBJ)
$(call OBJ,tests/hubd/test_outcomes.c tests/hubd/test_community.c): \
  CFLAGS += $(call PKG_CFLAGS,cmocka libcurl sqlite3 libpq)
$(call OBJ,tests/hubd/test_community_unit.c): CFLAGS += -iquote services $(call PKG_CFLAGS,cmocka)

$(BUILD)/tests/hubd_outcomes: $(HUBD_OUTCOMES_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcurl libcjson sqlite3 libpq) -lpthread

$(BUILD)/tests/hubd_community_unit: $(HUBD_COMMUNITY_UNIT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call PKG_LIBS,cmocka libcjson) $(PROTO_LIBS) -lm

.PHONY: test-hubd-outcomes
test-hubd-outcomes: $(BUILD)/hubd $(BUILD)/tests/hubd_outcomes $(BUILD)/tests/hubd_community_unit \
                    $(BUILD)/tests/hubd-faults
	$(BUILD)/tests/hubd_community_unit
	HUBD_BIN=$(BUILD)/hubd HUBD_FAULT_BIN=$(BUILD)/tests/hubd-faults \
	  HUBD_FIXTURES=tests/hubd/fixtures $(BUILD)/tests/hubd_outcomes

test-hubd: test-hubd-outcomes
