// welsh.test.mjs — the staff console in Welsh and English: every word the console's code and
// page show has its Welsh in services/web/i18n.js; the switch turns the board, a worker's view
// and the dashboard into Welsh (the need words those of locales/cy/needs.json, dates and
// numbers in Welsh) and the choice is remembered by the browser; and back to English.
// Then axe-core over each screen in both languages (the community page at phone width):
// no violations.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { Run, ROOT, assert, eq, until, checkin, log } from './harness.mjs';

const run = new Run('welsh');
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const cyNeeds = JSON.parse(read('locales/cy/needs.json')).needs;
const AXE = read('tests/console/node_modules/axe-core/axe.min.js');

/* Every string the console looks up: t()/tx()/I.t() literals in its scripts, the page's
 * data-i18n texts and data-i18n-attr attributes. */
function consoleStrings() {
  const ids = new Set();
  for (const f of ['services/web/app.js', 'services/web/dashboard.js', 'services/web/kiosks.js']) {
    const src = read(f);
    for (const m of src.matchAll(/\b(?:t|tx|I\.t)\(((?:\s*'(?:[^'\\]|\\.)*'\s*\+?)+)/g)) {
      ids.add(vm.runInNewContext(m[1].replace(/\+\s*$/, '')));
    }
    for (const m of src.matchAll(/\bt\(\w+(?:\.\w+)* \? ('(?:[^'\\]|\\.)*') : ('(?:[^'\\]|\\.)*')/g)) {
      ids.add(vm.runInNewContext(m[1]));
      ids.add(vm.runInNewContext(m[2]));
    }
  }
  const html = read('services/web/index.html');
  for (const m of html.matchAll(/<[^>]*\bdata-i18n(?=[\s>])[^>]*>([^<]*)</g)) ids.add(m[1].replace(/\s+/g, ' ').trim());
  for (const m of html.matchAll(/<[^>]*data-i18n-attr="([^"]+)"[^>]*>/g)) {
    for (const a of m[1].split(',')) { const v = new RegExp(`${a}="([^"]*)"`).exec(m[0]); if (v) ids.add(v[1]); }
  }
  return [...ids];
}

/* Runs axe-core in page; throws listing every violation. */
async function axe(page, what) {
  // evaluated through the debugger protocol: the console's CSP rightly refuses inline scripts
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} \u2014 ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  });
  assert(!res.length, `${what}: ${res.length} axe violations:\n  ` + res.join('\n  '));
  log(`     axe: ${what}: 0 violations`);
}

