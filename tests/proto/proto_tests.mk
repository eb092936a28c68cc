# Unit tests of services/proto (cmocka): UTF-8, capped buffers, both codecs round-tripped.
PROTO_TEST_BIN := $(BUILD)/tests/test_proto

$(PROTO_TEST_BIN): $(BUILD)/obj/tests/proto/test_proto.o $(BUILD)/libproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PROTO_LIBS) $(call PKG_LIBS,cmocka)

.PHONY: test-proto
test-proto: $(PROTO_TEST_BIN)
	$(PROTO_TEST_BIN)

TEST_TARGETS += test-proto
