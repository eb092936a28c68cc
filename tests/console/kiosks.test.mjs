// kiosks.test.mjs — reception sees a kiosk in trouble, in a real browser against a real hubd:
// a kiosk that reports check-ins it could not send (set aside) puts a plain-words alert over
// the board, pushed by the live board's `kiosk` event; it goes once the kiosk reports 0. A
// kiosk out of touch for over 5 minutes is named with the time it was last heard from, while
// the hub is open (some worker not off), and not once everyone is off. The same in Welsh,
// axe-core over the board with the alerts showing (0 violations), and without the stream
// the alert still comes, from the 30 s poll of GET /kiosks.
import fs from 'node:fs';
import path from 'node:path';
import { Run, ROOT, assert, eq, until, log } from './harness.mjs';

const run = new Run('kiosks');
const AXE = fs.readFileSync(path.join(ROOT, 'tests/console/node_modules/axe-core/axe.min.js'), 'utf8');

/* Runs axe-core in page; throws listing every violation. */
async function axe(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert(!res.length, `${what}: ${res.length} axe violations:\n  ` + res.join('\n  '));
  log(`     axe: ${what}: 0 violations`);
}

/* The alerts over the board, as their text. */
const alerts = (page) => page.evaluate(() =>
  Array.from(document.querySelectorAll('#kiosk-alerts .kiosk-alert')).map((p) => p.textContent.replace(/^\u26A0 /, '')));

