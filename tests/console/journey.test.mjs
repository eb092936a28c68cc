// journey.test.mjs — the end of a resident's journey in the staff console, in a real browser
// against a real hubd: the board at a glance (15+ compact rows at 1440x900, waits in hours and
// minutes with a date when old, a language flag naming who speaks it), "Left" with undo (before
// it is sent, and after), "Call next" from the workers' strip, and a worker on a phone calling
// the next resident, hearing an arrival, and recording the two-tap outcome.
import { Run, assert, eq, until, checkin, log } from './harness.mjs';

const run = new Run('journey');

run.run(async (t) => {
  const tok = {
    kiosk: t.token('kiosk', 'door-kiosk'), reception: t.token('reception', 'front-desk'),
    sian: t.token('worker', 'sian-phone', 'w-sian'), manager: t.token('manager', 'hub-manager'),
  };
  await t.start();
  await t.browse();
  log(`hubd on ${t.base}`);
  eq((await t.api('GET', '/checkins?status=waiting', tok.reception)).status, 200, 'the day\'s first look');

  // Sixteen waiting: one urgent, one who came two days ago (a kiosk that was offline), a Polish
  // and a Welsh speaker, the rest ordinary; and one long wait (over an hour).
  const ago = (min) => new Date(Date.now() - min * 60000).toISOString();
  const plan = [
    ['rent_arrears', ['housing', 'benefits'], 'w-megan'], ['debt', ['benefits'], 'w-rhodri'],
    ['doctor_gp', ['health'], 'w-priya'], ['repairs', ['housing'], 'w-gareth'],
    ['energy_bills', ['benefits'], 'w-angela'], ['mental_health', ['health'], 'w-dafydd'],
  ];
  const people = [];
  for (let i = 0; i < 16; i++) {
    const [need, domains, w] = plan[i % plan.length];
    people.push(checkin({ needs: [need], domains, worker_id: w, name: `Person ${i + 1}`, created_at: ago(30 - i),
      text: i % 3 === 0 ? 'They said it in their own words, at some length, about what is going on at home' : undefined,
      consent: i % 3 === 0 }));
  }
  const urgent = checkin({ needs: ['homeless_tonight'], domains: ['housing'], urgent: true, worker_id: 'w-gareth', name: 'Urgent One' });
  const old = checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-sian', name: 'Old Arrival', created_at: ago(2 * 24 * 60 + 75) });
  const long = checkin({ needs: ['council_tax'], domains: ['benefits'], worker_id: 'w-sian', name: 'Long Wait', created_at: ago(85) });
  const pl = checkin({ needs: [], domains: [], worker_id: null, lang: 'pl', name: 'Marek' });
  const cy = checkin({ needs: ['repairs'], domains: ['housing'], worker_id: 'w-sian', lang: 'cy', name: 'Eleri' });
  const all = [urgent, old, long, pl, cy, ...people];
  const r0 = await t.api('POST', '/checkins', tok.kiosk, all);
  eq(r0.status, 200, 'batch POST');
  assert(r0.data.every((x) => x.status === 201), 'all stored');
  // waits run from when hubd received them: move those receipts back (hubd keeps running). The
  // one from two days ago stands for a resident the day's end has not closed yet (it runs at
  // the first request after midnight, which here came before this change).
  const back = (c, min) => t.sql(`UPDATE checkins SET received_at = received_at - ${min * 60000} WHERE id = '${c.id}'`);
  back(old, 2 * 24 * 60 + 75);
  back(long, 85);
  people.forEach((c, i) => back(c, 30 - i));

  const board = await t.page(1440, 900, 'board');
  await t.step('15 or more residents fit on the board at 1440x900', async () => {
    await t.signIn(board, tok.reception);
    await until(async () => (await board.locator('#board-list > li').count()) === all.length, 5000, 'all rows');
    const fit = await board.evaluate(() => [...document.querySelectorAll('#board-list > li')]
      .filter((li) => li.getBoundingClientRect().bottom <= window.innerHeight).length);
    const h = await board.evaluate(() => Math.round(document.querySelector('#board-list > li:nth-child(3)').getBoundingClientRect().height));
    log(`     ${fit} of ${all.length} rows visible without scrolling; a row is ${h} px high`);
    await board.screenshot({ path: `${process.env.CONSOLE_OUT || 'build/console'}/journey-board-1440.png` });
    assert(fit >= 15, `only ${fit} rows fit`);
    const wide = await board.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 1440, `no sideways scrolling (${wide})`);
  });

  await t.step('a filter finds a resident; grouping puts each worker\'s line together, urgent still first', async () => {
    await board.fill('#board-filter', 'eleri');
    eq(await board.locator('#board-list > li:visible').count(), 1, 'one row for "eleri"');
    eq(await board.locator('#board-list > li:visible').getAttribute('data-id'), cy.id, 'Eleri');
    assert(/1 of 21 shown/.test(await board.locator('#board-shown').innerText()), 'says how many');
    await board.fill('#board-filter', '');
    eq(await board.locator('#board-list > li:visible').count(), all.length, 'all back');
    await board.locator('#board-group').check();
    await until(async () => {
      const fors = await board.evaluate(() => [...document.querySelectorAll('#board-list > li')].map((li) =>
        li.querySelector('.for strong').textContent));
      return fors[0] === 'Gareth Morgan' && fors[1] === 'Angela Price';
    }, 3000, 'urgent first (Gareth), then Angela\'s line');
    await board.locator('#board-group').uncheck();
  });

  await t.step('waits in hours and minutes, with the date when the resident came another day', async () => {
    const since = async (c) => board.locator(`#board-list li[data-id="${c.id}"] .since`).innerText();
    const l = await since(long);
    assert(/waiting 1 h 2[45] min/.test(l), 'long wait: ' + l);
    const o = await since(old);
    assert(/waiting 2 days [01] h/.test(o), 'old wait: ' + o);
    const day = new Date(old.created_at).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
    assert(!/\d\d:\d\d/.test(o), 'the date, not the time of day: ' + o);
    assert(o.includes('since ' + day), `date shown for an old one (${day}): ${o}`);
    const p = await since(people[15]);
    // the time of day; a resident who came before midnight shows that day's date instead
    const day15 = new Date(people[15].created_at).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
    const when = `(\\d\\d:\\d\\d|${day15})`;
    assert(new RegExp(`^waiting \\d+ min since ${when}$`).test(p.replace(/\s+/g, ' ').trim()), 'recent: ' + p);
  });

  await t.step('a language flag says who speaks it', async () => {
    const flag = board.locator(`#board-list li[data-id="${pl.id}"] .lang-flag`);
    assert(await flag.isVisible(), 'flag shown for Polish');
    const txt = await flag.innerText();
    assert(/PL/.test(txt) && /Polish/.test(txt) && /Tomasz speaks it/.test(txt), 'Polish flag: ' + txt);
    const cyTxt = await board.locator(`#board-list li[data-id="${cy.id}"] .lang-flag`).innerText();
    assert(/Welsh/.test(cyTxt) && /Sian/.test(cyTxt) && /more speak it/.test(cyTxt), 'Welsh flag: ' + cyTxt);
    assert(await board.locator(`#board-list li[data-id="${long.id}"] .lang-flag`).isHidden(), 'no flag for English');
  });

  await t.step('the reassign list shows languages and how many wait for each', async () => {
    const card = board.locator(`#board-list li[data-id="${pl.id}"]`);
    await card.getByRole('button', { name: 'Reassign…' }).click();
    const opt = await card.locator('select option[value="w-tomasz"]').innerText();
    assert(/Polish/.test(opt) && /0 waiting/.test(opt), 'Tomasz option: ' + opt);
    const sian = await card.locator('select option[value="w-sian"]').innerText();
    assert(/Welsh/.test(sian) && /3 waiting/.test(sian), 'Sian option: ' + sian);
    await card.getByRole('button', { name: 'Cancel' }).click();
  });

  const p0 = people[0];
  await t.step('"Left" with undo before it is sent: the resident stays', async () => {
    const card = board.locator(`#board-list li[data-id="${p0.id}"]`);
    await card.getByRole('button', { name: 'Left' }).click();
    await card.locator('.pending button.undo').click();
    await card.locator('.actions').waitFor({ state: 'visible', timeout: 1000 });
    const r = await t.api('GET', '/checkins?status=waiting', tok.reception);
    assert(r.data.checkins.some((c) => c.id === p0.id), 'still waiting');
  });

  await t.step('"Left" is sent after the undo delay; Undo afterwards puts them back in their place', async () => {
    const card = board.locator(`#board-list li[data-id="${p0.id}"]`);
    const before = await board.evaluate((id) => [...document.querySelectorAll('#board-list > li')].findIndex((li) => li.dataset.id === id), p0.id);
    await card.getByRole('button', { name: 'Left' }).click();
    await card.waitFor({ state: 'detached', timeout: 9000 });
    let r = await t.api('GET', '/checkins?status=waiting', tok.reception);
    assert(!r.data.checkins.some((c) => c.id === p0.id), 'off the board in hubd');
    const item = board.locator(`#left-list li[data-id="${p0.id}"]`);
    await item.waitFor({ timeout: 2000 });
    assert((await item.innerText()).includes('Person 1'), 'named in "left before being seen"');
    await t.shot(board, 'board-left');
    await item.getByRole('button', { name: /Undo/ }).click();
    await board.locator(`#board-list li[data-id="${p0.id}"]`).waitFor({ timeout: 3000 });
    const after = await board.evaluate((id) => [...document.querySelectorAll('#board-list > li')].findIndex((li) => li.dataset.id === id), p0.id);
    eq(after, before, 'back in the same place');
    r = await t.api('GET', '/checkins?status=waiting', tok.reception);
    assert(r.data.checkins.some((c) => c.id === p0.id), 'waiting again in hubd');
    assert(await board.locator('#left-box').isHidden(), 'the left list empties');
  });

  await t.step('reception calls the next resident for a worker from the strip', async () => {
    const w = board.locator('#strip-list li[data-worker="w-sian"]');
    await until(async () => /3 waiting/.test(await w.innerText()), 3000, 'Sian: 3 waiting');
    await w.getByRole('button', { name: 'Call next for Sian Evans' }).click();
    // Sian's line: the old one came first (two days ago)
    await until(async () => /Called ticket .* \(Old Arrival\) for Sian Evans/.test(await board.locator('#strip-msg').innerText()), 3000, 'called message');
    await board.locator(`#board-list li[data-id="${old.id}"]`).waitFor({ state: 'detached', timeout: 3000 });
    await until(async () => /2 waiting/.test(await w.innerText()), 3000, 'Sian: 2 waiting');
  });

  // ---- Sian on her phone ----
  const phone = await t.page(390, 844, 'sian');
  await t.step('a worker hears an arrival for them, calls next, and records the outcome in two taps', async () => {
    await t.signIn(phone, tok.sian);
    await phone.waitForSelector('#mine-main:not([hidden])', { timeout: 5000 });
    await until(async () => (await phone.locator('#mine-list > li').count()) === 2, 4000, 'two waiting');
    const fresh = checkin({ needs: ['debt'], domains: ['benefits'], worker_id: 'w-sian', name: 'Newly Arrived' });
    eq((await t.api('POST', '/checkins', tok.kiosk, fresh)).status, 201, 'a new arrival for Sian');
    await until(async () => (await phone.evaluate(() => document.body.getAttribute('data-tones'))) === '1', 4000, 'the arrival tone');
    await until(async () => /Someone is here for you: ticket .*Newly Arrived/.test(await phone.locator('#live').textContent()), 2000, 'said aloud');
    // the seen list already has the old one reception called
    await until(async () => (await phone.locator('#mine-seen > li').count()) === 1, 7000, 'seen today: 1');
    await phone.locator('#mine-next').click();
    await until(async () => /is yours now/.test(await phone.locator('#mine-next-msg').innerText()), 3000, 'called');
    const first = phone.locator('#mine-seen > li').first();
    const id = await first.getAttribute('data-id');
    eq(id, long.id, 'the longest waiting comes first');
    eq(await phone.evaluate(() => document.activeElement.textContent), 'Helped', 'focus on the first choice');
    await first.getByRole('button', { name: 'Partly' }).click();
    await first.getByRole('button', { name: 'Yes, follow up' }).click();
    await until(async () => /Partly helped · follow-up needed/.test(await first.locator('.outcome').innerText()), 3000, 'saved');
    const r = await t.api('GET', '/checkins?status=introduced', tok.sian);
    const mine = r.data.checkins.find((c) => c.id === long.id);
    eq(mine.result, 'partly', 'outcome in hubd');
    eq(mine.follow_up, true, 'follow-up in hubd');
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `no sideways scrolling on a phone (${wide})`);
    await t.shot(phone, 'worker-outcome');
    // the report counts it
    // from yesterday: a resident who came an hour ago may have come before midnight
    const ymd = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
    const d = ymd(new Date()), y = ymd(new Date(Date.now() - 86400000));
    const rep = await t.api('GET', `/reports/demand?from=${y}&to=${d}`, tok.manager);
    eq(rep.data.results.partly, 1, 'report: partly');
    eq(rep.data.results.follow_up, 1, 'report: follow-up');
  });

  await t.step('the outcome can be changed, still in two taps', async () => {
    const first = phone.locator(`#mine-seen li[data-id="${long.id}"]`);
    await first.getByRole('button', { name: 'Change' }).click();
    await first.getByRole('button', { name: 'Helped', exact: true }).click();
    await first.getByRole('button', { name: 'No', exact: true }).click();
    await until(async () => /Helped · no follow-up/.test(await first.locator('.outcome').innerText()), 3000, 'changed');
    const r = await t.api('GET', '/checkins?status=introduced', tok.sian);
    eq(r.data.checkins.find((c) => c.id === long.id).result, 'helped', 'changed in hubd');
  });

  await t.step('the manager\'s dashboard shows how it went: outcomes, who left, feedback', async () => {
    const dash = await t.page(1280, 900, 'dashboard');
    await t.signIn(dash, tok.manager);
    await dash.waitForSelector('#v-dashboard[data-loaded]', { timeout: 15000 });
    const kpi = async (k) => (await dash.locator(`#d-went [data-kpi="${k}"] .k-val`).innerText()).trim();
    eq(await kpi('helped'), '1', 'helped');
    eq(await kpi('unrecorded'), '1', 'no outcome yet (the one reception called)');
    eq(await kpi('left'), '0', 'left (undone)');
    eq(await dash.locator('#d-unmet [data-kpi]').count(), 2, 'unmet: two exclusive counts, no double counting');
    const rows = await dash.evaluate(() => [...document.querySelectorAll('#d-went table')][0].querySelectorAll('tbody tr').length);
    assert(rows >= 1, 'per worker table');
    await t.shot(dash, 'dashboard-went');
    await dash.close();
  });
});
