/* live.js — the console's live board: hubd's GET /api/v1/events read as a stream (fetch, so
 * the token goes in the Authorization header as on every other call) and parsed as
 * Server-Sent Events. Each change refreshes the screen at once; while the stream is down the
 * screen polls instead, and the stream is tried again, backing off. The worker's view shows
 * "X is here for you" (ticket and name as their list shows them) when one arrives for them. */
'use strict';

(function () {
  var PATH = '/api/v1/events';
  var SAFETY_MS = 30000;  // a poll now and then even while live: nothing is missed for long
  var SILENT_MS = 15000;  // hubd sends a comment every 5 s: this long without a byte is a dead stream
  var RETRY_MS = [1000, 2000, 5000, 10000, 30000];
  var SHOW_MS = 120000;   // how long the arrival notice stays
  var WORDS = {
    en: {
      here: function (ticket, name) {
        return name ? 'Ticket ' + ticket + ' \u00B7 ' + name + ' is here for you' : 'Ticket ' + ticket + ' is here for you';
      },
      live: 'Live', polling: 'Updating every few seconds'
    },
    cy: {
      here: function (ticket, name) {
        return name ? 'Tocyn ' + ticket + ' \u00B7 Mae ' + name + ' yma i\u2019ch gweld chi'
          : 'Mae tocyn ' + ticket + ' yma i\u2019ch gweld chi';
      },
      live: 'Byw', polling: 'Yn diweddaru bob ychydig eiliadau'
    }
  };

  function words() {
    var lang = (document.documentElement.getAttribute('lang') || 'en').slice(0, 2);
    return WORDS[lang] || WORDS.en;
  }

  /* Splits a stream's text into messages: calls fn(kind, data, id) for each event and
   * fn('', '', '') for a comment; returns what is left over (a message not yet whole). */
  function parse(text, fn) {
    var at;
    while ((at = text.indexOf('\n\n')) >= 0) {
      var block = text.slice(0, at), kind = 'message', data = [], id = '', fields = 0;
      text = text.slice(at + 2);
      block.split('\n').forEach(function (line) {
        var colon = line.indexOf(':');
        if (colon === 0) return; // a comment: the heartbeat
        var key = colon < 0 ? line : line.slice(0, colon);
        var val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields++;
        if (key === 'event') kind = val;
        else if (key === 'data') data.push(val);
        else if (key === 'id') id = val;
      });
      if (fields) fn(kind, data.join('\n'), id);
      else fn('', '', '');
    }
    return text;
  }

  /* The notice over the worker's list: "Ticket H-A07 · Sian Evans is here for you". */
  function notice() {
    var el = document.getElementById('mine-arrival');
    if (el) return el;
    var main = document.getElementById('mine-main');
    if (!main) return null;
    el = document.createElement('p');
    el.id = 'mine-arrival';
    el.className = 'arrival';
    el.setAttribute('role', 'status');
    el.hidden = true;
    el.style.cssText = '';
    el.style.fontSize = '1.25rem';
    el.style.fontWeight = '700';
    el.style.padding = '0.75rem 1rem';
    el.style.margin = '0.5rem 0';
    el.style.borderLeft = '0.5rem solid currentColor';
    el.style.background = '#fff8d6';
    el.style.color = '#3d2f00';
    var bar = main.querySelector('.next-bar');
    main.insertBefore(el, bar || main.firstChild);
    return el;
  }

  /* Once the card of check-in id is on the worker's list, says who is here, as it shows them. */
  function announce(id, tries) {
    var list = document.getElementById('mine-list');
    var li = list && Array.prototype.filter.call(list.children, function (x) {
      return x.getAttribute('data-id') === id;
    })[0];
    if (!li || !li._c) {
      if (tries > 0) setTimeout(function () { announce(id, tries - 1); }, 100);
      return;
    }
    var c = li._c, w = words(), el = notice();
    if (!el) return;
    el.textContent = w.here(c.ticket, c.name);
    el.hidden = false;
    el.classList.toggle('urgent', !!c.urgent);
    clearTimeout(el._hide);
    el._hide = setTimeout(function () { el.hidden = true; }, SHOW_MS);
  }

  /* Follows the hub's changes. o: {token, refresh (reloads what the screen shows), pollMs (how
   * often while the stream is down), worker (the worker view's worker id, or none), onEvent
   * (optional: called with each event's kind and parsed data, a resync's too)}. Returns
   * {stop}. document.body's data-live says "on" while the stream is up, "off" while polling. */
  function follow(o) {
    var stopped = false, lastId = '', tries = 0, poller = null, safety = null, watchdog = null;
    var ctrl = null, queued = false;

    function state(live) {
      document.body.setAttribute('data-live', live ? 'on' : 'off');
      var el = document.getElementById('live-state');
      if (el) el.textContent = live ? words().live : words().polling;
    }
    function polling(on) {
      if (on && !poller) poller = setInterval(o.refresh, o.pollMs);
      if (!on && poller) { clearInterval(poller); poller = null; }
    }
    /* a burst of changes (a kiosk's batch) refreshes once */
    function soon() {
      if (queued) return;
      queued = true;
      setTimeout(function () { queued = false; if (!stopped) o.refresh(); }, 60);
    }
    function alive() {
      clearTimeout(watchdog);
      watchdog = setTimeout(function () { if (ctrl) ctrl.abort(); }, SILENT_MS);
    }
    function onMessage(kind, data, id) {
      alive();
      if (!kind) return; // the heartbeat
      if (id) lastId = id;
      var d = null;
      try { d = JSON.parse(data); } catch (e) { d = null; }
      if (o.onEvent) o.onEvent(kind, d);
      if (kind === 'kiosk') return; // a kiosk's counts: nothing on the board or the list moved
      soon();
      if (o.worker && d && d.id && (kind === 'checkin' || kind === 'reassign') && d.worker_id === o.worker) {
        announce(d.id, 50);
      }
    }
    function down() {
      clearTimeout(watchdog);
      if (stopped) return;
      state(false);
      polling(true);
      o.refresh();
      setTimeout(connect, RETRY_MS[Math.min(tries, RETRY_MS.length - 1)]);
      tries++;
    }
    function connect() {
      if (stopped) return;
      if (!window.fetch || !window.ReadableStream || !window.TextDecoder || !window.AbortController) {
        state(false);
        polling(true);
        return;
      }
      ctrl = new AbortController();
      var headers = {Authorization: 'Bearer ' + o.token, Accept: 'text/event-stream'};
      if (lastId) headers['Last-Event-ID'] = lastId;
      fetch(PATH, {headers: headers, cache: 'no-store', signal: ctrl.signal}).then(function (res) {
        if (res.status !== 200 || !res.body) throw new Error('no stream: ' + res.status);
        tries = 0;
        state(true);
        polling(false);
        o.refresh(); // what changed while it was down
        alive();
        var reader = res.body.getReader(), dec = new TextDecoder(), rest = '';
        function pump() {
          return reader.read().then(function (r) {
            if (r.done) throw new Error('the stream ended');
            rest = parse(rest + dec.decode(r.value, {stream: true}), onMessage);
            if (!stopped) return pump();
          });
        }
        return pump();
      }).catch(down);
    }

    state(false);
    o.refresh();
    safety = setInterval(function () { if (!poller) o.refresh(); }, SAFETY_MS);
    connect();
    return {
      stop: function () {
        stopped = true;
        clearTimeout(watchdog);
        clearInterval(safety);
        polling(false);
        if (ctrl) ctrl.abort();
        document.body.removeAttribute('data-live');
        var el = document.getElementById('live-state');
        if (el) el.textContent = '';
      }
    };
  }

  window.HubLive = {follow: follow, parse: parse};
})();
