/* dashboard.js — the hub manager's demand dashboard: one GET /reports/demand for a date range
 * (its by_day series, hour x weekday grid, waits per topic and worker, unmet needs by need),
 * drawn as hand-written SVG charts (Okabe-Ito colours plus patterns and text labels), and CSV
 * export.
 * Only coded data is shown: needs, topics, hours, languages, workers; never a resident's words. */
'use strict';

window.HubDashboard = (function () {
  var C, root, els = {}, built = false, seq = 0;
  var NS = 'http://www.w3.org/2000/svg';
  var DOMAINS = [
    {key: 'housing', color: '#0072B2', pattern: 'solid'},
    {key: 'health', color: '#009E73', pattern: 'stripes'},
    {key: 'benefits', color: '#E69F00', pattern: 'dots'},
    {key: 'none', color: '#CC79A7', pattern: 'cross'}
  ];
  var WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  var I = window.HubI18n, tx = I.t; // the console's words in Welsh and English (i18n.js)
  /* Monday first, in the console's language */
  var WEEKDAY_NAMES = [1, 2, 3, 4, 5, 6, 7].map(function (d) { return I.date(new Date(2024, 0, d), {weekday: 'long'}); });
  var WEEKDAY_SHORT = [1, 2, 3, 4, 5, 6, 7].map(function (d) { return I.date(new Date(2024, 0, d), {weekday: 'short'}); });
  /* The words that name a bucket of days, per unit (day, week, month). */
  var PER = {
    day: {bars: tx('Arrivals by topic per day'), went: tx('How it went per day'), head: tx('Day'),
      desc: tx('Stacked bars, one per day, split by topic. Totals are written above each bar.'),
      axis: tx('Each bar: one day. Height: arrivals by topic.')},
    week: {bars: tx('Arrivals by topic per week'), went: tx('How it went per week'), head: tx('Starting'),
      desc: tx('Stacked bars, one per week, split by topic. Totals are written above each bar.'),
      axis: tx('Each bar: one week (starting on the date shown). Height: arrivals by topic.')},
    month: {bars: tx('Arrivals by topic per month'), went: tx('How it went per month'), head: tx('Starting'),
      desc: tx('Stacked bars, one per month, split by topic. Totals are written above each bar.'),
      axis: tx('Each bar: one month (starting on the date shown). Height: arrivals by topic.')}
  };
  var MAX_BUCKETS = 62;

  /* ---------- dates ---------- */
  function iso(d) {
    return d.getFullYear() + '-' + ('0' + (d.getMonth() + 1)).slice(-2) + '-' + ('0' + d.getDate()).slice(-2);
  }
  function parse(s) { var p = s.split('-'); return new Date(+p[0], +p[1] - 1, +p[2]); }
  function addDays(d, n) { var x = new Date(d); x.setDate(x.getDate() + n); return x; }
  function daysBetween(a, b) { return Math.round((parse(b) - parse(a)) / 86400000); }
  function short(s) { return I.date(parse(s), {day: 'numeric', month: 'short'}); }

  /* Splits [from, to] into at most MAX_BUCKETS ranges of whole days (days, weeks or months). */
  function buckets(from, to) {
    var n = daysBetween(from, to) + 1, out = [], d = parse(from), end = parse(to);
    var step = n <= MAX_BUCKETS ? 1 : n <= 7 * MAX_BUCKETS ? 7 : 0;
    while (d <= end) {
      var e = step ? addDays(d, step - 1) : new Date(d.getFullYear(), d.getMonth() + 1, 0);
      if (e > end) e = end;
      out.push({from: iso(d), to: iso(e), unit: step === 1 ? 'day' : step === 7 ? 'week' : 'month'});
      d = addDays(e, 1);
    }
    return out;
  }

  /* ---------- SVG helpers ---------- */
  function s(tag, attrs, kids) {
    var el = document.createElementNS(NS, tag);
    for (var k in attrs || {}) if (attrs[k] != null) el.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) {
      if (c == null) return;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return el;
  }
  function text(x, y, str, attrs, full) {
    var a = {x: x, y: y};
    for (var k in attrs || {}) a[k] = attrs[k];
    return s('text', a, [str, full && full !== str ? s('title', {}, [full]) : null]);
  }
  /* Shortens a label to fit about px pixels of 13px text (the full label stays as a tooltip and in the table). */
  function clip(str, px) {
    var max = Math.floor((px - 12) / 7);
    return str.length > max ? str.slice(0, Math.max(4, max - 1)) + '\u2026' : str;
  }
  function defs() {
    var d = s('defs');
    DOMAINS.forEach(function (dm) {
      var p = s('pattern', {id: 'pat-' + dm.key, patternUnits: 'userSpaceOnUse', width: 8, height: 8});
      p.appendChild(s('rect', {width: 8, height: 8, fill: dm.color}));
      if (dm.pattern === 'stripes') p.appendChild(s('path', {d: 'M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4', stroke: '#fff', 'stroke-width': 1.6}));
      if (dm.pattern === 'dots') p.appendChild(s('circle', {cx: 4, cy: 4, r: 1.6, fill: '#000', 'fill-opacity': 0.55}));
      if (dm.pattern === 'cross') p.appendChild(s('path', {d: 'M0,0 L8,8 M8,0 L0,8', stroke: '#fff', 'stroke-width': 1.3}));
      d.appendChild(p);
    });
    return d;
  }
  function svgBox(w, h, title, desc) {
    var id = 'c' + (++seq);
    var svg = s('svg', {viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img', 'aria-labelledby': id + 't ' + id + 'd',
      'class': 'chart', preserveAspectRatio: 'xMinYMin meet'});
    svg.appendChild(s('title', {id: id + 't'}, [title]));
    svg.appendChild(s('desc', {id: id + 'd'}, [desc]));
    svg.appendChild(defs());
    return svg;
  }
  function niceMax(v) {
    if (v <= 5) return Math.max(1, Math.ceil(v));
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function ticks(max) {
    var n = max <= 5 ? max : 5, out = [];
    for (var i = 0; i <= n; i++) out.push(Math.round(max * i / n * 10) / 10);
    return out;
  }
  function fmt(v) { return v == null ? '\u2013' : I.num(Math.round(v * 10) / 10); }
  function mins(v) { return tx('{n} min', {n: fmt(v)}); }

  /* A table with the same numbers as a chart, behind a disclosure. */
  function table(caption, head, rows) {
    var h = C.h;
    return h('details', {cls: 'as-table'}, h('summary', {}, tx('Show as a table')),
      h('table', {}, h('caption', {}, caption),
        h('thead', {}, h('tr', {}, head.map(function (x, i) { return h('th', {scope: 'col', cls: i ? 'num' : null}, x); }))),
        h('tbody', {}, rows.map(function (r) {
          return h('tr', {}, r.map(function (x, i) { return i ? h('td', {cls: 'num'}, String(x)) : h('th', {scope: 'row'}, String(x)); }));
        }))));
  }
  function legend(items) {
    var h = C.h;
    return h('ul', {cls: 'legend'}, items.map(function (it) {
      var sw = s('svg', {width: 18, height: 18, 'aria-hidden': 'true', focusable: 'false'});
      sw.appendChild(defs());
      if (it.line) {
        sw.appendChild(s('line', {x1: 1, y1: 9, x2: 17, y2: 9, stroke: it.color, 'stroke-width': 2.5, 'stroke-dasharray': it.dash || null}));
        sw.appendChild(it.marker === 'square' ? s('rect', {x: 5, y: 5, width: 8, height: 8, fill: it.color})
          : s('circle', {cx: 9, cy: 9, r: 4, fill: it.color}));
      } else {
        sw.appendChild(s('rect', {x: 1, y: 1, width: 16, height: 16, fill: 'url(#pat-' + it.key + ')', stroke: '#333'}));
      }
      return h('li', {}, sw, ' ' + it.label);
    }));
  }

  /* ---------- charts ---------- */

  function stackedBars(bks, per, title, W) {
    var H = 280, L = 44, R = 10, T = 14, B = 46;
    var totals = per.map(function (p) { return DOMAINS.reduce(function (a, d) { return a + (p[d.key] || 0); }, 0); });
    var max = niceMax(Math.max.apply(null, totals.concat([1])));
    var svg = svgBox(W, H, title, PER[bks[0].unit].desc);
    var pw = W - L - R, ph = H - T - B, bw = pw / bks.length;
    ticks(max).forEach(function (t) {
      var y = T + ph - ph * t / max;
      svg.appendChild(s('line', {x1: L, x2: W - R, y1: y, y2: y, stroke: '#d0d4da'}));
      svg.appendChild(text(L - 6, y + 4, fmt(t), {'text-anchor': 'end', 'class': 'tick'}));
    });
    var every = Math.ceil(bks.length / 12);
    bks.forEach(function (b, i) {
      var x = L + i * bw + bw * 0.15, w = Math.max(2, bw * 0.7), y = T + ph;
      DOMAINS.forEach(function (d) {
        var v = per[i][d.key] || 0;
        if (!v) return;
        var hh = ph * v / max;
        y -= hh;
        svg.appendChild(s('rect', {x: x, y: y, width: w, height: hh, fill: 'url(#pat-' + d.key + ')', stroke: '#fff', 'stroke-width': 0.8},
          [s('title', {}, [C.domainLabel(d.key) + ', ' + b.from + ': ' + v])]));
      });
      if (totals[i] && bw >= 14) svg.appendChild(text(x + w / 2, y - 3, totals[i], {'text-anchor': 'middle', 'class': 'val'}));
      if (i % every === 0) svg.appendChild(text(x + w / 2, H - B + 16, short(b.from), {'text-anchor': 'middle', 'class': 'tick'}));
    });
    svg.appendChild(s('line', {x1: L, x2: W - R, y1: T + ph, y2: T + ph, stroke: '#333'}));
    svg.appendChild(text(L, H - 6, PER[bks[0].unit].axis, {'class': 'axis'}));
    return svg;
  }

  function hbars(rows, title, opts) {
    opts = opts || {};
    var W = opts.W || 600, rowH = 26, T = 6, R = 40;
    var LW = Math.min(opts.labelW || 260, Math.round(W * 0.45));
    var H = T + rows.length * rowH + 6;
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    var svg = svgBox(W, H, title, tx('Horizontal bars, largest first, each labelled with its value.'));
    var pw = W - LW - R;
    rows.forEach(function (r, i) {
      var y = T + i * rowH;
      svg.appendChild(text(LW - 8, y + 17, clip(r.label, LW), {'text-anchor': 'end', 'class': 'lab'}, r.label));
      var w = Math.max(1, pw * r.value / max);
      svg.appendChild(s('rect', {x: LW, y: y + 4, width: w, height: rowH - 8, fill: r.fill || opts.fill || '#0072B2'}));
      svg.appendChild(text(LW + w + 6, y + 17, r.value, {'class': 'val'}));
    });
    return svg;
  }

  function heatmap(m, title, Wmax) {
    var hours = [], h0 = 24, h1 = -1;
    m.forEach(function (row) { row.forEach(function (v, hr) { if (v) { h0 = Math.min(h0, hr); h1 = Math.max(h1, hr); } }); });
    h0 = Math.min(h0, 8); h1 = Math.max(h1, 17);
    for (var x = h0; x <= h1; x++) hours.push(x);
    var ch = 30, L = 44, T = 24;
    var cw = Math.max(24, Math.min(44, Math.floor((Wmax - L - 8) / hours.length)));
    var W = L + hours.length * cw + 8, H = T + 7 * ch + 8;
    var max = Math.max.apply(null, [].concat.apply([], m).concat([1]));
    var svg = svgBox(W, H, title, tx('Rows are weekdays, columns are hours of the day; each cell shows its count and is darker when higher.'));
    hours.forEach(function (hr, j) { svg.appendChild(text(L + j * cw + cw / 2, T - 8, ('0' + hr).slice(-2), {'text-anchor': 'middle', 'class': 'tick'})); });
    WEEKDAY_NAMES.forEach(function (name, i) {
      svg.appendChild(text(L - 8, T + i * ch + ch / 2 + 5, WEEKDAY_SHORT[i], {'text-anchor': 'end', 'class': 'lab'}));
      hours.forEach(function (hr, j) {
        var v = m[i][hr], f = v / max;
        var rgb = v ? mixRgb([232, 241, 250], [0, 59, 112], 0.15 + 0.85 * f) : [255, 255, 255];
        var fill = 'rgb(' + rgb.join(',') + ')';
        svg.appendChild(s('rect', {x: L + j * cw, y: T + i * ch, width: cw - 2, height: ch - 2, fill: fill, stroke: '#c4cad2'},
          [s('title', {}, [name + ' ' + ('0' + hr).slice(-2) + ':00: ' + v])]));
        if (v) svg.appendChild(text(L + j * cw + (cw - 2) / 2, T + i * ch + ch / 2 + 4, v,
          {'text-anchor': 'middle', 'class': 'cell', fill: inkOn(rgb)}));
      });
    });
    return svg;
  }
  function mixRgb(a, b, t) { return a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }); }
  /* WCAG relative luminance; the cell's number takes whichever of white or near-black contrasts more. */
  function lum(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function inkOn(rgb) {
    var L = lum(rgb), dark = lum([11, 12, 12]);
    return (1.05 / (L + 0.05)) > ((L + 0.05) / (dark + 0.05)) ? '#fff' : '#0b0c0c';
  }

  /* ---------- page ---------- */

  function section(id, title, note, wide) {
    var h = C.h;
    var sec = h('section', {cls: 'panel' + (wide ? ' wide' : ''), 'aria-labelledby': id + '-h', id: id},
      h('h2', {id: id + '-h'}, title), note ? h('p', {cls: 'note'}, note) : null, h('div', {cls: 'body'}));
    return sec;
  }
  function body(sec) { return C.clear(sec.querySelector('.body')); }
  function widthOf(b) { return Math.max(280, Math.floor(b.clientWidth)); }

  function build() {
    var h = C.h;
    root = C.clear(document.getElementById('v-dashboard'));
    var today = new Date();
    els.from = h('input', {type: 'date', id: 'd-from', value: iso(addDays(today, -29)), required: true});
    els.to = h('input', {type: 'date', id: 'd-to', value: iso(today), required: true});
    els.state = h('p', {cls: 'state', role: 'status', id: 'd-state'});
    els.csv = h('button', {type: 'button', id: 'd-csv', onclick: downloadCsv}, tx('Download CSV'));
    var preset = function (label, days) {
      return h('button', {type: 'button', cls: 'chip', onclick: function () {
        els.from.value = iso(addDays(new Date(), -(days - 1))); els.to.value = iso(new Date()); load();
      }}, label);
    };
    root.appendChild(h('div', {cls: 'section-head'},
      h('h1', {id: 'dash-h'}, tx('Demand dashboard')),
      h('p', {cls: 'note'}, tx('What people came in for. Coded data only: no resident\u2019s name or words appear here.'))));
    root.appendChild(h('form', {cls: 'range', onsubmit: function (ev) { ev.preventDefault(); load(); }},
      h('div', {cls: 'field'}, h('label', {'for': 'd-from'}, tx('From')), els.from),
      h('div', {cls: 'field'}, h('label', {'for': 'd-to'}, tx('To')), els.to),
      h('button', {type: 'submit', cls: 'primary'}, tx('Show')),
      h('div', {cls: 'chips', role: 'group', 'aria-label': tx('Quick ranges')}, preset(tx('Today'), 1), preset(tx('Last 7 days'), 7),
        preset(tx('Last 30 days'), 30), preset(tx('Last 90 days'), 90)),
      els.csv));
    root.appendChild(els.state);
    els.kpis = h('ul', {cls: 'kpis', id: 'd-kpis', 'aria-label': tx('Totals for the range')});
    root.appendChild(els.kpis);
    els.time = section('d-time', tx('Demand by topic over time'), tx('An arrival about two topics counts once in each.'), true);
    els.need = section('d-need', tx('Demand by need'), tx('The whole range, largest first.'), true);
    els.heat = section('d-heat', tx('Arrivals by hour and weekday'));
    els.lang = section('d-lang', tx('Languages residents chose'));
    els.wait = section('d-wait', tx('Waiting, from arrival to introduction'));
    els.work = section('d-work', tx('Arrivals routed to each worker'));
    els.unmet = section('d-unmet', tx('Unmet needs'), tx('Each arrival counts once: no worker fitted, or no topic found.'));
    els.went = section('d-went', tx('How it went'), tx('The workers\u2019 two-tap outcomes, who left before being seen, and ' +
      'what residents told the kiosk on the way out.'), true);
    var grid = h('div', {cls: 'dash-grid'}, els.time, els.need, els.heat, els.wait, els.lang, els.work, els.unmet, els.went);
    root.appendChild(grid);
    built = true;
  }

  function get(from, to) {
    return C.api('GET', '/reports/demand?from=' + from + '&to=' + to);
  }

  var loading = 0;
  function load() {
    var from = els.from.value, to = els.to.value;
    if (!from || !to) { els.state.textContent = tx('Choose both dates.'); return; }
    if (to < from) { els.state.textContent = tx('\u201cTo\u201d must not be before \u201cFrom\u201d.'); els.to.focus(); return; }
    var my = ++loading;
    els.state.textContent = tx('Loading {from} to {to}\u2026', {from: short(from), to: short(to)});
    root.setAttribute('aria-busy', 'true');
    get(from, to).then(function (r) {
      if (my !== loading) return;
      if (r.status === 403) return C.refuse('dashboard', r.data && r.data.error);
      if (r.status !== 200 || !r.data) { els.state.textContent = tx('Could not load the report: {why}', {why: (r.data && r.data.error) || r.status}); return; }
      els.state.textContent = tx('Showing {from} to {to} ({days} days): {n} arrivals.', {from: short(from), to: short(to),
        days: I.num(daysBetween(from, to) + 1), n: I.num(r.data.total.checkins)});
      render(r.data, buckets(from, to));
      root.setAttribute('aria-busy', 'false');
      root.setAttribute('data-loaded', from + '..' + to);
    });
  }

  /* Arrivals per topic in each bucket, summed from the report's per-day series. */
  function perBucket(t, bks) {
    var days = t.by_day_domain || {};
    return bks.map(function (b) {
      var sum = {};
      for (var d = parse(b.from), end = parse(b.to); d <= end; d = addDays(d, 1)) {
        var day = days[iso(d)] || {};
        DOMAINS.forEach(function (dm) { sum[dm.key] = (sum[dm.key] || 0) + (day[dm.key] || 0); });
      }
      return sum;
    });
  }

  function entries(obj) {
    return Object.keys(obj || {}).map(function (k) { return {key: k, value: obj[k]}; })
      .sort(function (a, b) { return b.value - a.value || (a.key < b.key ? -1 : 1); });
  }
  function langName(code) {
    if (!code) return tx('Not recorded');
    var n = I.langName(code);
    return n && n !== code ? n + ' (' + code + ')' : code;
  }

  function kpi(label, value, note, key) {
    var h = C.h;
    return h('li', {'data-kpi': key}, h('span', {cls: 'k-val'}, typeof value === 'number' ? I.num(value) : String(value)), h('span', {cls: 'k-lab'}, label),
      note ? h('span', {cls: 'k-note'}, note) : null);
  }

  var last = null, lastW = 0;
  window.addEventListener('resize', function () {
    clearTimeout(last && last.timer);
    if (!last) return;
    last.timer = setTimeout(function () {
      if (root && !root.hidden && document.body.clientWidth !== lastW) render(last.t, last.bks);
    }, 250);
  });

  function render(t, bks) {
    var h = C.h;
    last = {t: t, bks: bks};
    lastW = document.body.clientWidth;
    var wm = t.wait_min || {};
    C.clear(els.kpis);
    [kpi(tx('arrivals'), t.total.checkins, null, 'checkins'),
      kpi(tx('urgent'), t.total.urgent, tx('seen straight away'), 'urgent'),
      kpi(tx('introduced'), t.outcomes.introduced, null, 'introduced'),
      kpi(tx('still waiting'), t.outcomes.waiting, null, 'waiting'),
      kpi(tx('reassigned'), t.outcomes.reassigned, tx('to another worker'), 'reassigned'),
      kpi(tx('median wait'), wm.median == null ? '\u2013' : mins(wm.median), tx('{n} introduced', {n: I.num(wm.count)}), 'median'),
      kpi(tx('90th percentile wait'), wm.p90 == null ? '\u2013' : mins(wm.p90), tx('9 in 10 waited less'), 'p90')
    ].forEach(function (li) { els.kpis.appendChild(li); });

    /* topic over time */
    var per = perBucket(t, bks);
    var b = body(els.time);
    if (!t.total.checkins) b.appendChild(h('p', {cls: 'empty'}, tx('No arrivals in this range.')));
    else {
      b.appendChild(legend(DOMAINS.map(function (d) { return {key: d.key, label: C.domainLabel(d.key)}; })));
      b.appendChild(stackedBars(bks, per, PER[bks[0].unit].bars, widthOf(b)));
      b.appendChild(table(PER[bks[0].unit].bars, [PER[bks[0].unit].head].concat(DOMAINS.map(function (d) { return C.domainLabel(d.key); })),
        bks.map(function (bk, i) { return [bk.from].concat(DOMAINS.map(function (d) { return per[i][d.key] || 0; })); })));
    }

    /* needs */
    b = body(els.need);
    var needs = entries(t.by_need);
    if (!needs.length) b.appendChild(h('p', {cls: 'empty'}, tx('No needs recorded in this range.')));
    else {
      var rows = needs.slice(0, 15).map(function (e) { return {label: C.needLabel(e.key), value: e.value}; });
      b.appendChild(hbars(rows, tx('Arrivals by need, largest first'), {labelW: 290, W: widthOf(b)}));
      if (needs.length > 15) b.appendChild(h('p', {cls: 'note'}, tx('{n} more needs in the table.', {n: I.num(needs.length - 15)})));
      b.appendChild(table(tx('Arrivals by need'), [tx('Need'), tx('Arrivals')], needs.map(function (e) { return [C.needLabel(e.key), e.value]; })));
    }

    /* heatmap: the report's hour x weekday grid (hub-local time) */
    b = body(els.heat);
    var grid = t.by_weekday_hour || {};
    var m = WEEKDAYS.map(function (k) {
      var row = grid[k] || [];
      var r = [];
      for (var i = 0; i < 24; i++) r.push(row[i] || 0);
      return r;
    });
    b.appendChild(heatmap(m, tx('Arrivals by weekday and hour'), widthOf(b)));
    b.appendChild(table(tx('Arrivals by weekday and hour'), [tx('Weekday'), tx('Total'), tx('Busiest hour')],
      WEEKDAY_NAMES.map(function (n, i) {
        var tot = m[i].reduce(function (a, v) { return a + v; }, 0), best = m[i].indexOf(Math.max.apply(null, m[i]));
        return [n, tot, tot ? ('0' + best).slice(-2) + ':00' : '\u2013'];
      })));

    /* languages */
    b = body(els.lang);
    var langs = entries(t.by_lang);
    if (!langs.length) b.appendChild(h('p', {cls: 'empty'}, tx('No arrivals in this range.')));
    else {
      b.appendChild(hbars(langs.map(function (e) { return {label: langName(e.key), value: e.value, fill: '#56B4E9'}; }), tx('Arrivals by language'), {labelW: 200, W: widthOf(b)}));
      b.appendChild(table(tx('Arrivals by language'), [tx('Language'), tx('Arrivals')], langs.map(function (e) { return [langName(e.key), e.value]; })));
    }

    /* waits */
    b = body(els.wait);
    b.appendChild(h('dl', {cls: 'waits'},
      h('dt', {}, tx('Median')), h('dd', {}, wm.median == null ? tx('no introductions yet') : mins(wm.median)),
      h('dt', {}, tx('90th percentile')), h('dd', {}, wm.p90 == null ? '\u2013' : mins(wm.p90)),
      h('dt', {}, tx('Introductions counted')), h('dd', {}, I.num(wm.count || 0))));
    var names = {};
    C.workers().forEach(function (w) { names[w.id] = w.name; });
    var workerLabel = function (k) { return k === 'reception' ? tx('Reception (no one named)') : names[k] || k; };
    waitGroup(b, t.wait_by_domain, tx('By topic'), tx('Topic'), C.domainLabel, 'd-wait-domain');
    waitGroup(b, t.wait_by_worker, tx('By worker'), tx('Worker'), workerLabel, 'd-wait-worker');

    /* workers */
    b = body(els.work);
    var ws = entries(t.by_worker);
    if (!ws.length) b.appendChild(h('p', {cls: 'empty'}, tx('No arrivals in this range.')));
    else {
      var lab = workerLabel;
      b.appendChild(hbars(ws.map(function (e) { return {label: lab(e.key), value: e.value, fill: '#009E73'}; }), tx('Arrivals per worker'), {labelW: 220, W: widthOf(b)}));
      b.appendChild(table(tx('Arrivals per worker'), [tx('Worker'), tx('Arrivals')], ws.map(function (e) { return [lab(e.key), e.value]; })));
    }

    /* unmet */
    b = body(els.unmet);
    var un = t.unmet || {};
    var ul = h('ul', {cls: 'kpis small', id: 'd-unmet-list'},
      kpi(tx('no worker fitted'), un.no_fit || 0, tx('needs known, no one to match'), 'no_fit'),
      kpi(tx('no topic found'), un.unsure || 0, tx('not understood, or not a need (toilets, printer): reception helped'), 'unsure'));
    b.appendChild(ul);
    var unmet = entries(t.unmet_by_need);
    if (unmet.length) {
      b.appendChild(h('h3', {}, tx('Needs no worker fitted')));
      b.appendChild(hbars(unmet.map(function (e) { return {label: C.needLabel(e.key), value: e.value, fill: '#D55E00'}; }),
        tx('Needs no worker fitted, largest first'), {labelW: 260, W: widthOf(b)}));
      b.appendChild(table(tx('Needs no worker fitted'), [tx('Need'), tx('Arrivals')], unmet.map(function (e) { return [C.needLabel(e.key), e.value]; })));
    }
    renderWent(t, bks, workerLabel);
  }

  var RESULTS = [['helped', tx('Helped')], ['partly', tx('Partly')], ['referred', tx('Referred')], ['not_helped', tx('Not helped')],
    ['unrecorded', tx('No outcome yet')], ['left', tx('Left before being seen')]];

  /* How it went: outcomes, who left and feedback, overall, per worker, per topic and over time. */
  function renderWent(t, bks, workerLabel) {
    var h = C.h, b = body(els.went);
    var res = t.results || {}, left = t.left || {}, fb = t.feedback || {};
    var answers = (fb.yes || 0) + (fb.partly || 0) + (fb.no || 0);
    var pct = function (n, d) { return d ? Math.round(100 * n / d) + '%' : '\u2013'; };
    var seen = (res.helped || 0) + (res.partly || 0) + (res.referred || 0) + (res.not_helped || 0);
    b.appendChild(h('ul', {cls: 'kpis small', id: 'd-went-kpis'},
      kpi(tx('helped'), res.helped || 0, tx('{pct} of outcomes recorded', {pct: pct(res.helped || 0, seen)}), 'helped'),
      kpi(tx('partly helped'), res.partly || 0, null, 'partly'),
      kpi(tx('referred on'), res.referred || 0, null, 'referred'),
      kpi(tx('not helped'), res.not_helped || 0, null, 'not_helped'),
      kpi(tx('follow-up needed'), res.follow_up || 0, null, 'follow_up'),
      kpi(tx('no outcome yet'), res.unrecorded || 0, tx('introduced, not recorded'), 'unrecorded'),
      kpi(tx('left before being seen'), left.total || 0, tx('{n} still waiting at the day\u2019s end', {n: I.num(left.day_end || 0)}), 'left'),
      kpi(tx('got what they came for'), fb.yes || 0, tx('{pct} of {n} answers at the kiosk', {pct: pct(fb.yes || 0, answers), n: I.num(answers)}), 'fb_yes')));
    var groupTable = function (groups, caption, head, label) {
      var keys = Object.keys(groups || {}).sort();
      if (!keys.length) return null;
      return table(caption, [head].concat(RESULTS.map(function (r) { return r[1]; })),
        keys.map(function (k) { return [label(k)].concat(RESULTS.map(function (r) { return groups[k][r[0]] || 0; })); }));
    };
    var work = groupTable(t.outcome_by_worker, tx('How it went, per worker'), tx('Worker'), workerLabel);
    if (!work) { b.appendChild(h('p', {cls: 'empty'}, tx('No arrivals in this range.'))); return; }
    b.appendChild(h('h3', {}, tx('Per worker')));
    b.appendChild(work);
    b.appendChild(h('h3', {}, tx('Per topic')));
    b.appendChild(groupTable(t.outcome_by_domain, tx('How it went, per topic'), tx('Topic'), C.domainLabel));
    b.appendChild(h('h3', {}, tx('Over time')));
    var days = t.by_day_outcome || {}, fdays = t.by_day_feedback || {};
    b.appendChild(table(PER[bks[0].unit].went, [PER[bks[0].unit].head]
      .concat(RESULTS.map(function (r) { return r[1]; }), [tx('Feedback: yes'), tx('partly'), tx('no')]),
      bks.map(function (bk) {
        var sum = {};
        for (var d = parse(bk.from), end = parse(bk.to); d <= end; d = addDays(d, 1)) {
          var o = days[iso(d)] || {}, f = fdays[iso(d)] || {};
          RESULTS.forEach(function (r) { sum[r[0]] = (sum[r[0]] || 0) + (o[r[0]] || 0); });
          ['yes', 'partly', 'no'].forEach(function (k) { sum['fb_' + k] = (sum['fb_' + k] || 0) + (f[k] || 0); });
        }
        return [bk.from].concat(RESULTS.map(function (r) { return sum[r[0]]; }), [sum.fb_yes, sum.fb_partly, sum.fb_no]);
      })));
  }

  /* Waits of one grouping (topic or worker): median bars, and a table with the 90th percentile. */
  function waitGroup(b, groups, title, head, label, id) {
    var h = C.h;
    var keys = Object.keys(groups || {}).sort(function (x, y) {
      return (groups[y].count - groups[x].count) || (x < y ? -1 : 1);
    });
    var sec = h('div', {cls: 'wait-group', id: id}, h('h3', {}, title));
    b.appendChild(sec);
    if (!keys.length) { sec.appendChild(h('p', {cls: 'empty'}, tx('No arrivals in this range.'))); return; }
    var timed = keys.filter(function (k) { return groups[k].median != null; });
    if (timed.length) {
      sec.appendChild(hbars(timed.map(function (k) { return {label: label(k), value: Math.round(groups[k].median * 10) / 10, fill: '#0072B2'}; }),
        tx('Median wait in minutes, {group}', {group: title.toLowerCase()}), {labelW: 220, W: widthOf(b)}));
    }
    sec.appendChild(table(tx('Waits {group} (minutes)', {group: title.toLowerCase()}), [head, tx('Introduced'), tx('Median'), tx('90th percentile')],
      keys.map(function (k) {
        var g = groups[k];
        return [label(k), g.count, g.median == null ? '\u2013' : fmt(g.median), g.p90 == null ? '\u2013' : fmt(g.p90)];
      })));
  }

  function downloadCsv() {
    var from = els.from.value, to = els.to.value;
    els.state.textContent = tx('Preparing the CSV\u2026');
    C.api('GET', '/reports/demand?from=' + from + '&to=' + to, undefined, {headers: {Accept: 'text/csv'}}).then(function (r) {
      if (r.status === 403) return C.refuse('dashboard', r.data && r.data.error);
      if (r.status !== 200 || typeof r.data !== 'string') { els.state.textContent = tx('The CSV could not be made ({status}).', {status: r.status}); return; }
      var url = URL.createObjectURL(new Blob([r.data], {type: 'text/csv'}));
      var a = C.h('a', {href: url, download: 'hub-demand-' + from + '-to-' + to + '.csv', hidden: true});
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
      els.state.textContent = tx('CSV downloaded: {file}', {file: 'hub-demand-' + from + '-to-' + to + '.csv'});
    });
  }

  return {
    start: function (ctx) {
      C = ctx;
      if (!built || !document.getElementById('d-from')) build();
      C.loadDirectory().then(load);
    }
  };
})();