run.run(async (t) => {
  await t.step('every word the console shows has its Welsh in i18n.js', async () => {
    const box = { window: { localStorage: { getItem: () => 'cy' }, location: {} }, navigator: { languages: ['cy'] },
      document: { documentElement: {} }, console };
    vm.runInNewContext(read('services/web/i18n.js'), box);
    vm.runInNewContext(read('services/web/i18n-dashboard.js'), box); // the dashboard's, loaded with it
    const cy = box.window.HubI18n.table('cy');
    const ids = consoleStrings();
    assert(ids.length > 200, `found the console's strings (${ids.length})`);
    const missing = ids.filter((s) => !Object.prototype.hasOwnProperty.call(cy, s));
    assert(!missing.length, 'no Welsh for:\n  ' + missing.join('\n  '));
    const unused = Object.keys(cy).filter((k) => !ids.includes(k));
    assert(!unused.length, 'Welsh that nothing shows (stale):\n  ' + unused.join('\n  '));
    const untranslated = ids.filter((s) => cy[s] === s && !/^\{|^[A-Z]{2,}/.test(s));
    assert(!untranslated.length, 'Welsh the same as the English:\n  ' + untranslated.join('\n  '));
  });

  const tok = {
    kiosk: t.token('kiosk', 'door-kiosk'), reception: t.token('reception', 'front-desk'),
    sian: t.token('worker', 'sian-phone', 'w-sian'), manager: t.token('manager', 'hub-manager'),
  };
  await t.start();
  await t.browse();
  log(`hubd on ${t.base}`);
  // the day's first request closes the earlier days; the receipts moved back below come after it
  eq((await t.api('GET', '/checkins?status=waiting', tok.reception)).status, 200, 'the day\'s first look');
  const ago = (min) => new Date(Date.now() - min * 60000).toISOString();
  const ann = checkin({ needs: ['rent_arrears'], domains: ['housing', 'benefits'], worker_id: 'w-sian', name: 'Ann', lang: 'cy' });
  const old = checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-sian', name: 'Hen', created_at: ago(3 * 24 * 60) });
  const pl = checkin({ needs: [], domains: [], worker_id: null, lang: 'pl', name: 'Marek' });
  eq((await t.api('POST', '/checkins', tok.kiosk, [ann, old, pl])).status, 200, 'batch');
  // last month's figures for the community page: six about money
  const lastMonth = new Date(); lastMonth.setUTCDate(1); lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1); lastMonth.setUTCDate(10);
  const past = Array.from({ length: 6 }, () => checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-angela', created_at: lastMonth.toISOString() }));
  eq((await t.api('POST', '/checkins', tok.kiosk, past)).status, 200, 'last month');
  for (const c of past) eq((await t.api('POST', `/checkins/${c.id}/handover`, tok.reception)).status, 200, 'seen');
  t.sql(`UPDATE checkins SET received_at = received_at - ${3 * 24 * 60 * 60000} WHERE id = '${old.id}'`);
  t.sql(`UPDATE checkins SET received_at = received_at - ${5 * 60000} WHERE id = '${ann.id}'`);

  const board = await t.page(1440, 900, 'board');
  await t.step('English first, and axe finds nothing on the sign-in and the board', async () => {
    await board.goto(t.base + '/');
    eq(await board.evaluate(() => document.documentElement.lang), 'en', 'html lang');
    await axe(board, 'sign-in (en)');
    await t.signIn(board, tok.reception);
    await until(async () => (await board.locator('#board-list > li').count()) === 3, 5000, 'three rows');
    await until(async () => (await board.locator('#strip-list > li').count()) > 0, 5000, 'the workers');
    eq((await board.locator('#board-h').innerText()).replace(/\s*\(\d+\)/, ''), 'Waiting now', 'heading');
    await axe(board, 'board (en)');
  });

  await t.step('the switch: the board in Welsh, need words from locales/cy, dates and waits in Welsh', async () => {
    await board.locator('#lang-switch').click();
    await board.waitForFunction(() => document.documentElement.lang === 'cy');
    await until(async () => (await board.locator('#board-list > li').count()) === 3, 5000, 'rows again, still signed in');
    eq((await board.locator('#board-h').innerText()).replace(/\s*\(\d+\)/, ''), 'Yn aros nawr', 'pennawd');
    eq(await board.locator('#lang-switch').innerText(), 'English', 'the switch names the other language');
    eq(await board.locator('#lang-switch').getAttribute('lang'), 'en', 'in that language');
    const card = board.locator(`#board-list li[data-id="${ann.id}"]`);
    const txt = await card.innerText();
    assert(txt.includes(cyNeeds.rent_arrears.label), `the need in the kiosk's Welsh (${cyNeeds.rent_arrears.label}): ${txt}`);
    assert(/yn aros [456] munud/.test(txt), 'the wait in Welsh: ' + txt);
    assert(/Wedi cyflwyno/.test(txt) && /Ailgyfeirio/.test(txt), 'the actions in Welsh: ' + txt);
    const oldTxt = await board.locator(`#board-list li[data-id="${old.id}"] .since`).innerText();
    const then = new Date(Date.now() - 3 * 86400000);
    const day = `${['Sul', 'Llun', 'Maw', 'Mer', 'Iau', 'Gwe', 'Sad'][then.getDay()]} ${then.getDate()} ` +
      ['Ion', 'Chw', 'Maw', 'Ebr', 'Mai', 'Meh', 'Gor', 'Awst', 'Medi', 'Hyd', 'Tach', 'Rhag'][then.getMonth()];
    assert(oldTxt.replace(',', '').includes('ers ' + day), `the date in Welsh (${day}): ${oldTxt}`);
    assert(/yn aros 3 diwrnod 0 awr/.test(oldTxt), 'days and hours in Welsh: ' + oldTxt);
    const flag = await board.locator(`#board-list li[data-id="${pl.id}"] .lang-flag`).innerText();
    assert(/Pwyleg/.test(flag) && /Tomasz/.test(flag), 'the language named in Welsh: ' + flag);
    assert(/Gweithwyr heddiw/.test(await board.locator('#strip-h').innerText()), 'the strip in Welsh');
    await t.shot(board, 'board-cy');
    await axe(board, 'board (cy)');
  });

  await t.step('the choice is remembered: a new tab opens in Welsh', async () => {
    const again = await t.page(1280, 800, 'again');
    await again.goto(t.base + '/');
    eq(await again.evaluate(() => document.documentElement.lang), 'cy', 'html lang');
    eq(await again.locator('#signin-h').innerText(), 'Mewngofnodi', 'sign-in heading');
    await again.close();
  });

  await t.step('a worker\'s view in Welsh, at phone width', async () => {
    const phone = await t.page(390, 844, 'worker');
    await t.signIn(phone, tok.sian);
    await phone.waitForSelector('#mine-main:not([hidden])', { timeout: 5000 });
    await until(async () => (await phone.locator('#mine-list > li').count()) === 2, 5000, 'Sian\'s two');
    eq(await phone.locator('#mine-next').innerText(), 'Galw\u2019r nesaf (2 yn aros)', 'Call next in Welsh');
    await axe(phone, 'worker view (cy)');
    await phone.locator('#mine-next').click();
    await until(async () => (await phone.locator('#mine-seen > li').count()) === 1, 5000, 'one seen');
    assert(/Sut aeth hi i docyn/.test(await phone.locator('#mine-seen').innerText()), 'the outcome question in Welsh');
    await axe(phone, 'worker view with an outcome to record (cy)');
    await phone.close();
  });

  await t.step('the dashboard in Welsh: headings, weekdays and numbers', async () => {
    const dash = await t.page(1440, 900, 'dashboard');
    await t.signIn(dash, tok.manager);
    await dash.waitForSelector('#v-dashboard[data-loaded]', { timeout: 15000 });
    eq(await dash.locator('#dash-h').innerText(), 'Dangosfwrdd y galw', 'heading');
    const heat = await dash.locator('#d-heat').innerText();
    assert(/\bLlun\b/.test(heat) && /\bSad\b/.test(heat) && !/\bMon\b/.test(heat), 'weekdays in Welsh: ' + heat.slice(0, 200));
    await t.shot(dash, 'dashboard-cy');
    await axe(dash, 'dashboard (cy)');
    // and back to English
    await dash.locator('#lang-switch').click();
    await dash.waitForFunction(() => document.documentElement.lang === 'en');
    await dash.waitForSelector('#v-dashboard[data-loaded]', { timeout: 15000 });
    eq(await dash.locator('#dash-h').innerText(), 'Demand dashboard', 'heading in English again');
    await axe(dash, 'dashboard (en)');
    await dash.close();
  });

  await t.step('the worker view and the board in English pass axe too', async () => {
    const phone = await t.page(390, 844, 'worker-en');
    await t.signIn(phone, tok.sian);
    await phone.waitForSelector('#mine-main:not([hidden])', { timeout: 5000 });
    await until(async () => (await phone.locator('#mine-seen > li').count()) === 1, 5000, 'the one seen');
    await axe(phone, 'worker view (en)');
    await phone.close();
  });

  await t.step('the community page in both languages at phone width passes axe', async () => {
    for (const lang of ['en', 'cy']) {
      const p = await t.page(390, 844, 'community-' + lang);
      await p.goto(`${t.base}/community?lang=${lang}`);
      await p.waitForSelector('body[data-loaded]', { timeout: 5000 });
      await axe(p, `community (${lang}, 390 px)`);
      await p.close();
    }
  });
});
