// community.test.mjs — the public community page (/community) in a real browser: last month's
// figures in plain words, in English and in Welsh (?lang=, the switch, the browser's language),
// readable on a phone (390 px, no sideways scrolling), small counts said as "fewer than 5", no
// names or words, the open data links, and the topics in the words of locales/{en,cy}/needs.json
// (the page takes them from GET /api/v1/taxonomy).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Run, ROOT, assert, eq, until, checkin, log } from './harness.mjs';

const run = new Run('community');

/* An RFC 3339 time on day `day` of last month, at noon UTC. */
function lastMonth(day) {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  d.setUTCDate(day);
  d.setUTCHours(12, 0, 0, 0);
  return d.toISOString();
}

const words = (lang) => JSON.parse(fs.readFileSync(path.join(ROOT, `locales/${lang}/needs.json`), 'utf8')).needs;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

run.run(async (t) => {
  const tok = { kiosk: t.token('kiosk', 'door-kiosk'), reception: t.token('reception', 'front-desk') };
  await t.start();
  await t.browse();
  log(`hubd on ${t.base}`);

  // Last month: 12 about money, 6 about a home, 3 about health, 2 urgent;
  // 11 seen with an outcome (6 helped, 5 partly); 9 answers at the kiosk (7 yes, 2 no).
  const plan = [[12, 'debt', 'benefits', 'w-angela'], [6, 'repairs', 'housing', 'w-gareth'],
    [3, 'dentist', 'health', 'w-priya'], [2, 'homeless_tonight', 'housing', 'w-gareth']];
  const list = [];
  let day = 1;
  for (const [n, need, dom, w] of plan) {
    for (let i = 0; i < n; i++) {
      list.push(checkin({ needs: [need], domains: [dom], worker_id: w, urgent: need === 'homeless_tonight',
        created_at: lastMonth(1 + (day++ % 27)), name: 'Bethan Secretname', text: 'private words here', consent: true }));
    }
  }
  eq((await t.api('POST', '/checkins', tok.kiosk, list)).status, 200, 'batch');
  // hubd counts arrivals by when it received them, never the kiosk's clock: as if received then
  t.sql(`UPDATE checkins SET received_at = created_at WHERE id IN (${list.map((c) => `'${c.id}'`).join(',')})`);
  for (let i = 0; i < 11; i++) {
    const c = list[i];
    eq((await t.api('POST', `/checkins/${c.id}/handover`, tok.reception)).status, 200, 'handover');
    eq((await t.api('POST', `/checkins/${c.id}/outcome`, tok.reception, { result: i < 6 ? 'helped' : 'partly', follow_up: i === 0 })).status, 201, 'outcome');
  }
  for (let i = 0; i < 9; i++) {
    const fb = { id: crypto.randomUUID(), created_at: lastMonth(5 + i), lang: 'cy', got_what_came_for: i < 7 ? 'yes' : 'no' };
    eq((await t.api('POST', '/feedback', tok.kiosk, fb)).status, 201, 'feedback');
  }

  const en = await t.page(390, 844, 'community-en');
  await t.step('English on a phone: last month in plain words, small counts as "fewer than 5"', async () => {
    await en.goto(t.base + '/community?lang=en');
    await en.waitForSelector('body[data-loaded]', { timeout: 5000 });
    eq(await en.evaluate(() => document.documentElement.lang), 'en', 'html lang');
    eq(await en.locator('#headline').innerText(), '23 neighbours came in.', 'headline');
    const doms = await en.locator('#domains').innerText();
    assert(/Money and bills\s*12/.test(doms), 'money: ' + doms);
    assert(/Somewhere to live\s*8/.test(doms), 'homes: ' + doms);
    assert(/Health and wellbeing\s*fewer than 5/.test(doms), 'health withheld: ' + doms);
    const topics = await en.locator('#topics').innerText();
    const w = words('en');
    assert(new RegExp(esc(w.debt.label) + '\\s*12').test(topics) &&
      new RegExp(esc(w.repairs.label) + '\\s*6').test(topics), 'topics: ' + topics);
    assert(!topics.includes(w.dentist.label), 'a topic under 5 is not listed');
    assert(!topics.includes(w.homeless_tonight.label), 'an urgent need is never named');
    const went = await en.locator('#outcomes').innerText();
    assert(/Got help\s*55%/.test(went) && /Got some help\s*45%/.test(went), 'outcomes: ' + went);
    assert(/Passed on to someone who can help\s*fewer than 5/.test(went), 'referred withheld: ' + went);
    const said = await en.locator('#feedback').innerText();
    assert(/Got what they came for\s*78%/.test(said), 'feedback (7 of 9): ' + said);
    const body = await en.locator('body').innerText();
    assert(!/Bethan|Secretname|private words|Angela|Gareth|Priya/.test(body), 'no names, words or workers');
    const wide = await en.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `no sideways scrolling on a phone (${wide})`);
    const small = await en.evaluate(() => Math.min(...[...document.querySelectorAll('main p, main li, main td, main th')]
      .filter((e) => e.offsetParent).map((e) => parseFloat(getComputedStyle(e).fontSize))));
    assert(small >= 15, `text at least 15 px on a phone (${small})`);
    await t.shot(en, 'en-phone');
  });

  await t.step('the switch to Welsh: the same figures in Welsh', async () => {
    await en.getByRole('link', { name: 'Cymraeg' }).click();
    await en.waitForURL(/lang=cy/);
    await en.waitForSelector('body[data-loaded]', { timeout: 5000 });
    eq(await en.evaluate(() => document.documentElement.lang), 'cy', 'html lang');
    eq(await en.locator('#headline').innerText(), 'Daeth 23 o gymdogion i mewn.', 'pennawd');
    const doms = await en.locator('#domains').innerText();
    assert(/Arian a biliau\s*12/.test(doms) && /Iechyd a lles\s*llai na 5/.test(doms), 'parthau: ' + doms);
    const topics = await en.locator('#topics').innerText(), w = words('cy');
    assert(new RegExp(esc(w.debt.label) + '\\s*12').test(topics) &&
      new RegExp(esc(w.repairs.label) + '\\s*6').test(topics), 'pynciau: ' + topics);
    assert(/Ym mis (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}/.test(
      await en.locator('#h-month').innerText()), 'mis');
    eq(await en.getByRole('link', { name: 'Cymraeg' }).getAttribute('aria-current'), 'true', 'Cymraeg marked current');
    const wide = await en.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `no sideways scrolling (${wide})`);
    await t.shot(en, 'cy-phone');
  });

  await t.step('a browser that prefers Welsh gets Welsh without asking', async () => {
    const cy = await t.page(360, 740, 'community-cy');
    // the persistent profile's locale is fixed; a Welsh browser is one whose languages say so
    await cy.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['cy-GB', 'cy', 'en'] }));
    await cy.goto(t.base + '/community');
    await cy.waitForSelector('body[data-loaded]', { timeout: 5000 });
    eq(await cy.evaluate(() => document.documentElement.lang), 'cy', 'html lang');
    const wide = await cy.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 360, `no sideways scrolling at 360 px (${wide})`);
    await cy.close();
  });

  await t.step('open data: the CSV and JSON links carry the same figures', async () => {
    const href = await en.locator('#csv').getAttribute('href');
    const csv = await (await fetch(t.base + href)).text();
    assert(csv.startsWith('month,figure,key,value\r\n'), 'CSV header');
    assert(/,arrivals,,23\r\n/.test(csv), 'CSV arrivals');
    assert(/,by_domain,health,\r\n/.test(csv), 'withheld is empty');
    assert(!/Bethan|private|w-/.test(csv), 'no names, words or workers');
    const json = await (await fetch(t.base + await en.locator('#json').getAttribute('href'))).json();
    eq(json.months[json.months.length - 1].arrivals, 23, 'JSON arrivals');
  });
});
