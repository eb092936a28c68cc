# tests/kiosk/feedback_e2e.mk — the welcome screen's way-out question and the hub's figures, end
# to end: the real kiosk against a real hubd holding last month's figures; screenshots at
# 1080x1920 and 1920x1080 in $(BUILD)/kiosk-feedback/screens.
.PHONY: test-kiosk-feedback
test-kiosk-feedback: $(BUILD)/kiosk $(BUILD)/hubd
	@$(KIOSK_E2E_ENV) sh tests/kiosk/e2e_feedback.sh $(BUILD) $(BUILD)/kiosk-feedback

TEST_TARGETS += test-kiosk-feedback
