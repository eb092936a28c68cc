# kiosk/router: text -> needs -> one worker. Pure C (no SDL, curl, SQLite or clock).
# librouter.a is linked by the kiosk, hub-route, route-eval and the routing tests, each with
# libproto.a after it.
ROUTER_SRC := $(wildcard kiosk/router/*.c)
ROUTER_OBJ := $(call OBJ,$(ROUTER_SRC))
CORE_LIBS  := $(PROTO_LIBS) -lstemmer -lm

$(BUILD)/librouter.a: $(ROUTER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/hub-route: $(call OBJ,kiosk/tools/hub_route.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/hub-route

$(BUILD)/route-eval: $(call OBJ,kiosk/tools/route_eval.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-eval

# route-train: the learned model's trainer (liblinear), run by make when the data changes.
$(BUILD)/route-train: $(call OBJ,kiosk/tools/route_train.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) -llinear

ALL_BINS += $(BUILD)/route-train

# The learned model ships in assets/ and is rebuilt from the data whenever the data, the
# vocabulary or the trainer change (the same inputs give the same bytes); test-routing checks
# that the committed copy is current. Binaries that route load it at start.
ROUTE_CORPUS     := $(sort $(wildcard tests/data/corpus/*.jsonl))
ROUTE_TRAIN_ARGS := --whole tests/data/routing_dev.jsonl $(ROUTE_CORPUS)
ROUTE_MODEL      := assets/route-model.bin

$(ROUTE_MODEL): $(BUILD)/route-train tests/data/routing_dev.jsonl $(ROUTE_CORPUS) assets/needs.json \
                $(wildcard locales/*/needs.json)
	@tmp=$$(mktemp $@.XXXXXX) && HUB_ROOT=$(CURDIR) $(BUILD)/route-train --out $$tmp $(ROUTE_TRAIN_ARGS) \
	  && chmod 644 $$tmp && mv $$tmp $@ || { rm -f $$tmp; exit 1; }

$(BUILD)/hub-route $(BUILD)/route-eval: | $(ROUTE_MODEL)
ALL_BINS += $(ROUTE_MODEL)

# route-words: the Welsh word list that guards spelling correction, from Debian's aspell-cy.
$(BUILD)/route-words: $(call OBJ,kiosk/tools/route_words.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-words

# Regenerated on purpose (it depends on a system dictionary): make words-cy.
.PHONY: words-cy
words-cy: $(BUILD)/route-words
	aspell -d cy dump master | aspell -l cy expand | tr ' ' '\n' | \
	  HUB_ROOT=$(CURDIR) $(BUILD)/route-words cy | LC_ALL=C sort > locales/cy/words.txt

# The model's inner loop (int16 weights into int32 sums) is worth vectorising in every build.
ifneq ($(findstring clang,$(CC)),clang)
$(BUILD)/obj/kiosk/router/model.o: CFLAGS += -ftree-vectorize -fvect-cost-model=dynamic
endif

# route-bridge: Welsh words the Welsh vocabulary lacks, bridged to English vocabulary words
# through Debian's dict-freedict-cym-eng. Regenerated on purpose: make bridge-cy.
$(BUILD)/route-bridge: $(call OBJ,kiosk/tools/route_bridge.c) $(BUILD)/librouter.a $(BUILD)/libproto.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

ALL_BINS += $(BUILD)/route-bridge

.PHONY: bridge-cy
bridge-cy: $(BUILD)/route-bridge
	zcat /usr/share/dictd/freedict-cym-eng.dict.dz | HUB_ROOT=$(CURDIR) $(BUILD)/route-bridge | \
	  LC_ALL=C sort > locales/cy/bridge.txt
