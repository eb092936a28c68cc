# tests/console/console_tests.mk — the staff console (services/web) in a real browser: Debian's
# chromium, headless, driven by playwright-core against a real hubd on loopback. Screenshots
# land in $(BUILD)/console. Needs the Debian packages chromium, nodejs and npm; the npm
# dependencies are installed once, when node_modules is missing.

.PHONY: test-console
test-console: $(BUILD)/hubd
	@[ -d tests/console/node_modules/playwright-core ] || \
	  npm ci --prefix tests/console --no-audit --no-fund
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/console.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/journey.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/community.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/live.test.mjs

TEST_TARGETS += test-console
