# tests/kiosk/damage_tests.mk — the kiosk shell's repaint rectangles (kiosk/platform/damage.c,
# pure C): a unit test of its own, part of test-kiosk.
$(BUILD)/tests/kiosk/test_damage: $(call OBJ,kiosk/platform/damage.c)
$(call OBJ,tests/kiosk/test_damage.c): CFLAGS += -iquote kiosk/platform

.PHONY: test-kiosk-damage
test-kiosk-damage: $(BUILD)/tests/kiosk/test_damage
	@$(KIOSK_SAN_ENV) $<

test-kiosk: test-kiosk-damage
