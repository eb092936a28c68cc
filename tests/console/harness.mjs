// harness.mjs — what the journey and community browser tests share: a real hubd on loopback
// (temporary db, --port 0, the demo hub, --web services/web), tokens, Debian's chromium driven
// by playwright-core, steps that log and count, and API helpers.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HUBD = path.resolve(ROOT, process.env.HUBD_BIN || 'build/hubd');
export const OUT = path.resolve(ROOT, process.env.CONSOLE_OUT || 'build/console');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T0 = Date.now();

export function log(...a) { console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a); }
export function assert(cond, msg) { if (!cond) throw new Error(msg); }
export function eq(a, b, msg) { if (a !== b) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); }

/* Polls fn until it returns a truthy value, or throws after ms. */
export async function until(fn, ms, what) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function checkin(over) {
  return {
    id: crypto.randomUUID(), created_at: new Date().toISOString(), lang: 'en', needs: [], domains: [],
    urgent: false, worker_id: null, chosen_by: 'router', consent: false, ...over,
  };
}

/* One run: a hubd of its own, a browser, steps, and a summary at the end (exit 1 on failure). */
export class Run {
  constructor(name) {
    this.name = name;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `hub-${name}-`));
    this.db = path.join(this.tmp, 'hub.db');
    this.passed = 0;
    this.failed = 0;
    this.errors = [];
    this.hubdErr = '';
  }

  token(role, name, worker) {
    const extra = worker ? ['--worker', worker] : [];
    return execFileSync(HUBD, ['--db', this.db, '--seed', path.join(ROOT, 'assets/demo-hub.json'), 'token', role, name, ...extra],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  start() {
    return new Promise((resolve, reject) => {
      this.hubd = spawn(HUBD, ['--port', '0', '--db', this.db, '--seed', path.join(ROOT, 'assets/demo-hub.json'),
        '--web', path.join(ROOT, 'services/web')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const timer = setTimeout(() => reject(new Error('hubd did not start in 15 s: ' + this.hubdErr)), 15000);
      this.hubd.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/hubd listening on (\d+)/);
        if (m) { clearTimeout(timer); this.base = `http://127.0.0.1:${m[1]}`; resolve(this.base); }
      });
      this.hubd.stderr.on('data', (d) => { this.hubdErr += d; if (process.env.VERBOSE) process.stderr.write(d); });
      this.hubd.on('exit', (code) => { clearTimeout(timer); if (!this.base) reject(new Error(`hubd exited ${code}: ${this.hubdErr}`)); });
    });
  }

  async browse() {
    fs.mkdirSync(OUT, { recursive: true });
    this.browser = await chromium.launchPersistentContext(path.join(this.tmp, 'profile'), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 860 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }

  async page(width, height, who) {
    const p = await this.browser.newPage();
    await p.setViewportSize({ width, height });
    p.on('pageerror', (e) => this.errors.push(`${who}: ${e.message}`));
    p.on('console', (m) => { if (m.type() === 'error' && !/status of 40[0134]/.test(m.text())) this.errors.push(`${who}: ${m.text()}`); });
    return p;
  }

  async step(name, fn) {
    const t = Date.now();
    try {
      await fn();
      this.passed++;
      log(`ok   ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      this.failed++;
      log(`FAIL ${name}: ${e && e.stack || e}`);
      throw e;
    }
  }

  async shot(page, name) {
    const file = path.join(OUT, `${this.name}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`     screenshot ${path.relative(ROOT, file)}`);
  }

  async api(method, p, tok, body, headers = {}) {
    const res = await fetch(this.base + '/api/v1' + p, {
      method,
      headers: { ...(tok ? { Authorization: `Bearer ${tok}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let data = text;
    try { data = JSON.parse(text); } catch { /* CSV or empty */ }
    return { status: res.status, data, headers: res.headers };
  }

  /* Runs sql on the live database with the sqlite3 CLI (WAL: hubd keeps running). */
  sql(q) {
    return execFileSync('sqlite3', [this.db, q], { encoding: 'utf8' }).trim();
  }

  async signIn(page, tok, hash = '') {
    await page.goto(this.base + '/' + hash);
    await page.fill('#token', tok);
    await page.press('#token', 'Enter');
  }

  /* Runs main, then cleans up and exits with the verdict. */
  async run(main) {
    let code = 0;
    try {
      await main(this);
      await this.step('no script errors in any page', async () => {
        assert(!this.errors.length, this.errors.join('\n'));
      });
    } catch (e) {
      if (!this.failed) log(`FAIL ${e && e.stack || e}`);
      code = 1;
    }
    try { if (this.browser) await this.browser.close(); } catch { /* closing anyway */ }
    if (this.hubd && this.hubd.exitCode === null) {
      this.hubd.kill('SIGTERM');
      await new Promise((r) => { this.hubd.on('exit', r); setTimeout(r, 5000); });
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
    log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exit(code || (this.failed ? 1 : 0));
  }
}
