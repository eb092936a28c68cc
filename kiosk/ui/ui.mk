# kiosk/ui: screen flow, screens, layout, keyboard, theme, i18n. Pure C: the shell passes input
# and time in. libkioskui.a is linked by the kiosk and the UI tests.
UI_SRC := $(wildcard kiosk/ui/*.c)
UI_OBJ := $(call OBJ,$(UI_SRC))

$(BUILD)/libkioskui.a: $(UI_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^
