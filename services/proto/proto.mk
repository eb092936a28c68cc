# services/proto: the wire contract compiled once (limits, taxonomy, directory and check-in
# codecs, JSON field readers, UTF-8, capped buffers, SHA-256). Pure C: no I/O but the capped
# file read, no clock. libproto.a is linked by hubd, the kiosk, the tools, the tests and the
# fuzzers; PROTO_LIBS are the libraries it needs.
PROTO_SRC  := $(wildcard services/proto/*.c)
PROTO_OBJ  := $(call OBJ,$(PROTO_SRC))
PROTO_LIBS := $(call PKG_LIBS,libutf8proc libcjson libcrypto)

$(BUILD)/libproto.a: $(PROTO_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^