run.run(async (t) => {
  const tok = {
    door: t.token('kiosk', 'door'), side: t.token('kiosk', 'side'),
    reception: t.token('reception', 'front-desk'),
  };
  const door = tok.door.split('-')[0], side = tok.side.split('-')[0]; // their kiosk codes
  await t.start();
  await t.browse();
  log(`hubd on ${t.base}`);
  const status = async (who, pending, setAside) =>
    eq((await t.api('POST', '/kiosks/status', tok[who], { pending, set_aside: setAside })).status, 204, `${who} reports`);
  const heldText = (code, n) => `The kiosk “door” (${code}) holds ${n} check-ins it could not send. Ask at the kiosk’s staff screen.`;

  const board = await t.page(1440, 900, 'board');
  await t.step('all is well: no alert over the board', async () => {
    await status('door', 0, 0);
    await t.signIn(board, tok.reception);
    await board.waitForSelector('#v-board:not([hidden])', { timeout: 5000 });
    await until(() => board.evaluate(() => document.body.getAttribute('data-live') === 'on'), 5000, 'data-live=on');
    await new Promise((r) => setTimeout(r, 500));
    eq((await alerts(board)).length, 0, 'alerts');
    eq(await board.locator('#kiosk-alerts').getAttribute('role'), 'alert', 'the alerts are read out');
  });

  await t.step('a kiosk holding 2 check-ins it could not send: the alert, pushed, in plain words', async () => {
    const t0 = Date.now();
    await status('door', 3, 2);
    await until(async () => (await alerts(board)).length === 1, 3000, 'the alert');
    log(`     alert shown ${Date.now() - t0} ms after the kiosk reported`);
    eq((await alerts(board))[0], heldText(door, 2), 'the words');
    assert(await board.locator('#kiosk-alerts .kiosk-alert.set-aside').isVisible(), 'visible');
    await t.shot(board, 'board-set-aside');
    await axe(board, 'board with a kiosk alert (en)');
  });

  await t.step('the kiosk sent them after all (0): the alert goes', async () => {
    await status('door', 0, 0);
    await until(async () => (await alerts(board)).length === 0, 3000, 'no alert');
  });

  await t.step('a kiosk out of touch for over 5 minutes while the hub is open: named, with the time', async () => {
    const then = Date.now() - 10 * 60000;
    t.sql(`UPDATE kiosks SET last_seen = ${then} WHERE name = 'door'`);
    await status('side', 1, 0); // a change of another kiosk: the board asks again
    const at = await board.evaluate((ms) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }), then);
    await until(async () => (await alerts(board)).length === 1, 3000, 'the silence alert');
    eq((await alerts(board))[0], `The kiosk “door” (${door}) has not been in touch since ${at}.`, 'the words');
    assert(!(await alerts(board)).some((a) => /side/.test(a)), 'the kiosk in touch is not named');
    // both at once: set aside first
    await status('side', 1, 1);
    await until(async () => (await alerts(board)).length === 2, 3000, 'two alerts');
    const two = await alerts(board);
    eq(two[0], `The kiosk “side” (${side}) holds 1 check-in it could not send. Ask at the kiosk’s staff screen.`, 'one check-in');
    assert(/“door”.*has not been in touch/.test(two[1]), 'then the silent one: ' + two[1]);
    await t.shot(board, 'board-two-alerts');
    await axe(board, 'board with two kiosk alerts (en)');
  });

  await t.step('in Welsh: the same alerts in Welsh, and axe finds nothing', async () => {
    const cy = await t.page(1440, 900, 'board-cy');
    await cy.addInitScript(() => window.localStorage.setItem('hub.lang', 'cy'));
    await t.signIn(cy, tok.reception);
    await cy.waitForSelector('#v-board:not([hidden])', { timeout: 5000 });
    await until(async () => (await alerts(cy)).length === 2, 5000, 'two alerts in Welsh');
    const two = await alerts(cy);
    eq(two[0], `Mae gan y ciosg “side” (${side}) 1 cofrestriad na allai ei anfon. Gofynnwch wrth sgrin staff y ciosg.`, 'set aside, in Welsh');
    assert(/^Dyw’r ciosg “door” \(\w+\) ddim wedi bod mewn cysylltiad ers \d\d:\d\d\.$/.test(two[1]), 'out of touch, in Welsh: ' + two[1]);
    await status('side', 0, 4);
    await until(async () => /“side”.* 4 cofrestriad na allai eu hanfon/.test((await alerts(cy))[0] || ''), 3000, 'four, in Welsh');
    await axe(cy, 'board with kiosk alerts (cy)');
    await cy.evaluate(() => window.localStorage.removeItem('hub.lang'));
    await cy.close();
    await status('side', 0, 0);
    await until(async () => (await alerts(board)).length === 1, 3000, 'the silent one only');
  });

  await t.step('everyone off today (the hub closed): a silent kiosk is no alarm', async () => {
    const dir = await t.api('GET', '/directory', tok.reception);
    eq(dir.status, 200, 'directory');
    const was = dir.data.workers.map((w) => [w.id, w.status]);
    for (const [id] of was) eq((await t.api('PATCH', `/workers/${id}`, tok.reception, { status: 'off' })).status, 200, `${id} off`);
    await until(async () => (await alerts(board)).length === 0, 15000, 'no alert while closed');
    for (const [id, st] of was) eq((await t.api('PATCH', `/workers/${id}`, tok.reception, { status: st })).status, 200, `${id} back`);
    await until(async () => (await alerts(board)).length === 1, 15000, 'the alert once open again');
  });

  await t.step('without the live stream the alert still comes, from the poll every 30 s', async () => {
    const cut = await t.page(1440, 900, 'board-no-stream');
    await cut.route('**/api/v1/events', (route) => route.abort());
    await t.signIn(cut, tok.reception);
    await cut.waitForSelector('#v-board:not([hidden])', { timeout: 5000 });
    await until(() => cut.evaluate(() => document.body.getAttribute('data-live') === 'off'), 5000, 'data-live=off');
    await until(async () => (await alerts(cut)).length === 1, 5000, 'the first load');
    const t0 = Date.now();
    await status('door', 0, 5);
    await until(async () => (await alerts(cut)).some((a) => a === heldText(door, 5)), 35000, 'the polled alert');
    log(`     polled alert shown ${Date.now() - t0} ms after the kiosk reported`);
    await cut.close();
    t.errors = t.errors.filter((e) => !/^board-no-stream: Failed to load resource: net::ERR_FAILED$/.test(e));
  });
});
