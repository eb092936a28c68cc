/* kiosks.js — reception's alert about the hub's kiosks (GET /api/v1/kiosks): a kiosk that
 * holds check-ins hubd refused (set aside: those residents are not on the board), and a kiosk
 * that has not been in touch for over 5 minutes while the hub is open. Reloaded on each
 * `kiosk` event of the live board (live.js) and every 30 s whatever the stream does. */
'use strict';

window.HubKiosks = (function () {
  var POLL_MS = 30000;          // GET /kiosks this often, live or not
  var SILENT_MS = 5 * 60000;    // a kiosk not heard from for longer is out of touch
  var REPAINT_MS = 5000;        // silence grows, the hub opens or closes: looked at again this often

  /* "“door” (A)": the kiosk's token name, and its code when it has one. */
  function kioskName(k) {
    return '\u201C' + k.name + '\u201D' + (k.code ? ' (' + k.code + ')' : '');
  }

  /* The alerts for kiosks (in this order: set aside first, then out of touch), in the console's
   * words. now: hubd's clock in ms; open: whether the hub is open now. */
  function alerts(kiosks, now, open) {
    var I = window.HubI18n, t = I.t, out = [];
    kiosks.forEach(function (k) {
      if (k.set_aside > 0) {
        out.push({kind: 'set-aside', name: k.name, text: k.set_aside === 1
          ? t('The kiosk {kiosk} holds 1 check-in it could not send. Ask at the kiosk\u2019s staff screen.', {kiosk: kioskName(k)})
          : t('The kiosk {kiosk} holds {n} check-ins it could not send. Ask at the kiosk\u2019s staff screen.',
            {kiosk: kioskName(k), n: I.num(k.set_aside)})});
      }
    });
    kiosks.forEach(function (k) {
      var seen = Date.parse(k.last_seen);
      if (!open || isNaN(seen) || now - seen <= SILENT_MS) return;
      var d = new Date(seen);
      var when = d.toDateString() === new Date(now).toDateString() ? I.time(d)
        : I.date(d, {weekday: 'short', day: 'numeric', month: 'short'}) + ' ' + I.time(d);
      out.push({kind: 'silent', name: k.name,
        text: t('The kiosk {kiosk} has not been in touch since {time}.', {kiosk: kioskName(k), time: when})});
    });
    return out;
  }

  /* Watches the hub's kiosks into box (a live region, empty while all is well). o: {api (the
   * console's api(method, path)), box, open (a function: is the hub open now?)}. Returns
   * {stop, onEvent (give it each live event: kind, data), refresh}. */
  function watch(o) {
    var kiosks = [], skew = 0, busy = false, stopped = false, shown = '';

    function paint() {
      if (stopped) return;
      var list = alerts(kiosks, Date.now() + skew, o.open());
      var key = list.map(function (a) { return a.kind + ':' + a.text; }).join('\n');
      if (key === shown) return; // unchanged: nothing read out again
      shown = key;
      while (o.box.firstChild) o.box.removeChild(o.box.firstChild);
      list.forEach(function (a) {
        var p = document.createElement('p');
        p.className = 'kiosk-alert ' + a.kind;
        p.setAttribute('data-kiosk', a.name);
        var mark = document.createElement('span');
        mark.setAttribute('aria-hidden', 'true');
        mark.textContent = '\u26A0 ';
        p.appendChild(mark);
        p.appendChild(document.createTextNode(a.text));
        o.box.appendChild(p);
      });
    }
    function refresh() {
      if (busy || stopped) return;
      busy = true;
      o.api('GET', '/kiosks').then(function (r) {
        busy = false;
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.kiosks)) return; // keep what is shown
        var at = r.headers && Date.parse(r.headers.get('Date') || '');
        skew = at && !isNaN(at) ? at - Date.now() : 0; // silence by hubd's clock, to the second
        kiosks = r.data.kiosks;
        paint();
      });
    }
    var poller = setInterval(refresh, POLL_MS), painter = setInterval(paint, REPAINT_MS);
    refresh();
    return {
      refresh: refresh,
      onEvent: function (kind) { if (kind === 'kiosk' || kind === 'resync') refresh(); },
      stop: function () {
        stopped = true;
        clearInterval(poller);
        clearInterval(painter);
      }
    };
  }

  return {watch: watch, alerts: alerts};
})();
