/* app.js — the hub's staff console: sign-in, the reception board, a worker's own view, and the
 * loader of the manager's dashboard (dashboard.js). Talks only to hubd's /api/v1 (DESIGN.md). */
'use strict';

(function () {
  var API = '/api/v1';
  var UNDO_MS = 5000;
  var TAX = {needs: {}, domains: {}}; // GET /taxonomy: each need and domain in each language
  var I = window.HubI18n, t = I.t, LANG = I.lang; // the console's words in Welsh and English
  var $ = function (id) { return document.getElementById(id); };
  var store = window.sessionStorage;

  var S = {
    token: store.getItem('hub.token') || '',
    role: '',
    name: '',          // the token's name (GET /me)
    workerId: null,    // a worker token's own worker (GET /me); null for other roles
    mineId: null,      // whose waiting list the worker view shows
    caps: {},          // which screens this token may open: board, mine, dashboard
    dir: null,         // GET /directory body
    etag: '',
    seen: {},          // check-in ids already shown (for the arrival sound)
    pending: {},       // id -> {kind, body, timer, label}
    timers: [],
    sound: store.getItem('hub.sound') !== 'off',
    audio: null,
    tones: 0
  };

  /* ---------- small helpers ---------- */

  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k === 'cls') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(x); });
      else el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function say(msg, urgent) {
    var el = $(urgent ? 'alert' : 'live');
    el.textContent = '';
    setTimeout(function () { el.textContent = msg; }, 30);
  }
  function needLabel(id) {
    var n = TAX.needs[id];
    return (n && n.labels && (n.labels[LANG] || n.labels.en)) || id.replace(/_/g, ' ');
  }
  function domainLabel(id) {
    if (id === 'none') return t('Reception (no topic)');
    var d = TAX.domains[id];
    return (d && (d[LANG] || d.en)) || id;
  }
  /* The needs and their words, once per sign-in (hubd's labels are the kiosk's own). */
  function loadTaxonomy() {
    return api('GET', '/taxonomy').then(function (r) {
      if (r.status !== 200 || !r.data) return;
      TAX.needs = {};
      (r.data.needs || []).forEach(function (n) { TAX.needs[n.id] = n; });
      TAX.domains = r.data.domain_labels || {};
    });
  }
  function workers() { return (S.dir && S.dir.workers) || []; }
  function worker(id) {
    var w = workers();
    for (var i = 0; i < w.length; i++) if (w[i].id === id) return w[i];
    return null;
  }
  var STATUS = {available: t('Available'), busy: t('Busy'), away: t('Away'), off: t('Off today')};
  /* The desk in the console's language (desk_cy in the directory). */
  function deskOf(w) { return (LANG === 'cy' && w.desk_cy) || w.desk || ''; }
  var STATUS_MARK = {available: '\u25CF', busy: '\u25D0', away: '\u25CB', off: '\u2013'};
  function statusPill(st) {
    return h('span', {cls: 'pill st-' + st}, h('span', {'aria-hidden': 'true', text: STATUS_MARK[st] || ''}),
      ' ' + (STATUS[st] || st));
  }
  function hhmm(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : I.time(d);
  }
  /* "Polish (polski)": the name in the console's language, then in its own. */
  function langName(code) {
    var here = I.langName(code), own = '';
    try { own = new Intl.DisplayNames([code], {type: 'language'}).of(code); } catch (e) { own = ''; }
    if (code === LANG) return here; // the console's own language needs no second name
    return here && here !== code ? here + (own && own !== here && own !== code ? ' (' + own + ')' : '') : code;
  }
  /* A wait in hours and minutes: "12 min", "1 h 05 min", "3 days 2 h". */
  function waitText(n) {
    if (n < 1) return t('just arrived');
    if (n < 60) return t('{n} min', {n: I.num(n)});
    var hrs = Math.floor(n / 60), m = n % 60;
    if (hrs < 48) return t('{h} h {m} min', {h: I.num(hrs), m: (m < 10 ? '0' : '') + m});
    return t('{d} days {h} h', {d: I.num(Math.floor(hrs / 24)), h: I.num(hrs % 24)});
  }
  /* "since 09:12", or the date when it was another day: "since Mon 3 Mar" (the time of day
   * matters little then, and the row stays one line). */
  function whenText(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return '';
    if (d.toDateString() === new Date().toDateString()) return hhmm(iso);
    return I.date(d, {weekday: 'short', day: 'numeric', month: 'short'});
  }
  function sinceText(iso) { var w = whenText(iso); return w && t('since {when}', {when: w}); }
  function cameText(iso) { var w = whenText(iso); return w && t('came {when}', {when: w}); }
  /* The workers in today (not off) who speak lang. */
  function speakers(lang) {
    var base = String(lang || '').split('-')[0];
    return workers().filter(function (w) {
      return w.status !== 'off' && (w.languages || []).indexOf(base) >= 0;
    });
  }
  /* "Tomasz speaks it" / "Sian, Gareth and 3 more speak it" / "no one in today speaks it". */
  function speakersText(lang) {
    var ws = speakers(lang).map(function (w) { return w.name.split(' ')[0]; });
    if (!ws.length) return t('no one in today speaks it: use the interpreter line');
    if (ws.length === 1) return t('{name} speaks it', {name: ws[0]});
    if (ws.length === 2) return t('{a} and {b} speak it', {a: ws[0], b: ws[1]});
    return t('{a}, {b} and {n} more speak it', {a: ws[0], b: ws[1], n: I.num(ws.length - 2)});
  }
  /* The waiting count of each worker ('' for reception), from the last board poll. */
  function waitingFor(id) { return (S.waitCount || {})[id || ''] || 0; }

  /* ---------- API ---------- */

  function api(method, path, body, extra) {
    var headers = {Authorization: 'Bearer ' + S.token};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (var k in (extra && extra.headers) || {}) headers[k] = extra.headers[k];
    return fetch(API + path, {
      method: method, headers: headers, cache: 'no-store',
      keepalive: !!(extra && extra.keepalive),
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      var ct = res.headers.get('Content-Type') || '';
      var get = res.status === 304 ? Promise.resolve(null)
        : ct.indexOf('json') >= 0 ? res.json().catch(function () { return null; })
          : res.text();
      return get.then(function (data) {
        if (res.status === 401 && S.role) expired();
        return {status: res.status, data: data, headers: res.headers};
      });
    }, function () { return {status: 0, data: {error: t('Cannot reach the hub server; retrying.')}}; });
  }
  function errText(r) {
    if (r.status === 0) return t('Cannot reach the hub server; retrying.');
    return (r.data && r.data.error) ? r.data.error : t('The server answered {status}.', {status: r.status});
  }

  /* Which screens each role may open; hubd checks every request again, and a 403 there also
   * lands on the "not available" message. */
  var CAPS = {
    reception: {board: 1}, worker: {mine: 1}, manager: {dashboard: 1},
    admin: {board: 1, mine: 1, dashboard: 1}, kiosk: {}
  };

  /* Who this token is: GET /me gives its role, name and (for a worker) their own worker id. */
  function whoAmI() {
    return api('GET', '/me').then(function (r) {
      if (r.status !== 200 || !r.data || !CAPS[r.data.role]) return {role: '', status: r.status};
      return {role: r.data.role, name: r.data.name || '', workerId: r.data.worker_id || null,
        caps: CAPS[r.data.role]};
    });
  }

  /* ---------- screens and navigation ---------- */

  var SCREENS = {
    board: {title: t('Reception board'), go: t('Go to the reception board'),
      needs: t('The reception board needs a reception token.')},
    mine: {title: t('My waiting list'), go: t('Go to my waiting list'),
      needs: t('My waiting list needs a worker token.')},
    dashboard: {title: t('Demand dashboard'), go: t('Go to the demand dashboard'),
      needs: t('The demand dashboard needs a hub manager token.')}
  };
  var ROLE_NAME = {reception: t('reception'), worker: t('worker'), manager: t('hub manager'),
    admin: t('administrator'), kiosk: t('kiosk')};

  function show(view) {
    ['signin', 'refused', 'board', 'mine', 'dashboard'].forEach(function (v) {
      $('v-' + v).hidden = v !== view;
    });
    document.body.setAttribute('data-view', view);
    var nav = $('nav');
    Array.prototype.forEach.call(nav.querySelectorAll('a'), function (a) {
      if (a.getAttribute('href') === '#' + view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    document.title = (SCREENS[view] ? SCREENS[view].title : view === 'signin' ? t('Sign in') : t('Not available')) +
      ' \u2013 ' + t('Hub staff console');
  }

  function refuse(screen, why) {
    stopAll();
    var msg;
    if (S.role === 'kiosk') {
      msg = t('This is a kiosk token. The staff console needs a reception, worker or hub manager ' +
        'token; the server refused this one.');
    } else if (screen) {
      msg = SCREENS[screen].needs + ' ' + t('You are signed in as {role}.', {role: ROLE_NAME[S.role] || t('someone else')}) +
        (why ? ' ' + t('The server refused it ({why}).', {why: why}) : '');
    } else {
      msg = why || t('The server refused this token.');
    }
    $('refused-msg').textContent = msg;
    var links = clear($('refused-links'));
    Object.keys(S.caps).forEach(function (k) {
      links.appendChild(h('a', {href: '#' + k, cls: 'button'}, SCREENS[k].go));
      links.appendChild(document.createTextNode(' '));
    });
    show('refused');
    $('refused-h').focus();
  }

  /* "Signed in: Sian Evans (worker)" once the directory names the worker, else the role. */
  function paintWho() {
    var me = S.workerId && worker(S.workerId);
    $('who').textContent = !S.role ? '' : t('Signed in: {who}', {who: me ? me.name + ' (' + ROLE_NAME[S.role] + ')'
      : (ROLE_NAME[S.role] || S.role) + (S.name ? ' \u00B7 ' + S.name : '')});
  }

  function buildNav() {
    var nav = clear($('nav'));
    var keys = Object.keys(S.caps);
    keys.forEach(function (k) { nav.appendChild(h('a', {href: '#' + k}, SCREENS[k].title)); });
    nav.hidden = keys.length < 2;
    paintWho();
    $('signout').hidden = !S.role;
    $('sound').hidden = !S.caps.board && !S.caps.mine;
  }

  function route() {
    if (!S.role) return;
    var want = (location.hash || '').slice(1);
    var keys = Object.keys(S.caps);
    if (!SCREENS[want]) {
      if (!keys.length) return refuse(null);
      want = keys[0];
      history.replaceState(null, '', '#' + want);
    }
    stopAll();
    /* caps come from the role GET /me gave at sign-in; each screen's requests are checked again
     * by hubd, and a 403 there also lands on this message */
    if (!S.caps[want]) return refuse(want);
    if (want === 'board') startBoard();
    else if (want === 'mine') startMine();
    else startDashboard();
  }

  function stopAll() {
    S.timers.forEach(function (t) { if (t && t.stop) t.stop(); else { clearInterval(t); clearTimeout(t); } });
    S.timers = [];
  }
  function every(ms, fn) { fn(); S.timers.push(setInterval(fn, ms)); }
  /* fn on every change pushed by hubd (live.js), polling every ms while the stream is down */
  function follow(ms, fn, workerId, onEvent) {
    if (!window.HubLive) return every(ms, fn);
    S.timers.push(window.HubLive.follow({token: S.token, refresh: fn, pollMs: ms, worker: workerId,
      onEvent: onEvent}));
  }

  /* ---------- sign-in ---------- */

  function signIn(token) {
    S.token = token;
    $('signin-msg').textContent = t('Checking\u2026');
    return whoAmI().then(function (r) {
      if (!r.role) {
        S.token = '';
        $('signin-msg').textContent = r.status === 0 ? t('Cannot reach the hub server. Check the network and try again.')
          : t('That token was not recognised. Check it and try again.');
        show('signin');
        $('token').focus();
        return;
      }
      S.role = r.role;
      S.name = r.name;
      S.workerId = r.workerId;
      S.caps = r.caps;
      store.setItem('hub.token', token);
      $('signin-msg').textContent = '';
      $('token').value = '';
      buildNav();
      if (!Object.keys(S.caps).length) return refuse(null);
      return loadTaxonomy().then(route);
    });
  }

  function signOut(msg) {
    flushPending();
    stopAll();
    store.removeItem('hub.token');
    store.removeItem('hub.worker');
    S.token = ''; S.role = ''; S.name = ''; S.workerId = null; S.mineId = null;
    S.caps = {}; S.dir = null; S.etag = ''; S.seen = {};
    buildNav();
    $('nav').hidden = true;
    clear($('board-list')); clear($('mine-list')); clear($('v-dashboard'));
    $('signin-msg').textContent = msg || '';
    show('signin');
    history.replaceState(null, '', location.pathname);
    $('token').focus();
  }
  function expired() { signOut(t('Your sign-in is no longer valid. Please sign in again.')); }

  /* ---------- sound ---------- */

  function audioReady() {
    if (S.audio || !S.sound) return;
    var AC = window.AudioContext || window.webkitAudioContext;
    if (AC) try { S.audio = new AC(); } catch (e) { S.audio = null; }
  }
  function tone() {
    S.tones++;
    document.body.setAttribute('data-tones', String(S.tones));
    if (!S.sound) return;
    audioReady();
    var ac = S.audio;
    if (!ac) return;
    if (ac.state === 'suspended') ac.resume();
    var t = ac.currentTime;
    [0, 0.28].forEach(function (off, i) {
      var o = ac.createOscillator(), g = ac.createGain();
      o.type = 'sine';
      o.frequency.value = i ? 660 : 880;
      g.gain.setValueAtTime(0.0001, t + off);
      g.gain.exponentialRampToValueAtTime(0.25, t + off + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + off + 0.24);
      o.connect(g); g.connect(ac.destination);
      o.start(t + off); o.stop(t + off + 0.26);
    });
  }
  function paintSound() {
    var b = $('sound');
    b.setAttribute('aria-pressed', S.sound ? 'true' : 'false');
    b.textContent = S.sound ? t('Urgent sound: on') : t('Urgent sound: off');
  }

  /* ---------- directory ---------- */

  function loadDirectory() {
    var hdr = S.etag ? {headers: {'If-None-Match': S.etag}} : undefined;
    return api('GET', '/directory', undefined, hdr).then(function (r) {
      if (r.status === 200 && r.data) {
        S.dir = r.data;
        S.etag = r.headers.get('ETag') || '';
        if (S.dir.hub && S.dir.hub.name) $('hub-name').textContent = S.dir.hub.name;
        return true;
      }
      return false;
    });
  }

  /* ---------- check-in cards (board and worker view) ---------- */

  function cardFor(c, withActions) {
    var li = h('li', {cls: 'card', 'data-id': c.id});
    li._parts = {};
    var p = li._parts;
    p.ticket = h('span', {cls: 'ticket'});
    // One ticket: the kiosk's, adopted by hubd. Only when hubd had to issue its own (a clash,
    // an older kiosk) is the one the resident holds shown beside it, read out as one sentence.
    p.kiosk = h('span', {cls: 'kiosk-ticket', 'aria-hidden': 'true', hidden: true});
    p.ticketSr = h('span', {cls: 'sr-only', hidden: true});
    p.badge = h('span', {cls: 'urgent-badge'}, h('span', {'aria-hidden': 'true'}, '\u26A0 '), t('Urgent \u2013 see now'));
    p.name = h('span', {cls: 'name'});
    p.since = h('span', {cls: 'since'});
    p.wait = h('strong', {cls: 'wait'});
    p.sinceAt = h('span', {cls: 'since-at'});
    p.since.appendChild(p.wait);
    p.since.appendChild(document.createTextNode(' '));
    p.since.appendChild(p.sinceAt);
    p.forw = h('p', {cls: 'for'});
    p.meta = h('p', {cls: 'meta'});
    p.flag = h('p', {cls: 'lang-flag', hidden: true});
    p.needs = h('ul', {cls: 'needs', 'aria-label': t('Needs')});
    p.words = h('figure', {cls: 'words'});
    li.appendChild(h('div', {cls: 'card-head'},
      h('div', {cls: 'head-1'}, h('span', {cls: 'tickets'}, p.ticket, p.kiosk, p.ticketSr)),
      h('div', {cls: 'head-2'}, h('span', {cls: 'name-line'}, p.badge, p.name), p.since)));
    li.appendChild(h('div', {cls: 'card-body'}, p.forw, h('div', {cls: 'tags'}, p.flag, p.needs, p.meta, p.words)));
    if (withActions) {
      p.actions = h('div', {cls: 'actions'},
        h('button', {type: 'button', cls: 'primary', onclick: function () { startIntroduced(li); }}, t('Introduced')),
        h('button', {type: 'button', onclick: function () { openReassign(li); }}, t('Reassign\u2026')),
        h('button', {type: 'button', cls: 'left-btn', onclick: function () { startLeft(li); }}, t('Left')));
      p.pendingBar = h('div', {cls: 'pending', hidden: true, role: 'status'});
      p.error = h('p', {cls: 'card-error', role: 'alert', hidden: true});
      li.appendChild(p.actions);
      li.appendChild(p.pendingBar);
      li.appendChild(p.error);
    }
    updateCard(li, c);
    return li;
  }

  function updateCard(li, c) {
    var p = li._parts;
    li._c = c;
    li.classList.toggle('urgent', !!c.urgent);
    p.badge.hidden = !c.urgent;
    p.ticket.textContent = c.ticket;
    var kt = kioskTicket(c);
    p.kiosk.textContent = kt ? '\u00B7 ' + t('kiosk {ticket}', {ticket: kt}) : '';
    p.ticketSr.textContent = kt ? t('Ticket {ticket}; kiosk ticket {kiosk}', {ticket: c.ticket, kiosk: kt}) : '';
    p.kiosk.hidden = p.ticketSr.hidden = !kt;
    if (kt) p.ticket.setAttribute('aria-hidden', 'true');
    else p.ticket.removeAttribute('aria-hidden');
    p.name.textContent = c.name || t('No name given');
    p.name.classList.toggle('noname', !c.name);
    if (c.introduced_at) { // seen: when they were introduced, and when they came
      p.wait.textContent = t('seen at {time}', {time: hhmm(c.introduced_at)});
      p.sinceAt.textContent = cameText(c.received_at || c.created_at);
    } else {
      p.wait.textContent = c.waiting_min < 1 ? t('just arrived') : t('waiting {wait}', {wait: waitText(c.waiting_min)});
      p.sinceAt.textContent = c.waiting_min < 1 ? '' : sinceText(c.received_at || c.created_at);
    }
    var w = c.worker_id ? worker(c.worker_id) : null;
    clear(p.forw);
    if (w || c.worker_id) {
      p.forw.appendChild(document.createTextNode(t('For') + ' '));
      p.forw.appendChild(h('strong', {}, w ? w.name : c.worker_id));
    } else {
      p.forw.appendChild(h('strong', {}, t('For reception (no one named)')));
    }
    if (w) {
      p.forw.appendChild(document.createTextNode(' \u00B7 ' + deskOf(w) + ' '));
      p.forw.appendChild(statusPill(w.status));
    }
    var meta = [];
    p.flag.hidden = !c.lang || c.lang === 'en';
    if (!p.flag.hidden) {
      clear(p.flag).appendChild(h('span', {cls: 'code', 'aria-hidden': 'true'}, c.lang.toUpperCase()));
      p.flag.appendChild(document.createTextNode(' ' + langName(c.lang) + ' \u2013 ' + speakersText(c.lang)));
    }
    if (c.chosen_by === 'resident') meta.push(t('They chose this person themselves'));
    else if (c.chosen_by === 'reception') meta.push(t('Chosen by reception'));
    p.meta.textContent = meta.join(' \u00B7 ');
    p.meta.hidden = !meta.length;
    var key = (c.needs || []).join(',');
    if (p.needs._key !== key) {
      p.needs._key = key;
      clear(p.needs);
      (c.needs || []).forEach(function (n) { p.needs.appendChild(h('li', {}, needLabel(n))); });
      if (!(c.needs || []).length) p.needs.appendChild(h('li', {cls: 'unsure'}, t('Not sure yet \u2013 ask them')));
    }
    if (p.words._text !== (c.text || '')) {
      p.words._text = c.text || '';
      clear(p.words);
      p.words.hidden = !c.text;
      if (c.text) {
        p.words.appendChild(h('figcaption', {}, t('In their own words (shared with their agreement)')));
        p.words.appendChild(h('blockquote', {lang: c.lang || null, title: c.text}, c.text));
      }
    }
  }

  /* The ticket the kiosk showed the resident, when it is not hubd's own; '' otherwise. */
  function kioskTicket(c) {
    return c.kiosk_ticket && c.kiosk_ticket !== c.ticket ? c.kiosk_ticket : '';
  }

  /* Keeps the list's elements, in place, in the order of items (so focus and open forms stay). */
  function reconcile(list, items, withActions) {
    var have = {};
    Array.prototype.forEach.call(list.children, function (li) { have[li.getAttribute('data-id')] = li; });
    var keep = {};
    var fresh = [];
    items.forEach(function (c, i) {
      keep[c.id] = true;
      var li = have[c.id];
      if (li) updateCard(li, c);
      else { li = cardFor(c, withActions); fresh.push(c); }
      var at = list.children[i];
      if (at !== li) list.insertBefore(li, at || null);
    });
    Object.keys(have).forEach(function (id) {
      if (!keep[id] && !S.pending[id]) list.removeChild(have[id]);
    });
    return fresh;
  }

  /* Urgent first, then in the order hubd received them (hubd's own order; the kiosk's clock
   * is never trusted for it); grouped, the rest by worker (reception last) after the urgent. */
  function sortBoard(items, byWorker) {
    var name = function (c) { var w = c.worker_id && worker(c.worker_id); return w ? w.name : c.worker_id ? c.worker_id : '\uffff'; };
    return items.slice().sort(function (a, b) {
      if (!!a.urgent !== !!b.urgent) return a.urgent ? -1 : 1;
      if (byWorker && !a.urgent) {
        var na = name(a), nb = name(b);
        if (na !== nb) return na < nb ? -1 : 1;
      }
      var ka = a.received_at || a.created_at, kb = b.received_at || b.created_at;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  /* The board's filter: a row stays when every word typed is in its ticket, name, worker,
   * desk, needs or language. */
  function boardFilter() {
    var words = ($('board-filter').value || '').toLowerCase().split(/\s+/).filter(Boolean);
    var list = $('board-list'), shown = 0, all = list.children.length;
    Array.prototype.forEach.call(list.children, function (li) {
      var hay = (li.querySelector('.card-head').textContent + ' ' + li.querySelector('.card-body').textContent).toLowerCase();
      var keep = words.every(function (w) { return hay.indexOf(w) >= 0; });
      li.hidden = !keep;
      shown += keep;
    });
    $('board-shown').textContent = words.length ? t('{shown} of {all} shown', {shown: I.num(shown), all: I.num(all)}) : '';
  }

  /* ---------- reception board ---------- */

  var boardBusy = false, boardFirst = true;

  function startBoard() {
    show('board');
    paintSound();
    boardFirst = true;
    loadDirectory().then(function () {
      every(5000, function () { loadDirectory().then(function (ch) { if (ch) { paintStrip(); refreshBoardCards(); } }); });
      paintStrip();
      var kiosks = watchKiosks();
      follow(1000, pollBoard, undefined, kiosks && kiosks.onEvent);
    });
  }

  /* The alert over the board about the hub's kiosks (kiosks.js): one holding check-ins it
   * could not send, or one out of touch while the hub is open (some worker not off today). */
  function watchKiosks() {
    if (!window.HubKiosks) return null;
    var w = window.HubKiosks.watch({api: api, box: $('kiosk-alerts'), open: function () {
      var ws = workers();
      return !ws.length || ws.some(function (x) { return x.status !== 'off'; });
    }});
    S.timers.push(w);
    return w;
  }

  function refreshBoardCards() {
    Array.prototype.forEach.call($('board-list').children, function (li) { if (li._c) updateCard(li, li._c); });
  }

  function pollBoard() {
    if (boardBusy) return;
    boardBusy = true;
    api('GET', '/checkins?status=waiting').then(function (r) {
      boardBusy = false;
      if (r.status === 403) return refuse('board', r.data && r.data.error);
      if (r.status !== 200 || !r.data) {
        $('board-state').textContent = errText(r);
        return;
      }
      $('board-state').textContent = '';
      var items = sortBoard(r.data.checkins || [], $('board-group').checked);
      var counts = {};
      items.forEach(function (c) { counts[c.worker_id || ''] = (counts[c.worker_id || ''] || 0) + 1; });
      var countsKey = JSON.stringify(counts);
      S.waitCount = counts;
      if (countsKey !== S.countsKey) { S.countsKey = countsKey; paintStrip(); }
      var fresh = reconcile($('board-list'), items, true);
      boardFilter();
      var n = items.length;
      $('board-count').textContent = '(' + n + ')';
      $('board-empty').hidden = n > 0;
      if (!boardFirst) {
        var urgent = fresh.filter(function (c) { return c.urgent && !S.seen[c.id]; });
        fresh.filter(function (c) { return !S.seen[c.id]; }).forEach(function (c) {
          var w = c.worker_id && worker(c.worker_id);
          var kt = kioskTicket(c);
          var tk = c.ticket + (kt ? ' (' + t('kiosk {ticket}', {ticket: kt}) + ')' : '');
          say(!w ? t(c.urgent ? 'Urgent arrival: ticket {ticket}, for reception' : 'New arrival: ticket {ticket}, for reception', {ticket: tk})
            : t(c.urgent ? 'Urgent arrival: ticket {ticket}, for {who}' : 'New arrival: ticket {ticket}, for {who}', {ticket: tk, who: w.name}), c.urgent);
        });
        if (urgent.length) tone();
      }
      fresh.forEach(function (c) { S.seen[c.id] = true; });
      boardFirst = false;
    });
  }

  function setPending(li, kind, body, label) {
    var id = li.getAttribute('data-id');
    var p = li._parts;
    var deadline = Date.now() + UNDO_MS;
    var entry = {kind: kind, body: body, label: label};
    S.pending[id] = entry;
    li.classList.add('is-pending');
    p.actions.hidden = true;
    p.error.hidden = true;
    if (p.form) p.form.hidden = true;
    var text = h('span', {});
    var undo = h('button', {type: 'button', cls: 'undo', onclick: function () {
      clearTimeout(entry.timer); clearInterval(entry.tick);
      delete S.pending[id];
      li.classList.remove('is-pending');
      p.pendingBar.hidden = true;
      p.actions.hidden = false;
      p.actions.querySelector('button').focus();
      say(t('Undone: {what} for ticket {ticket} was not sent.', {what: label, ticket: li._c.ticket}));
    }}, t('Undo'));
    function paint() {
      var s = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      text.textContent = label + ' \u2013 ' + t('sending in {s} s', {s: I.num(s)}) + ' ';
    }
    paint();
    clear(p.pendingBar).appendChild(text);
    p.pendingBar.appendChild(undo);
    p.pendingBar.hidden = false;
    undo.focus();
    entry.tick = setInterval(paint, 250);
    entry.timer = setTimeout(function () { send(id, li); }, UNDO_MS);
  }

  function send(id, li, keepalive) {
    var e = S.pending[id];
    if (!e) return Promise.resolve();
    clearTimeout(e.timer); clearInterval(e.tick);
    e.sending = true;
    var p = li && li._parts;
    if (p) clear(p.pendingBar).appendChild(document.createTextNode(e.label + ' \u2013 ' + t('sending\u2026')));
    return api('POST', '/checkins/' + id + '/' + e.kind, e.body, {keepalive: keepalive}).then(function (r) {
      delete S.pending[id];
      if (!li) return;
      li.classList.remove('is-pending');
      p.pendingBar.hidden = true;
      if (r.status === 200) {
        say(t('{what}: done for ticket {ticket}.', {what: e.label, ticket: li._c.ticket}));
        if (e.kind === 'left') addLeft(li._c);
        if ((e.kind === 'handover' || e.kind === 'left') && li.parentNode) li.parentNode.removeChild(li);
        else { p.actions.hidden = false; if (r.data) updateCard(li, Object.assign({}, li._c, {worker_id: r.data.worker_id})); }
      } else {
        p.actions.hidden = false;
        p.error.textContent = t('{what} did not go through: {why}', {what: e.label, why: errText(r)});
        p.error.hidden = false;
      }
      pollBoard();
    });
  }

  function flushPending() {
    Object.keys(S.pending).forEach(function (id) {
      var li = document.querySelector('#board-list [data-id="' + id + '"]');
      if (!S.pending[id].sending) send(id, li, true);
    });
  }

  function startIntroduced(li) {
    var c = li._c;
    var w = c.worker_id && worker(c.worker_id);
    setPending(li, 'handover', c.worker_id ? {worker_id: c.worker_id} : undefined,
      w ? t('Introduced to {name}', {name: w.name}) : t('Introduced'));
  }

  function startLeft(li) {
    setPending(li, 'left', undefined, t('Left before being seen'));
  }

  /* Residents marked as left in this tab (newest first, at most 8), each with an Undo that puts
   * them back on the board in their place (DELETE /checkins/{id}/left). */
  var leftItems = [];
  function addLeft(c) {
    leftItems.unshift({c: c, at: new Date()});
    leftItems = leftItems.slice(0, 8);
    paintLeft();
  }
  function paintLeft() {
    var ul = clear($('left-list'));
    $('left-box').hidden = !leftItems.length;
    leftItems.forEach(function (it) {
      var c = it.c;
      var msg = h('span', {cls: 'msg', role: 'alert'});
      var undo = h('button', {type: 'button', cls: 'undo',
        'aria-label': t('Undo: ticket {ticket} has not left', {ticket: c.ticket}), onclick: function () {
          undo.disabled = true;
          api('DELETE', '/checkins/' + c.id + '/left').then(function (r) {
            if (r.status === 200) {
              leftItems = leftItems.filter(function (x) { return x !== it; });
              say(t('Ticket {ticket} is back on the board.', {ticket: c.ticket}));
              paintLeft();
              pollBoard();
            } else {
              undo.disabled = false;
              msg.textContent = t('Not undone: {why}', {why: errText(r)});
            }
          });
        }}, t('Undo'));
      ul.appendChild(h('li', {'data-id': c.id}, h('strong', {}, c.ticket), ' ',
        h('span', {}, (c.name || t('No name given')) + ' \u00B7 ' + t('left {time}', {time: I.time(it.at)})), ' ', undo, msg));
    });
  }

  /* Reception calls the next resident for a worker (POST /workers/{id}/next). */
  function callNextFor(w, btn) {
    btn.disabled = true;
    api('POST', '/workers/' + encodeURIComponent(w.id) + '/next', {}).then(function (r) {
      btn.disabled = false;
      var c = r.status === 200 && r.data && r.data.checkin;
      var text = r.status !== 200 ? t('Call next for {name} did not go through: {why}', {name: w.name, why: errText(r)})
        : c ? t('Called ticket {ticket} for {name} at {desk}.', {ticket: c.ticket + (c.name ? ' (' + c.name + ')' : ''), name: w.name, desk: deskOf(w)})
          : t('No one is waiting for {name}.', {name: w.name});
      $('strip-msg').textContent = text;
      say(text);
      pollBoard();
    });
  }

  var REASONS = [t('Worker is busy'), t('Resident asked for someone else'), t('Better fit for what they need'),
    t('Speaks their language')];

  function openReassign(li) {
    var p = li._parts, c = li._c;
    if (p.form) { p.form.hidden = !p.form.hidden; if (!p.form.hidden) p.form.querySelector('select').focus(); return; }
    var fid = 'ra-' + c.id;
    var sel = h('select', {id: fid + '-w', required: true});
    var reason = h('input', {id: fid + '-r', type: 'text', maxlength: '200', required: true,
      autocomplete: 'off'});
    var msg = h('p', {cls: 'msg', role: 'alert'});
    function fill() {
      clear(sel);
      sel.appendChild(h('option', {value: ''}, t('Choose who\u2026')));
      workers().forEach(function (w) {
        if (w.id === c.worker_id) return;
        var n = waitingFor(w.id);
        sel.appendChild(h('option', {value: w.id}, w.name + ' \u2013 ' + (STATUS[w.status] || w.status) + ', ' + deskOf(w) +
          ' \u00B7 ' + t('speaks {langs}', {langs: (w.languages || []).map(langName).join(', ')}) + ' \u00B7 ' +
          t('{n} waiting', {n: I.num(n)})));
      });
      sel.appendChild(h('option', {value: '-reception'}, t('Reception (no one named)')));
    }
    fill();
    var chips = h('div', {cls: 'chips'}, REASONS.map(function (t) {
      return h('button', {type: 'button', cls: 'chip', onclick: function () { reason.value = t; reason.focus(); }}, t);
    }));
    var form = h('form', {cls: 'reassign', onsubmit: function (ev) {
      ev.preventDefault();
      if (!sel.value) { msg.textContent = t('Choose who they should see.'); sel.focus(); return; }
      if (!reason.value.trim()) { msg.textContent = t('Give a short reason.'); reason.focus(); return; }
      msg.textContent = '';
      var to = sel.value === '-reception' ? null : sel.value;
      var w = to && worker(to);
      setPending(li, 'reassign', {worker_id: to, reason: reason.value.trim()},
        w ? t('Reassigned to {name}', {name: w.name}) : t('Reassigned to reception'));
    }},
      h('div', {cls: 'field'}, h('label', {'for': fid + '-w'}, t('See instead')), sel),
      h('div', {cls: 'field'}, h('label', {'for': fid + '-r'}, t('Reason (short)')), reason),
      chips,
      h('div', {cls: 'form-actions'},
        h('button', {type: 'submit', cls: 'primary'}, t('Reassign')),
        h('button', {type: 'button', onclick: function () { form.hidden = true; p.actions.querySelectorAll('button')[1].focus(); }}, t('Cancel'))),
      msg);
    form._fill = fill;
    form.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') { form.hidden = true; p.actions.querySelectorAll('button')[1].focus(); }
    });
    p.form = form;
    li.insertBefore(form, p.pendingBar);
    sel.focus();
  }

  /* ---------- workers' strip ---------- */

  function paintStrip() {
    var list = $('strip-list');
    var open = list.querySelector('.editing');
    if (open && open.contains(document.activeElement)) return; // do not repaint under the user
    var ws = workers();
    var count = {available: 0, busy: 0, away: 0, off: 0};
    ws.forEach(function (w) { count[w.status] = (count[w.status] || 0) + 1; });
    $('strip-sum').textContent = ['available', 'busy', 'away', 'off'].map(function (k) {
      return I.num(count[k]) + ' ' + STATUS[k].toLowerCase();
    }).join(' \u00B7 ');
    var act = document.activeElement;
    var focusSel = act && act.getAttribute('data-wid') ? '[data-wid="' + act.getAttribute('data-wid') + '"]'
      : act && act.getAttribute('data-next') ? '[data-next="' + act.getAttribute('data-next') + '"]' : '';
    clear(list);
    ws.forEach(function (w) {
      var li = h('li', {cls: 'worker st-' + w.status, 'data-worker': w.id},
        h('div', {cls: 'w-line'}, h('strong', {}, w.name), statusPill(w.status)),
        h('div', {cls: 'w-line small'}, h('span', {}, deskOf(w) + (w.duty ? ' \u00B7 ' + t('duty worker') : '') +
          ' \u00B7 ' + t('{n} waiting', {n: I.num(waitingFor(w.id))})),
          h('span', {cls: 'w-acts'},
            waitingFor(w.id) ? h('button', {type: 'button', cls: 'link call-next', 'data-next': w.id,
              'aria-label': t('Call next for {name}', {name: w.name}), onclick: function (ev) { callNextFor(w, ev.currentTarget); }}, t('Call next')) : null,
            h('button', {type: 'button', cls: 'link', 'data-wid': w.id,
              'aria-label': t('Change status or desk of {name}', {name: w.name}), onclick: function () { editWorker(li, w); }}, t('Change')))));
      list.appendChild(li);
    });
    if (focusSel) {
      var b = list.querySelector(focusSel) || list.querySelector('[data-wid="' + (act.getAttribute('data-next') || '') + '"]');
      if (b) b.focus();
    }
    Array.prototype.forEach.call(document.querySelectorAll('form.reassign'), function (f) {
      if (!f.contains(document.activeElement)) f._fill();
    });
  }

  function editWorker(li, w) {
    var id = 'ed-' + w.id;
    var sel = h('select', {id: id + '-s'}, Object.keys(STATUS).map(function (k) {
      return h('option', {value: k, selected: k === w.status}, STATUS[k]);
    }));
    var desk = h('input', {id: id + '-d', type: 'text', value: w.desk, maxlength: '40', size: '10'});
    var msg = h('p', {cls: 'msg', role: 'alert'});
    var form = h('form', {cls: 'w-edit', onsubmit: function (ev) {
      ev.preventDefault();
      var body = {};
      if (sel.value !== w.status) body.status = sel.value;
      if (desk.value.trim() && desk.value.trim() !== w.desk) body.desk = desk.value.trim();
      if (!Object.keys(body).length) { li.classList.remove('editing'); paintStrip(); return; }
      msg.textContent = t('Saving\u2026');
      api('PATCH', '/workers/' + encodeURIComponent(w.id), body).then(function (r) {
        if (r.status !== 200) { msg.textContent = t('Not saved: {why}', {why: errText(r)}); return; }
        w.status = r.data.status; w.desk = r.data.desk;
        li.classList.remove('editing');
        say(t('{name} is now {status}, {desk}.', {name: w.name, status: STATUS[w.status].toLowerCase(), desk: r.data.desk}));
        S.etag = '';
        loadDirectory().then(function () {
          paintStrip(); refreshBoardCards();
          var b = $('strip-list').querySelector('[data-wid="' + w.id + '"]');
          if (b) b.focus();
        });
      });
    }},
      h('div', {cls: 'field'}, h('label', {'for': id + '-s'}, t('Status')), sel),
      h('div', {cls: 'field'}, h('label', {'for': id + '-d'}, t('Desk')), desk),
      h('div', {cls: 'form-actions'}, h('button', {type: 'submit', cls: 'primary'}, t('Save')),
        h('button', {type: 'button', onclick: function () { li.classList.remove('editing'); paintStrip(); }}, t('Cancel'))),
      msg);
    li.classList.add('editing');
    li.appendChild(form);
    sel.focus();
  }

  /* ---------- a worker's own view ---------- */

  var mineBusy = false, mineFirst = true;

  function startMine() {
    show('mine');
    paintSound();
    loadDirectory().then(function () {
      paintWho();
      /* a worker token belongs to one worker (GET /me): that is whose list this is */
      if (S.workerId) return mineMain(S.workerId);
      if (S.role === 'worker') {
        return refuse('mine', t('this worker token belongs to no worker; ask for a new one ' +
          'made for you (hubd token worker NAME --worker ID)'));
      }
      /* no worker of its own (an administrator): choose whose list to show */
      var id = store.getItem('hub.worker');
      if (!id || !worker(id)) return pickMe();
      mineMain(id);
    });
  }

  function pickMe() {
    $('mine-pick').hidden = false;
    $('mine-main').hidden = true;
    var ul = clear($('mine-people'));
    workers().forEach(function (w) {
      ul.appendChild(h('li', {}, h('button', {type: 'button', onclick: function () {
        store.setItem('hub.worker', w.id);
        mineMain(w.id);
      }}, h('strong', {}, w.name), h('span', {}, w.role + ' \u00B7 ' + deskOf(w)))));
    });
    $('mine-h').setAttribute('tabindex', '-1');
    $('mine-h').focus();
  }

  function mineMain(id) {
    S.mineId = id;
    mineFirst = true;
    clear($('mine-seen'));
    $('mine-pick').hidden = true;
    $('mine-main').hidden = false;
    $('mine-change').hidden = !!S.workerId;
    paintMe(id);
    stopAll();
    follow(1500, function () { pollMine(id); }, id);
    every(5000, function () { pollSeen(id); });
    S.timers.push(setInterval(function () { loadDirectory().then(function (ch) { if (ch) paintMe(id); }); }, 5000));
  }

  function paintMe(id) {
    var w = worker(id);
    if (!w) return;
    $('mine-title').textContent = w.name + ' \u00B7 ' + w.desk;
    Array.prototype.forEach.call(document.querySelectorAll('#v-mine .seg button'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-status') === w.status ? 'true' : 'false');
    });
  }

  function pollMine(id) {
    if (mineBusy) return;
    mineBusy = true;
    api('GET', '/checkins?status=waiting&worker_id=' + encodeURIComponent(id)).then(function (r) {
      mineBusy = false;
      if (r.status === 403) return refuse('mine', r.data && r.data.error);
      if (r.status !== 200 || !r.data) { $('mine-state').textContent = errText(r); return; }
      $('mine-state').textContent = '';
      var items = sortBoard(r.data.checkins || []);
      var fresh = reconcile($('mine-list'), items, false);
      $('mine-count').textContent = '(' + items.length + ')';
      $('mine-next').disabled = items.length === 0;
      $('mine-next').textContent = items.length ? t('Call next ({n} waiting)', {n: I.num(items.length)}) : t('Call next');
      $('mine-empty').hidden = items.length > 0;
      fresh.forEach(function (c) {
        if (S.seen[c.id]) return;
        S.seen[c.id] = true;
        say(t(c.urgent ? 'Urgent: ticket {ticket}' : 'Someone is here for you: ticket {ticket}',
          {ticket: c.ticket + (c.name ? ', ' + c.name : '')}), c.urgent);
        if (!mineFirst) tone();
      });
      mineFirst = false;
    });
  }

  /* ---------- a worker calls the next resident, and records how it went ---------- */

  var RESULTS = [['helped', t('Helped')], ['partly', t('Partly')], ['referred', t('Referred')], ['not_helped', t('Not helped')]];
  var RESULT_TEXT = {helped: t('Helped'), partly: t('Partly helped'), referred: t('Referred on'), not_helped: t('Not helped')};
  var seenBusy = false;

  function callNext() {
    var id = S.mineId;
    if (!id) return;
    var btn = $('mine-next'), msg = $('mine-next-msg');
    btn.disabled = true;
    msg.textContent = t('Calling\u2026');
    api('POST', '/workers/' + encodeURIComponent(id) + '/next', {}).then(function (r) {
      btn.disabled = false;
      if (r.status === 403) return refuse('mine', r.data && r.data.error);
      if (r.status !== 200 || !r.data) { msg.textContent = t('Not called: {why}', {why: errText(r)}); return; }
      var c = r.data.checkin;
      msg.textContent = c ? t('Ticket {ticket} is yours now. {n} still waiting.', {ticket: c.ticket + (c.name ? ', ' + c.name : ''),
        n: I.num(r.data.waiting)}) : t('No one is waiting for you.');
      if (c) {
        S.seen[c.id] = true;
        var li = seenCard(c);
        $('mine-seen').insertBefore(li, $('mine-seen').firstChild);
        $('seen-empty').hidden = true;
        li.querySelector('.outcome button').focus();
      }
      pollMine(id);
      pollSeen(id);
    });
  }

  /* A resident seen today, with the two-tap outcome: how it went, then follow-up yes/no. */
  function seenCard(c) {
    var li = cardFor(c, false);
    li.classList.add('seen-card');
    var box = h('div', {cls: 'outcome'});
    li.appendChild(box);
    li._paintOutcome = function (cc) { paintOutcome(li, box, cc); };
    li._paintOutcome(c);
    return li;
  }

  /* force: repaint even while focus is inside (the worker's own tap, not a poll). */
  function paintOutcome(li, box, c, force) {
    li._c = c;
    if (!force && box.contains(document.activeElement)) return; // mid-choice: leave it
    clear(box);
    if (c.result && !box._editing) {
      box.appendChild(h('p', {cls: 'saved'}, h('span', {'aria-hidden': 'true'}, '\u2713 '),
        RESULT_TEXT[c.result] + ' \u00B7 ' + (c.follow_up ? t('follow-up needed') : t('no follow-up')), ' ',
        h('button', {type: 'button', cls: 'link', onclick: function () { box._editing = true; paintOutcome(li, box, c, true); box.querySelector('button').focus(); }},
          t('Change'))));
      return;
    }
    var picked = null;
    var q1 = h('fieldset', {cls: 'seg small'}, h('legend', {}, t('How did it go for ticket {ticket}?', {ticket: c.ticket})));
    var q2 = h('fieldset', {cls: 'seg small', hidden: true}, h('legend', {}, t('Does someone need to follow up?')));
    var msg = h('p', {cls: 'msg', role: 'status'});
    RESULTS.forEach(function (rr) {
      q1.appendChild(h('button', {type: 'button', 'aria-pressed': 'false', 'data-result': rr[0], onclick: function (ev) {
        picked = rr[0];
        Array.prototype.forEach.call(q1.querySelectorAll('button'), function (b) {
          b.setAttribute('aria-pressed', b === ev.currentTarget ? 'true' : 'false');
        });
        q2.hidden = false;
        q2.querySelector('button').focus();
      }}, rr[1]));
    });
    [[true, t('Yes, follow up')], [false, t('No')]].forEach(function (f) {
      q2.appendChild(h('button', {type: 'button', 'data-follow': f[0] ? 'yes' : 'no', onclick: function () {
        if (!picked) return;
        msg.textContent = t('Saving\u2026');
        api('POST', '/checkins/' + c.id + '/outcome', {result: picked, follow_up: f[0]}).then(function (r) {
          if (r.status !== 200 && r.status !== 201) { msg.textContent = t('Not saved: {why}', {why: errText(r)}); return; }
          box._editing = false;
          say(t('Saved for ticket {ticket}: {result}.', {ticket: c.ticket, result: RESULT_TEXT[picked]}));
          paintOutcome(li, box, Object.assign({}, c, {result: picked, follow_up: f[0]}), true);
        });
      }}, f[1]));
    });
    box.appendChild(q1);
    box.appendChild(q2);
    box.appendChild(msg);
  }

  function pollSeen(id) {
    if (seenBusy) return;
    seenBusy = true;
    api('GET', '/checkins?status=introduced&worker_id=' + encodeURIComponent(id)).then(function (r) {
      seenBusy = false;
      if (r.status !== 200 || !r.data) return;
      var list = $('mine-seen'), have = {};
      Array.prototype.forEach.call(list.children, function (li) { have[li.getAttribute('data-id')] = li; });
      var items = r.data.checkins || [];
      items.forEach(function (c, i) {
        var li = have[c.id];
        if (li) { updateCard(li, c); li._paintOutcome(c); }
        else li = seenCard(c);
        if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
      });
      $('seen-count').textContent = '(' + items.length + ')';
      $('seen-empty').hidden = items.length > 0;
    });
  }

  function setMyStatus(st) {
    var id = S.mineId;
    if (!id) return;
    var msg = $('mine-status-msg');
    msg.textContent = ' \u2013 ' + t('saving\u2026');
    api('PATCH', '/workers/' + encodeURIComponent(id), {status: st}).then(function (r) {
      if (r.status === 403) return refuse('mine', r.data && r.data.error);
      if (r.status !== 200) { msg.textContent = ' \u2013 ' + t('not saved: {why}', {why: errText(r)}); return; }
      var w = worker(id);
      if (w) w.status = r.data.status;
      msg.textContent = ' \u2013 ' + t('saved');
      setTimeout(function () { msg.textContent = ''; }, 2500);
      S.etag = '';
      paintMe(id);
    });
  }

  /* ---------- dashboard (loaded only when needed) ---------- */

  function startDashboard() {
    show('dashboard');
    var go = function () {
      window.HubDashboard.start({api: api, h: h, clear: clear, refuse: refuse, needLabel: needLabel,
        domainLabel: domainLabel, loadDirectory: loadDirectory, workers: workers, say: say,
        every: every});
    };
    if (window.HubDashboard) return go();
    /* its Welsh first (i18n-dashboard.js), then the dashboard itself */
    var load = function (src, then) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = then;
      s.onerror = function () { $('v-dashboard').textContent = t('The dashboard could not be loaded.'); };
      document.head.appendChild(s);
    };
    load('i18n-dashboard.js', function () { load('dashboard.js', go); });
  }

  /* ---------- wiring ---------- */

  function init() {
    I.apply(document);
    I.wire($('lang-switch'));
    $('signin-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = $('token').value.trim();
      if (!t) { $('signin-msg').textContent = I.t('Enter your staff token.'); $('token').focus(); return; }
      audioReady();
      signIn(t);
    });
    $('signout').addEventListener('click', function () { signOut(''); });
    document.querySelector('[data-signout]').addEventListener('click', function () { signOut(''); });
    $('sound').addEventListener('click', function () {
      S.sound = !S.sound;
      store.setItem('hub.sound', S.sound ? 'on' : 'off');
      if (S.sound) audioReady();
      paintSound();
    });
    Array.prototype.forEach.call(document.querySelectorAll('#v-mine .seg button'), function (b) {
      b.addEventListener('click', function () { setMyStatus(b.getAttribute('data-status')); });
    });
    $('mine-next').addEventListener('click', callNext);
    $('board-filter').addEventListener('input', boardFilter);
    $('board-group').addEventListener('change', function () { store.setItem('hub.group', this.checked ? '1' : ''); pollBoard(); });
    $('board-group').checked = store.getItem('hub.group') === '1';
    $('mine-change').addEventListener('click', function () {
      store.removeItem('hub.worker'); S.mineId = null; stopAll(); clear($('mine-list')); pickMe();
    });
    window.addEventListener('hashchange', route);
    window.addEventListener('pagehide', flushPending);
    $('refused-h').setAttribute('tabindex', '-1');
    if (S.token) signIn(S.token);
    else { show('signin'); }
  }

  init();
})();
