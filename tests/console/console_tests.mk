# tests/console/console_tests.mk — the staff console (services/web) in a real browser: Debian's
# chromium, headless, driven by playwright-core against a real hubd on loopback. Screenshots
# land in $(BUILD)/console; welsh.test.mjs checks the console in Welsh and English and runs
# axe-core over every screen in both. Also the REST contract: services/openapi.json linted by
# @redocly/cli (recommended-strict) and every answer of a walk over a live hubd validated
# against it. Needs the Debian packages chromium, nodejs and npm; the npm dependencies
# (package-lock.json) are installed again whenever the lock file is newer than them.

CONSOLE_NPM := tests/console/node_modules/.package-lock.json

$(CONSOLE_NPM): tests/console/package-lock.json
	npm ci --prefix tests/console --no-audit --no-fund
	@touch $@

.PHONY: test-console test-openapi
test-openapi: $(BUILD)/hubd $(CONSOLE_NPM)
	tests/console/node_modules/.bin/redocly lint --extends recommended-strict \
	  --format stylish services/openapi.json
	HUBD_BIN=$(BUILD)/hubd node tests/console/openapi.test.mjs

test-console: $(BUILD)/hubd $(CONSOLE_NPM) test-openapi
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/console.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/journey.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/community.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/welsh.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/live.test.mjs
	HUBD_BIN=$(BUILD)/hubd CONSOLE_OUT=$(BUILD)/console node tests/console/kiosks.test.mjs

TEST_TARGETS += test-console
