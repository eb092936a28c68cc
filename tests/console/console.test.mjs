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

function token(role, name, worker) {
  // a worker token belongs to a worker of the hub, so the command gets the hub first (--seed)
  const extra = worker ? ['--worker', worker] : [];
  return execFileSync(HUBD, ['--db', db, '--seed', path.join(ROOT, 'assets/demo-hub.json'), 'token', role, name, ...extra],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/* The hub's local date, weekday (0 = Monday) and hour of an ISO time (the demo hub is in Europe/London). */
const HUB_TZ = 'Europe/London';
function hubLocal(isoTime) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: HUB_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short',
  }).formatToParts(new Date(isoTime)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour),
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) };
}

/* The rows of the first table under selector, as arrays of cell texts (the tables sit in closed <details>). */
function tableRows(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel + ' table tbody tr')]
    .map((tr) => [...tr.children].map((c) => c.textContent.trim())), selector);
}

/* Records the API requests a page makes (method and path). */
function recordApi(page) {
  const seen = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) seen.push(`${r.method()} ${u.pathname}${u.search}`); });
  return seen;
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
    worker: token('worker', 'priya-phone', 'w-priya'), manager: token('manager', 'hub-manager'),
    untied: token('worker', 'old-worker-token'), admin: token('admin', 'hub-admin'),
  };
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
  const boardApi = recordApi(board);

  await step('reception signs in and sees the board', async () => {
    await signIn(board, tok.reception);
    await board.waitForSelector('#v-board:not([hidden])', { timeout: 5000 });
    eq(boardApi[0], 'GET /api/v1/me', 'sign-in asks GET /me first');
    assert(!boardApi.some((x) => /^(POST|PATCH|PUT|DELETE) /.test(x)), 'sign-in changes nothing: ' + boardApi.join(', '));
    assert(!boardApi.some((x) => x.includes('/reports/')), 'no probing of other endpoints: ' + boardApi.join(', '));
    eq(await board.locator('#nav').isHidden(), true, 'one screen, no navigation');
    assert((await board.locator('#who').innerText()).includes('reception'), 'signed in as reception');
    await board.waitForSelector('#strip-list li', { timeout: 5000 });
    eq(await board.locator('#strip-list li').count(), 9, 'workers in the strip');
    assert(await board.evaluate(() => sessionStorage.getItem('hub.token')) === tok.reception, 'token kept in sessionStorage');
    assert(await board.evaluate(() => localStorage.length) === 0, 'nothing in localStorage');
    assert(await board.evaluate(() => document.cookie) === '', 'no cookies');
  });

  const ann = checkin({ needs: ['rent_arrears'], domains: ['housing', 'benefits'], worker_id: 'w-sian', name: 'Ann',
    text: 'My landlord says I owe two months rent', consent: true });
  const bob = checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-rhodri', name: 'Bob',
    text: 'private words that must never travel', consent: false, kiosk_ticket: 'A001' }); // hubd was slow: the kiosk's own ticket
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

  await step('a resident holding the kiosk\'s own ticket: "kiosk A001" beside hubd\'s ticket, read as one sentence', async () => {
    const card = board.locator(`#board-list li[data-id="${bob.id}"]`);
    const r = await api('GET', '/checkins?status=waiting', tok.reception);
    const mine = r.data.checkins.find((c) => c.id === bob.id);
    eq(mine.kiosk_ticket, 'A001', 'the board API carries the kiosk ticket');
    eq(r.data.checkins.find((c) => c.id === ann.id).kiosk_ticket, null, 'null when the kiosk sent none');
    const kiosk = card.locator('.kiosk-ticket');
    assert(await kiosk.isVisible(), 'kiosk ticket visible');
    eq(await card.locator('.ticket').innerText(), mine.ticket, 'hubd\'s ticket first');
    eq(await kiosk.innerText(), '\u00B7 kiosk A001', 'then the kiosk\'s');
    const aria = await card.locator('.card-head').ariaSnapshot();
    assert(aria.includes(`Ticket ${mine.ticket}; kiosk ticket A001`), 'accessible text: ' + aria);
    assert(!aria.includes('\u00B7 kiosk'), 'the visible pieces are not read twice: ' + aria);
    const annCard = board.locator(`#board-list li[data-id="${ann.id}"]`);
    assert(await annCard.locator('.kiosk-ticket').isHidden(), 'no kiosk ticket without one');
    const top = async (sel) => (await card.locator(sel).boundingBox()).y;
    assert(Math.abs(await top('.ticket') - await top('.kiosk-ticket')) < 20, 'on the ticket\'s line');
    await shot(card, 'board-kiosk-ticket');
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

  await step('page weight of the board under 100 KB, as it crosses the wire', async () => {
    // transferSize: headers and body as sent (gzip when hubd compressed it); decodedBodySize:
    // the files as they are. A file taken from the browser's cache (transferSize 0, or a 304's
    // headers alone) would hide its weight, so every one must have come over the wire.
    const w = await board.evaluate(() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
      .filter((e) => !e.name.includes('/api/'))
      .reduce((a, e) => ({ wire: a.wire + e.transferSize, files: a.files + e.decodedBodySize, n: a.n + 1,
        cached: a.cached.concat(e.transferSize <= e.encodedBodySize ? [e.name] : []) }),
      { wire: 0, files: 0, n: 0, cached: [] }));
    log(`     board page: ${w.wire} bytes over the wire, ${w.files} bytes uncompressed (html, css, js: ${w.n} files)`);
    eq(w.cached.join(' '), '', 'every file of the board fetched over the wire, none from the cache');
    assert(w.files > 0 && w.wire > 0 && w.wire < 100 * 1024, `board page weight ${w.wire} over the wire`);
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
  const mineApi = recordApi(mine);
  await step('a worker signs in straight to their own list (GET /me), with the resident\'s words', async () => {
    eq((await api('POST', '/checkins/' + bob.id + '/reassign', tok.reception,
      { worker_id: 'w-priya', reason: 'test: health first' })).status, 200, 'move Bob to Priya');
    const dee = checkin({ needs: ['mental_health', 'doctor_gp'], domains: ['health'], worker_id: 'w-priya', name: 'Dee',
      text: 'I have not been sleeping and want to see someone', consent: true });
    eq((await api('POST', '/checkins', tok.kiosk, dee)).status, 201, 'POST dee');
    const me = await api('GET', '/me', tok.worker);
    eq(JSON.stringify(me.data), JSON.stringify({ role: 'worker', name: 'priya-phone', worker_id: 'w-priya', hub_id: 'pontypridd' }), 'GET /me');
    await signIn(mine, tok.worker);
    await mine.waitForSelector('#mine-main:not([hidden])', { timeout: 5000 });
    assert(await mine.locator('#mine-pick').isHidden(), 'no "who are you?" for a worker token');
    assert(await mine.locator('#mine-change').isHidden(), 'no "choose again" either');
    assert((await mine.locator('#mine-title').innerText()).includes('Priya Shah'), 'their own name');
    await until(async () => (await mine.locator('#who').innerText()).includes('Priya Shah'), 3000, 'signed in as Priya');
    await mine.locator(`#mine-list li[data-id="${dee.id}"]`).waitFor({ timeout: 3000 });
    const txt = await mine.locator('#mine-list').innerText();
    assert(txt.includes('I have not been sleeping'), 'own words shown');
    assert(txt.includes('Talking about how you feel'), 'needs in plain words');
    eq(await mine.locator('#mine-list > li').count(), 2, 'two waiting for Priya');
    eq(await mine.locator('#mine-list .actions').count(), 0, 'no reception actions for a worker');
    eq(mineApi[0], 'GET /api/v1/me', 'sign-in asks GET /me first');
    assert(!mineApi.some((x) => /^(POST|PATCH) /.test(x)), 'sign-in changes nothing: ' + mineApi.join(', '));
    // hubd keeps a worker to their own list, whatever the console asks
    const other = await api('GET', '/checkins?status=waiting&worker_id=w-sian', tok.worker);
    assert(other.data.checkins.every((c) => c.worker_id === 'w-priya'), 'only Priya\'s list from hubd');
    eq((await api('PATCH', '/workers/w-sian', tok.worker, { status: 'busy' })).status, 403, 'not someone else\'s status');
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

  await step('a worker token that belongs to no worker is told so, not shown a list', async () => {
    const old = await newPage(390, 844);
    watch(old, 'old-worker');
    await signIn(old, tok.untied);
    await old.waitForSelector('#v-refused:not([hidden])', { timeout: 5000 });
    assert(/belongs to no worker/.test(await old.locator('#refused-msg').innerText()), 'message');
    eq(await old.locator('#mine-list > li').count(), 0, 'no list');
    eq((await api('GET', '/checkins?status=waiting', tok.untied)).status, 403, 'hubd refuses it too');
    await old.close();
  });

  await step('an administrator has every screen and chooses whose list to see', async () => {
    const adm = await newPage(1280, 860);
    watch(adm, 'admin');
    await adm.goto(base + '/#mine');
    await adm.fill('#token', tok.admin);
    await adm.press('#token', 'Enter');
    await adm.waitForSelector('#mine-pick:not([hidden])', { timeout: 5000 });
    eq(await adm.locator('#nav a').count(), 3, 'three screens');
    await adm.getByRole('button', { name: /Priya Shah/ }).click();
    await adm.locator('#mine-list > li').first().waitFor({ timeout: 3000 });
    eq(await adm.locator('#mine-list > li').count(), 2, 'Priya\'s two');
    await adm.close();
  });

  // ---------------- manager's dashboard ----------------
  // Earlier arrivals (created and received on earlier days) so the charts have something to show.
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
  // hubd counts arrivals by when it received them, never the kiosk's clock: as if received then
  execFileSync('sqlite3', [db, `UPDATE checkins SET received_at = created_at WHERE id IN (${
    history.map((c) => `'${c.id}'`).join(',')})`]);
  const all = [ann, bob, cai, ...history];
  const want = {
    checkins: all.length + 1, // and Dee, posted in the worker's step
    urgent: all.filter((c) => c.urgent).length,
    unsure: history.filter((c) => !c.needs.length).length,
    no_fit: history.filter((c) => c.needs.length && !c.worker_id).length,
  };

  const dash = await newPage(1280, 900);
  watch(dash, 'dashboard');
  const dashApi = recordApi(dash);
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
    eq(dashApi.filter((x) => x.includes('/reports/demand')).length, 1, 'one report request, no per-day fan-out');
    for (const gone of ['not in the hub\u2019s report yet', 'not broken down', 'grid is not available']) {
      assert(!page.includes(gone), 'no "missing breakdown" notice: ' + gone);
    }
    eq(await dash.locator('#d-heat svg.chart').count(), 1, 'heatmap');
    assert((await dash.locator('#d-need').innerText()).includes('Catching up on rent'), 'needs in plain words');
    assert((await dash.locator('#d-lang').innerText()).includes('Welsh'), 'languages named');
  });
  await step('the dashboard\'s grid, days, waits and unmet needs match what was posted', async () => {
    const loc = all.map((c) => ({ ...hubLocal(c.created_at), c }));
    const dee = hubLocal(new Date().toISOString()); // Dee, posted in the worker's step, arrived today
    loc.push({ ...dee, c: { domains: ['health'] } });
    // hour x weekday: each weekday's total in the grid's table
    const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    const heat = await tableRows(dash, '#d-heat');
    eq(heat.length, 7, 'seven weekdays');
    names.forEach((n, i) => eq(heat[i][1], String(loc.filter((x) => x.weekday === i).length), 'grid total on ' + n));
    eq(await dash.locator('#d-heat svg.chart rect title').count() > 0, true, 'grid drawn');
    // topic per day: the day of the oldest arrival, and today
    const days = await tableRows(dash, '#d-time');
    eq(days.length, 30, 'thirty days');
    for (const day of [loc.map((x) => x.date).sort()[0], dee.date]) {
      const row = days.find((r) => r[0] === day);
      assert(row, 'a row for ' + day);
      ['housing', 'health', 'benefits'].forEach((d, k) => {
        eq(row[1 + k], String(loc.filter((x) => x.date === day && x.c.domains.includes(d)).length), `${d} on ${day}`);
      });
      eq(row[4], String(loc.filter((x) => x.date === day && !x.c.domains.length).length), `no topic on ${day}`);
    }
    // unmet needs by need
    const unmet = await tableRows(dash, '#d-unmet');
    const noFit = {};
    history.filter((c) => c.needs.length && !c.worker_id).forEach((c) => c.needs.forEach((n) => { noFit[n] = (noFit[n] || 0) + 1; }));
    eq(unmet.length, Object.keys(noFit).length, 'needs no one fitted');
    const labels = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/needs.json'), 'utf8')).needs;
    for (const [n, k] of Object.entries(noFit)) {
      const row = unmet.find((r) => r[0] === labels[n].label);
      assert(row, 'unmet row for ' + n);
      eq(row[1], String(k), 'unmet count of ' + n);
    }
    // waits per topic and worker: only Ann (housing and money, with Sian) was introduced
    const byWorker = await tableRows(dash, '#d-wait-worker');
    const sian = byWorker.find((r) => r[0] === 'Sian Evans');
    eq(sian && sian[1], '1', 'Sian introduced one');
    assert(sian[2] !== '\u2013', 'Sian has a median wait');
    eq(byWorker.filter((r) => r[1] !== '0').length, 1, 'only one worker introduced anyone');
    const byTopic = await tableRows(dash, '#d-wait-domain');
    const topic = Object.fromEntries(byTopic.map((r) => [r[0], r[1]]));
    eq(topic['Somewhere to live'], '1', 'housing introductions');
    eq(topic['Money and bills'], '1', 'money introductions');
    eq(topic['Health and wellbeing'], '0', 'health introductions');
    eq(byTopic.find((r) => r[0] === 'Health and wellbeing')[2], '\u2013', 'no median without introductions');
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
    assert(new RegExp(`day,${today()},\\d+\\r?\\n`).test(csv), 'CSV per-day series');
    eq((csv.match(/^weekday_hour,/gm) || []).length, 168, 'CSV hour x weekday grid');
    assert(/wait_worker,w-sian\/count,1\r?\n/.test(csv), 'CSV waits per worker');
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
