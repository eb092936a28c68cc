# kiosk/router: text -> needs -> one worker. Pure C (no SDL, curl, SQLite or clock).
# librouter.a is linked by the kiosk, hub-route, route-eval and the routing tests.
ROUTER_SRC := $(wildcard kiosk/router/*.c)
ROUTER_OBJ := $(call OBJ,$(ROUTER_SRC))
CORE_LIBS  := $(call PKG_LIBS,libutf8proc libcjson) -lstemmer -lm

$(BUILD)/librouter.a: $(ROUTER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/hub-route: $(call OBJ,kiosk/tools/hub_route.c) $(BUILD)/librouter.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/hub-route

$(BUILD)/route-eval: $(call OBJ,kiosk/tools/route_eval.c) $(BUILD)/librouter.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-eval
