# kiosk/core: pure C (no SDL, curl, SQLite or clock). Linked by the kiosk, hub-route and tests.
# The router and matcher (text in, needs and one worker out) are a library of their own, so
# hub-route and the routing tests link nothing of the kiosk's screens.
ROUTER_SRC := $(addprefix kiosk/core/,util.c strmap.c text.c welsh.c typo.c jsonv.c needs.c \
                vocab.c router.c directory.c matcher.c paths.c)
ROUTER_OBJ := $(call OBJ,$(ROUTER_SRC))
CORE_SRC   := $(wildcard kiosk/core/*.c)
CORE_OBJ   := $(call OBJ,$(CORE_SRC))
CORE_LIBS  := $(call PKG_LIBS,libutf8proc libcjson) -lstemmer -lm

$(BUILD)/librouter.a: $(ROUTER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libhubcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/hub-route: $(call OBJ,kiosk/tools/hub_route.c) $(BUILD)/librouter.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/hub-route

$(BUILD)/route-eval: $(call OBJ,kiosk/tools/route_eval.c) $(BUILD)/librouter.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-eval
