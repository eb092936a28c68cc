# kiosk/core: pure C (no SDL, curl, SQLite or clock). Linked by the kiosk, hub-route and tests.
CORE_SRC   := $(wildcard kiosk/core/*.c)
CORE_OBJ   := $(call OBJ,$(CORE_SRC))
CORE_LIBS  := $(call PKG_LIBS,libutf8proc libcjson) -lstemmer -lm

$(BUILD)/libhubcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/hub-route: $(call OBJ,kiosk/tools/hub_route.c) $(BUILD)/libhubcore.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/hub-route

$(BUILD)/route-eval: $(call OBJ,kiosk/tools/route_eval.c) $(BUILD)/libhubcore.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-eval
