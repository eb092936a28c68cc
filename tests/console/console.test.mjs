// console.test.mjs — the staff console in a real browser: Debian's chromium, headless, driven by
// playwright-core, against a real hubd on loopback (temporary db, --port 0, the demo hub).
// Screens are saved as PNGs in $CONSOLE_OUT (default build/console).
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HUBD = path.resolve(ROOT, process.env.HUBD_BIN || 'build/hubd');
const OUT = path.resolve(ROOT, process.env.CONSOLE_OUT || 'build/console');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T0 = Date.now();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-console-'));
const db = path.join(tmp, 'hub.db');
let hubd = null, browser = null, base = '', failed = 0, passed = 0, hubdErr = '';
const cleanups = [];

function log(...a) { console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a); }

async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    passed++;
    log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failed++;
    log(`FAIL ${name}: ${e && e.stack || e}`);
    throw e;
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function eq(a, b, msg) { if (a !== b) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); }

/* Polls fn until it returns a truthy value, or throws after ms. */
async function until(fn, ms, what) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function token(role, name) {
  return execFileSync(HUBD, ['--db', db, 'token', role, name], { encoding: 'utf8' }).trim();
}

function startHubd() {
  return new Promise((resolve, reject) => {
    hubd = spawn(HUBD, ['--port', '0', '--db', db, '--seed', path.join(ROOT, 'assets/demo-hub.json'),
      '--web', path.join(ROOT, 'services/web')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('hubd did not start in 15 s: ' + hubdErr)), 15000);
    hubd.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/hubd listening on (\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    hubd.stderr.on('data', (d) => { hubdErr += d; if (process.env.VERBOSE) process.stderr.write(d); });
    hubd.on('exit', (code) => { clearTimeout(timer); if (!base) reject(new Error(`hubd exited ${code}: ${hubdErr}`)); });
  });
}

async function api(method, p, tok, body, headers = {}) {
  const res = await fetch(base + '/api/v1' + p, {
    method,
    headers: { Authorization: `Bearer ${tok}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = text;
  try { data = JSON.parse(text); } catch { /* CSV or empty */ }
  return { status: res.status, data };
}

function checkin(over) {
  return {
    id: crypto.randomUUID(), created_at: new Date().toISOString(), lang: 'en', needs: [], domains: [],
    urgent: false, worker_id: null, chosen_by: 'router', consent: false, ...over,
  };
}

function sql(q) {
  try {
    return execFileSync('sqlite3', ['-readonly', db, q], { encoding: 'utf8' }).trim();
  } catch (e) {
    return null; // the sqlite3 CLI is optional; the API checks still run
  }
}

async function shot(page, name, opts = {}) {
  const file = path.join(OUT, `console-${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  log(`     screenshot ${path.relative(ROOT, file)}`);
}

async function signIn(page, tok) {
  await page.goto(base + '/');
  await page.fill('#token', tok);
  await page.press('#token', 'Enter');
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const tok = {
    kiosk: token('kiosk', 'door-kiosk'), reception: token('reception', 'front-desk'),
    worker: token('worker', 'w-priya'), manager: token('manager', 'hub-manager'),
  };
  await step('the console\'s need labels match assets/needs.json and locales/en/needs.json', async () => {
    const box = { window: {} };
    vm.runInNewContext(fs.readFileSync(path.join(ROOT, 'services/web/labels.js'), 'utf8'), box);
    const got = box.window.HUB_LABELS.needs;
    const tax = JSON.parse(fs.readFileSync(path.join(ROOT, 'assets/needs.json'), 'utf8')).needs;
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/needs.json'), 'utf8')).needs;
    eq(Object.keys(got).length, tax.length, 'number of needs');
    for (const n of tax) {
      assert(got[n.id], 'label for ' + n.id);
      eq(got[n.id][0], en[n.id].label, 'label of ' + n.id + ' (run node tests/console/gen-labels.mjs)');
      eq(JSON.stringify(got[n.id][1]), JSON.stringify(n.domains), 'domains of ' + n.id);
    }
  });
  const port = await startHubd();
  base = `http://127.0.0.1:${port}`;
  log(`hubd on ${base}`);

  // A fresh profile in the temporary folder (playwright takes it as userDataDir, and refuses it
  // as an argument). Each page is its own tab, so each has its own sessionStorage: its own sign-in.
  browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const newPage = async (width, height) => {
    const p = await browser.newPage();
    await p.setViewportSize({ width, height });
    return p;
  };
  const errors = [];
  const watch = (page, who) => {
    page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[0134]/.test(m.text())) errors.push(`${who}: ${m.text()}`); });
  };

  // ---------------- reception board ----------------
  const board = await newPage(1280, 860);
  watch(board, 'board');

  await step('reception signs in and sees the board', async () => {
    await signIn(board, tok.reception);
    await board.waitForSelector('#v-board:not([hidden])', { timeout: 5000 });
    await board.waitForSelector('#strip-list li', { timeout: 5000 });
    eq(await board.locator('#strip-list li').count(), 9, 'workers in the strip');
    assert(await board.evaluate(() => sessionStorage.getItem('hub.token')) === tok.reception, 'token kept in sessionStorage');
    assert(await board.evaluate(() => localStorage.length) === 0, 'nothing in localStorage');
    assert(await board.evaluate(() => document.cookie) === '', 'no cookies');
  });

  const ann = checkin({ needs: ['rent_arrears'], domains: ['housing', 'benefits'], worker_id: 'w-sian', name: 'Ann',
    text: 'My landlord says I owe two months rent', consent: true });
  const bob = checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-rhodri', name: 'Bob',
    text: 'private words that must never travel', consent: false });
  const cai = checkin({ needs: ['homeless_tonight'], domains: ['housing'], worker_id: 'w-gareth', urgent: true,
    chosen_by: 'router', lang: 'cy' });

  await step('a kiosk check-in appears on the board within 2 s', async () => {
    const t = Date.now();
    const r = await api('POST', '/checkins', tok.kiosk, ann);
    eq(r.status, 201, 'kiosk POST /checkins');
    const card = board.locator(`#board-list li[data-id="${ann.id}"]`);
    await card.waitFor({ timeout: 2000 });
    const took = Date.now() - t;
    log(`     appeared after ${took} ms`);
    const txt = await card.innerText();
    assert(txt.includes(r.data.ticket), 'ticket shown');
    assert(txt.includes('Ann'), 'first name shown');
    assert(txt.includes('Sian Evans'), 'for whom');
    assert(txt.includes('Catching up on rent'), 'need in plain words');
    assert(txt.includes('My landlord says I owe two months rent'), 'own words shown with consent');
  });

  await step('words without consent never show; the urgent arrival goes first, with text and a tone', async () => {
    eq((await api('POST', '/checkins', tok.kiosk, bob)).status, 201, 'POST bob');
    await board.locator(`#board-list li[data-id="${bob.id}"]`).waitFor({ timeout: 2000 });
    const bobTxt = await board.locator(`#board-list li[data-id="${bob.id}"]`).innerText();
    assert(!bobTxt.includes('private words'), 'no words without consent');
    eq((await api('POST', '/checkins', tok.kiosk, cai)).status, 201, 'POST cai');
    await board.locator(`#board-list li[data-id="${cai.id}"]`).waitFor({ timeout: 2000 });
    eq(await board.locator('#board-list > li').first().getAttribute('data-id'), cai.id, 'urgent one first');
    const first = board.locator('#board-list > li').first();
    assert(/urgent/i.test(await first.locator('.urgent-badge').innerText()), 'urgent in words, not colour alone');
    assert(await first.locator('.urgent-badge').isVisible(), 'urgent badge visible');
    eq(await board.locator('.urgent-badge:visible').count(), 1, 'only one urgent badge');
    await until(() => board.evaluate(() => document.body.getAttribute('data-tones') === '1'), 2000, 'the urgent tone');
  });

  await step('keyboard: the first action button is reachable and shows a focus ring', async () => {
    await board.locator(`#board-list li[data-id="${cai.id}"] .actions button.primary`).focus();
    const outline = await board.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== 'none', 'focus outline visible');
    await board.keyboard.press('Tab');
    eq(await board.evaluate(() => document.activeElement.textContent), 'Reassign…', 'Tab reaches Reassign');
    await board.keyboard.press('Enter');
    eq(await board.evaluate(() => document.activeElement.tagName), 'SELECT', 'the form opens on the worker choice');
    await board.keyboard.press('Escape');
    eq(await board.evaluate(() => document.activeElement.textContent), 'Reassign…', 'Escape closes it, focus returns');
    assert(await board.locator(`#board-list li[data-id="${cai.id}"] form.reassign`).isHidden(), 'form closed');
  });

  await step('"Introduced" with undo: Undo keeps the resident waiting', async () => {
    const card = board.locator(`#board-list li[data-id="${ann.id}"]`);
    await card.locator('.actions button.primary').click();
    await card.locator('.pending button.undo').waitFor({ timeout: 1000 });
    await card.locator('.pending button.undo').click();
    await card.locator('.actions button.primary').waitFor({ timeout: 1000 });
    const r = await api('GET', '/checkins?status=waiting', tok.reception);
    assert(r.data.checkins.some((c) => c.id === ann.id), 'still waiting after undo');
  });

  await step('"Introduced" and "Reassign" are sent after the undo delay', async () => {
    const annCard = board.locator(`#board-list li[data-id="${ann.id}"]`);
    await annCard.locator('.actions button.primary').click();
    const bobCard = board.locator(`#board-list li[data-id="${bob.id}"]`);
    await bobCard.getByRole('button', { name: 'Reassign…' }).click();
    await bobCard.locator('select').selectOption('w-angela');
    await bobCard.getByRole('button', { name: 'Worker is busy' }).click();
    await shot(board, 'board-reassign');
    await bobCard.getByRole('button', { name: 'Reassign', exact: true }).click();
    await bobCard.locator('.pending').waitFor({ timeout: 1000 });
    // nothing sent yet during the undo window
    let r = await api('GET', '/checkins?status=waiting', tok.reception);
    assert(r.data.checkins.some((c) => c.id === ann.id), 'not sent before the delay');
    await annCard.waitFor({ state: 'detached', timeout: 9000 });
    await until(async () => (await bobCard.locator('.for').innerText()).includes('Angela Price'), 9000, 'Bob shown for Angela');
    r = await api('GET', '/checkins?status=waiting', tok.reception);
    assert(!r.data.checkins.some((c) => c.id === ann.id), 'introduced resident left the waiting list');
    eq(r.data.checkins.find((c) => c.id === bob.id).worker_id, 'w-angela', 'reassigned in hubd');
    const st = sql(`SELECT status FROM checkins WHERE id='${ann.id}'`);
    if (st !== null) eq(st, 'introduced', 'database row');
    const ev = sql(`SELECT count(*) FROM events WHERE checkin_id='${ann.id}' AND kind='introduced'`);
    if (ev !== null) eq(ev, '1', 'the introduction event in the database');
    log(`     database: ${st === null ? 'sqlite3 CLI missing, checked via the API only' : 'row introduced, 1 event'}`);
    const rep = await api('GET', `/reports/demand?from=${today()}&to=${today()}`, tok.manager);
    eq(rep.data.outcomes.introduced, 1, 'report counts the introduction');
    eq(rep.data.outcomes.reassigned, 1, 'report counts the reassignment');
  });

  await step('reception changes a worker in the strip (PATCH /workers)', async () => {
    const li = board.locator('#strip-list li[data-worker="w-megan"]');
    await li.getByRole('button', { name: /Change status or desk of Megan Hughes/ }).click();
    await li.locator('select').selectOption('available');
    await li.locator('input').fill('Room 6');
    await li.getByRole('button', { name: 'Save' }).click();
    await until(async () => {
      const d = await api('GET', '/directory', tok.reception);
      const w = d.data.workers.find((x) => x.id === 'w-megan');
      return w.status === 'available' && w.desk === 'Room 6';
    }, 4000, 'Megan available in Room 6');
    await until(async () => (await board.locator('#strip-list li[data-worker="w-megan"]').innerText()).includes('Room 6'), 6000, 'strip repainted');
  });

  await step('page weight of the board under 100 KB', async () => {
    const bytes = await board.evaluate(() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
      .filter((e) => !e.name.includes('/api/')).reduce((a, e) => a + e.encodedBodySize, 0));
    log(`     board page: ${bytes} bytes (html, css, js)`);
    assert(bytes > 0 && bytes < 100 * 1024, `board page weight ${bytes}`);
  });
  await shot(board, 'board');
  await step('the board reflows at 200% zoom (640 CSS px wide) without sideways scrolling', async () => {
    await board.setViewportSize({ width: 640, height: 860 });
    await until(() => board.evaluate(() => document.documentElement.scrollWidth <= 640), 2000, 'no overflow');
    await shot(board, 'board-200');
    await board.setViewportSize({ width: 1280, height: 860 });
  });

  await step('reception is refused the dashboard with a clear message', async () => {
    await board.goto(base + '/#dashboard');
    await board.waitForSelector('#v-refused:not([hidden])', { timeout: 5000 });
    const msg = await board.locator('#refused-msg').innerText();
    assert(/dashboard needs a hub manager token/.test(msg), 'message: ' + msg);
  });

  // ---------------- a worker's own view, on a phone ----------------
  const mine = await newPage(390, 844);
  watch(mine, 'worker');
  await step('a worker picks who they are and sees their own list with the resident\'s words', async () => {
    eq((await api('POST', '/checkins/' + bob.id + '/reassign', tok.reception,
      { worker_id: 'w-priya', reason: 'test: health first' })).status, 200, 'move Bob to Priya');
    const dee = checkin({ needs: ['mental_health', 'doctor_gp'], domains: ['health'], worker_id: 'w-priya', name: 'Dee',
      text: 'I have not been sleeping and want to see someone', consent: true });
    eq((await api('POST', '/checkins', tok.kiosk, dee)).status, 201, 'POST dee');
    await signIn(mine, tok.worker);
    await mine.waitForSelector('#mine-pick:not([hidden])', { timeout: 5000 });
    await mine.getByRole('button', { name: /Priya Shah/ }).click();
    await mine.locator(`#mine-list li[data-id="${dee.id}"]`).waitFor({ timeout: 3000 });
    const txt = await mine.locator('#mine-list').innerText();
    assert(txt.includes('I have not been sleeping'), 'own words shown');
    assert(txt.includes('Talking about how you feel'), 'needs in plain words');
    eq(await mine.locator('#mine-list > li').count(), 2, 'two waiting for Priya');
    eq(await mine.locator('#mine-list .actions').count(), 0, 'no reception actions for a worker');
  });
  await step('one tap sets the worker busy', async () => {
    await mine.getByRole('button', { name: 'Busy' }).click();
    await until(async () => (await api('GET', '/directory', tok.worker)).data.workers.find((w) => w.id === 'w-priya').status === 'busy', 4000, 'Priya busy');
    await until(async () => (await mine.getByRole('button', { name: 'Busy' }).getAttribute('aria-pressed')) === 'true', 3000, 'Busy shown as pressed');
    const wide = await mine.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `no sideways scrolling on a phone (width ${wide})`);
  });
  await shot(mine, 'worker');
  await step('a worker token is refused the board', async () => {
    await mine.goto(base + '/#board');
    await mine.waitForSelector('#v-refused:not([hidden])', { timeout: 5000 });
    assert(/needs a reception token/.test(await mine.locator('#refused-msg').innerText()), 'message');
  });

  // ---------------- manager's dashboard ----------------
  // Earlier arrivals (back-dated by the kiosk's created_at) so the charts have something to show.
  const history = [];
  const plan = [
    ['rent_arrears', ['housing', 'benefits'], 'w-sian'], ['universal_credit', ['benefits'], 'w-rhodri'],
    ['doctor_gp', ['health'], 'w-priya'], ['repairs', ['housing'], 'w-gareth'], ['debt', ['benefits'], 'w-angela'],
    ['mental_health', ['health'], 'w-dafydd'], ['energy_bills', ['benefits'], 'w-rhodri'], ['damp_mould', ['housing', 'health'], 'w-tomasz'],
  ];
  const langs = ['en', 'en', 'en', 'cy', 'en', 'pl', 'en', 'ur', 'cy'];
  for (let i = 0; i < 48; i++) {
    const at = new Date();
    at.setDate(at.getDate() - 1 - ((i * 7) % 20));
    at.setHours(9 + ((i * 5) % 8), (i * 13) % 60, 0, 0);
    const [need, domains, w] = plan[i % plan.length];
    const c = checkin({ created_at: at.toISOString(), lang: langs[i % langs.length], needs: [need], domains, worker_id: w });
    if (i % 12 === 5) Object.assign(c, { needs: ['homeless_tonight'], domains: ['housing'], urgent: true, worker_id: 'w-gareth' });
    if (i % 10 === 3) Object.assign(c, { needs: [], domains: [], worker_id: null });       // the kiosk was unsure
    if (i % 16 === 9) Object.assign(c, { worker_id: null });                               // no one fitted
    history.push(c);
  }
  const hr = await api('POST', '/checkins', tok.kiosk, history);
  eq(hr.status, 200, 'batch of earlier check-ins');
  eq(hr.data.filter((x) => x.status === 201).length, history.length, 'all earlier check-ins accepted');
  const all = [ann, bob, cai, ...history];
  const want = {
    checkins: all.length + 1, // and Dee, posted in the worker's step
    urgent: all.filter((c) => c.urgent).length,
    unsure: history.filter((c) => !c.needs.length).length,
    no_fit: history.filter((c) => c.needs.length && !c.worker_id).length,
  };

  const dash = await newPage(1280, 900);
  watch(dash, 'dashboard');
  await step('the manager\'s dashboard counts what was posted', async () => {
    await signIn(dash, tok.manager);
    await dash.waitForSelector('#v-dashboard[data-loaded]', { timeout: 15000 });
    const kpi = async (k) => (await dash.locator(`[data-kpi="${k}"] .k-val`).first().innerText()).trim();
    eq(await kpi('checkins'), String(want.checkins), 'arrivals');
    eq(await kpi('urgent'), String(want.urgent), 'urgent');
    eq(await kpi('introduced'), '1', 'introduced');
    eq(await kpi('waiting'), String(want.checkins - 1), 'still waiting');
    eq(await kpi('reassigned'), '1', 'reassigned');
    eq(await kpi('unsure'), String(want.unsure), 'need not clear');
    eq(await kpi('no_fit'), String(want.no_fit), 'no worker fitted');
    log(`     dashboard: ${want.checkins} arrivals, ${want.urgent} urgent, ${want.unsure} unsure, ${want.no_fit} no fit`);
    const page = await dash.locator('#v-dashboard').innerText();
    for (const secret of ['Ann', 'Dee', 'landlord says', 'not been sleeping']) assert(!page.includes(secret), 'no resident data: ' + secret);
    eq(await dash.locator('#d-time svg.chart').count(), 1, 'topic chart');
    eq(await dash.locator('#d-heat svg.chart').count(), 1, 'heatmap');
    assert((await dash.locator('#d-need').innerText()).includes('Catching up on rent'), 'needs in plain words');
    assert((await dash.locator('#d-lang').innerText()).includes('Welsh'), 'languages named');
  });
  await step('the CSV downloads with the same counts', async () => {
    const [dl] = await Promise.all([dash.waitForEvent('download', { timeout: 5000 }), dash.click('#d-csv')]);
    const file = path.join(OUT, 'console-demand.csv');
    await dl.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8');
    assert(csv.startsWith('dimension,key,value'), 'CSV header');
    assert(new RegExp(`total,checkins,${want.checkins}\\r?\\n`).test(csv), 'CSV total');
    assert(new RegExp(`total,urgent,${want.urgent}\\r?\\n`).test(csv), 'CSV urgent');
    assert(/outcomes,introduced,1\r?\n/.test(csv), 'CSV introduced');
    assert(!/Ann|Dee|landlord/.test(csv), 'no resident data in the CSV');
  });
  await shot(dash, 'dashboard');
  await step('the dashboard reflows at 200% zoom without sideways scrolling', async () => {
    await dash.setViewportSize({ width: 640, height: 900 });
    await until(() => dash.evaluate(() => document.documentElement.scrollWidth <= 640), 3000, 'no overflow');
    await until(() => dash.evaluate(() => [...document.querySelectorAll('#v-dashboard svg.chart')]
      .every((c) => c.width.baseVal.value <= c.parentNode.clientWidth + 1)), 3000, 'charts redrawn to fit, text not shrunk');
    await shot(dash, 'dashboard-200');
  });

  // ---------------- a kiosk token ----------------
  const kiosk = await newPage(1024, 640);
  watch(kiosk, 'kiosk');
  await step('a kiosk token is refused the board', async () => {
    await kiosk.goto(base + '/#board');
    await kiosk.fill('#token', tok.kiosk);
    await kiosk.press('#token', 'Enter');
    await kiosk.waitForSelector('#v-refused:not([hidden])', { timeout: 5000 });
    assert(/kiosk token/.test(await kiosk.locator('#refused-msg').innerText()), 'message');
    eq(await kiosk.locator('#board-list > li').count(), 0, 'no board rows');
    eq((await api('GET', '/checkins?status=waiting', tok.kiosk)).status, 403, 'server refuses the board');
  });
  await shot(kiosk, 'refused');
  await step('a wrong token is not accepted', async () => {
    await kiosk.click('[data-signout]');
    await kiosk.fill('#token', 'not-a-token');
    await kiosk.press('#token', 'Enter');
    await until(async () => /not recognised/.test(await kiosk.locator('#signin-msg').innerText()), 3000, 'message');
  });

  await step('no script errors in any page', async () => {
    assert(errors.length === 0, errors.join('\n'));
  });
}

async function cleanup() {
  for (const c of cleanups) try { await c(); } catch { /* ignore */ }
  if (browser) { try { await browser.close(); } catch { /* ignore */ } browser = null; }
  if (hubd && hubd.exitCode === null) {
    hubd.kill('SIGTERM');
    await Promise.race([new Promise((r) => hubd.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    if (hubd.exitCode === null) hubd.kill('SIGKILL');
    if (hubd.exitCode) log(`hubd exited with ${hubd.exitCode}:\n${hubdErr.slice(-3000)}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  log('FAIL the console test took over 120 s');
  if (hubd) hubd.kill('SIGKILL');
  process.exit(1);
}, 120000);

let code = 0;
try {
  await main();
} catch (e) {
  code = 1;
  if (!failed) log(`FAIL setup: ${e && e.stack || e}`);
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
log(`${passed} passed, ${failed} failed`);
process.exit(code);
