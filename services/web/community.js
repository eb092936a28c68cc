/* community.js — the hub's public page: what neighbours came in for last month and how it went,
 * in Welsh and English (?lang=cy|en), from GET /api/v1/community (aggregate only: a count under
 * 5 comes as null and is said as "fewer than 5"), its topics in the kiosk's plain words from
 * GET /api/v1/taxonomy. No sign-in, no cookies, nothing stored. */
'use strict';

(function () {
  var TAX = {needs: {}, domains: {}}; // GET /taxonomy: each need's and domain's words per language
  var $ = function (id) { return document.getElementById(id); };
  var MONTHS = {
    en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
      'October', 'November', 'December'],
    cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi',
      'Hydref', 'Tachwedd', 'Rhagfyr']
  };
  var T = {
    en: {
      doc: 'What neighbours came in for',
      brand: 'Your community hub',
      skip: 'Skip to content',
      title: 'What neighbours came in for',
      intro: 'Every month we share what people came to the hub about and how it went, so that ' +
        'everyone can see it. No one can be recognised from these figures.',
      loading: 'Loading the figures\u2026',
      failed: 'The figures cannot be loaded just now. Please try again later.',
      none: 'There are no figures for a whole month yet.',
      month: function (m) { return 'In ' + m; },
      came: function (n) { return n === null ? 'Fewer than 5 neighbours came in.' : n + ' neighbours came in.'; },
      domainsLabel: 'What they came in about, by main topic',
      topics: 'What they asked about',
      topicsNote: 'Other topics: fewer than 5 people each. Someone can come about more than one thing.',
      topicsNone: 'Fewer than 5 people asked about any one thing.',
      went: 'How it went',
      wentIntro: function (n) {
        return n === null ? 'We recorded how it went for fewer than 5 people.'
          : 'Of the ' + n + ' people whose visit we recorded:';
      },
      results: {helped: 'Got help', partly: 'Got some help', referred: 'Passed on to someone who can help',
        not_helped: 'We could not help this time'},
      followUp: function (n) { return n === null ? '' : 'Someone will be in touch again with ' + n + ' of them.'; },
      said: 'What people told the kiosk on the way out',
      answers: {yes: 'Got what they came for', partly: 'Partly', no: 'Did not'},
      saidNone: 'Fewer than 5 people answered.',
      unmet: 'Where we could not help',
      unmetFacts: {
        nobody_fitted: 'No one here could help with what they needed',
        not_understood: 'The kiosk could not tell what they needed (reception helped)',
        not_helped: 'The worker could not help this time'
      },
      left: 'Left before they were seen',
      unmetTopics: 'Topics where we could not help',
      series: 'Month by month',
      seriesCap: 'Neighbours who came in, and who left before being seen, each month',
      thMonth: 'Month', thCame: 'Came in', thLeft: 'Left before being seen',
      data: 'The figures as open data',
      privacy: 'Counts under 5 are not shown (\u201cfewer than 5\u201d), and nor is any count that ' +
        'could be worked out from the others, so that no one can be recognised. There are no ' +
        'names, words or workers here, and nothing finer than a whole month.',
      fewer: 'fewer than 5',
      pct: function (p) { return p + '%'; },
      people: function (n) { return n === null ? 'fewer than 5' : String(n); },
      urgent: 'Help straight away'
    },
    cy: {
      doc: 'Beth ddaeth \u00e2 chymdogion i mewn',
      brand: 'Eich hwb cymunedol',
      skip: 'Neidio i\u2019r cynnwys',
      title: 'Beth ddaeth \u00e2 chymdogion i mewn',
      intro: 'Bob mis rydyn ni\u2019n rhannu pam ddaeth pobl i\u2019r hwb a sut aeth hi, er mwyn i ' +
        'bawb gael gweld. All neb gael ei adnabod o\u2019r ffigurau hyn.',
      loading: 'Wrthi\u2019n llwytho\u2019r ffigurau\u2026',
      failed: 'Does dim modd llwytho\u2019r ffigurau ar hyn o bryd. Rhowch gynnig arall arni nes ymlaen.',
      none: 'Does dim ffigurau ar gyfer mis cyfan eto.',
      month: function (m) { return 'Ym mis ' + m; },
      came: function (n) { return n === null ? 'Daeth llai na 5 o gymdogion i mewn.' : 'Daeth ' + n + ' o gymdogion i mewn.'; },
      domainsLabel: 'Pam ddaethon nhw i mewn, yn \u00f4l y prif bwnc',
      topics: 'Beth oedden nhw\u2019n holi amdano',
      topicsNote: 'Pynciau eraill: llai na 5 o bobl yr un. Gall rhywun ddod am fwy nag un peth.',
      topicsNone: 'Holodd llai na 5 o bobl am unrhyw un peth.',
      went: 'Sut aeth hi',
      wentIntro: function (n) {
        return n === null ? 'Fe gofnodon ni sut aeth hi i lai na 5 o bobl.'
          : 'O\u2019r ' + n + ' o bobl y cofnodon ni sut aeth hi iddyn nhw:';
      },
      results: {helped: 'Wedi cael help', partly: 'Wedi cael peth help',
        referred: 'Wedi\u2019u cyfeirio at rywun all helpu', not_helped: 'Methon ni helpu y tro hwn'},
      followUp: function (n) { return n === null ? '' : 'Bydd rhywun yn cysylltu eto \u00e2 ' + n + ' ohonyn nhw.'; },
      said: 'Beth ddywedodd pobl wrth y ciosg wrth adael',
      answers: {yes: 'Wedi cael yr hyn ddaethon nhw amdano', partly: 'Rhywfaint', no: 'Naddo'},
      saidNone: 'Atebodd llai na 5 o bobl.',
      unmet: 'Lle na allen ni helpu',
      unmetFacts: {
        nobody_fitted: 'Doedd neb yma\u2019n gallu helpu gyda\u2019r hyn oedd ei angen',
        not_understood: 'Doedd y ciosg ddim yn deall beth oedd ei angen (fe helpodd y dderbynfa)',
        not_helped: 'Doedd y gweithiwr ddim yn gallu helpu y tro hwn'
      },
      left: 'Wedi gadael cyn cael eu gweld',
      unmetTopics: 'Pynciau lle na allen ni helpu',
      series: 'Fesul mis',
      seriesCap: 'Cymdogion ddaeth i mewn, a\u2019r rhai adawodd cyn cael eu gweld, bob mis',
      thMonth: 'Mis', thCame: 'Daeth i mewn', thLeft: 'Gadael cyn cael eu gweld',
      data: 'Y ffigurau fel data agored',
      privacy: 'Dydyn ni ddim yn dangos niferoedd dan 5 (\u201cllai na 5\u201d), na\u2019r un nifer ' +
        'y gellid ei gyfrifo o\u2019r lleill, fel na all neb gael ei adnabod. Does dim enwau, ' +
        'geiriau na gweithwyr yma, a dim byd manylach na mis cyfan.',
      fewer: 'llai na 5',
      pct: function (p) { return p + '%'; },
      people: function (n) { return n === null ? 'llai na 5' : String(n); },
      urgent: 'Help ar frys'
    }
  };

  function pickLang() {
    var q = /[?&]lang=(cy|en)\b/.exec(location.search);
    if (q) return q[1];
    var prefs = navigator.languages || [navigator.language || ''];
    for (var i = 0; i < prefs.length; i++) if (/^cy\b/i.test(prefs[i])) return 'cy';
    return 'en';
  }

  var lang = pickLang(), S = T[lang];

  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] == null) continue;
      if (k === 'text') el.textContent = attrs[k];
      else if (k === 'cls') el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function monthName(ym) {
    var p = /^(\d{4})-(\d{2})$/.exec(ym || '');
    return p ? MONTHS[lang][Number(p[2]) - 1] + ' ' + p[1] : ym;
  }
  /* urgent needs are only ever counted together, as one topic (services/community.c) */
  function topicLabel(id) {
    var n = TAX.needs[id];
    return id === 'urgent' ? S.urgent : n && n.labels[lang] ? n.labels[lang] : id.replace(/_/g, ' ');
  }
  function domainLabel(id) { var d = TAX.domains[id]; return d && d[lang] ? d[lang] : id; }

  /* A bar's fill, w percent wide (set through the CSSOM: the page allows no inline styles). */
  function fill(w) {
    var f = h('span', {});
    f.style.width = w + '%';
    return f;
  }

  /* A list of labelled bars: items [{label, value (null: withheld), text}], widths of max. */
  function bars(ul, items, max) {
    clear(ul);
    items.forEach(function (it) {
      var w = it.value === null || !max ? 0 : Math.max(2, Math.round(100 * it.value / max));
      ul.appendChild(h('li', {cls: it.value === null ? 'withheld' : null},
        h('span', {cls: 'label'}, it.label),
        h('span', {cls: 'value'}, it.text != null ? it.text : S.people(it.value)),
        h('span', {cls: 'bar', 'aria-hidden': 'true'}, fill(w))));
    });
  }

  function paintStatic() {
    document.documentElement.lang = lang;
    document.title = S.doc;
    $('skip').textContent = S.skip;
    $('brand').textContent = S.brand;
    $('title').textContent = S.title;
    $('intro').textContent = S.intro;
    $('state').textContent = S.loading;
    ['cy', 'en'].forEach(function (l) {
      var a = $('to-' + l);
      if (l === lang) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    });
  }

  function paintMonth(m) {
    $('h-month').textContent = S.month(monthName(m.month));
    $('headline').textContent = S.came(m.arrivals);
    var doms = ['benefits', 'housing', 'health', 'none'].map(function (d) {
      return {label: domainLabel(d), value: m.by_domain[d]};
    });
    $('domains').setAttribute('aria-label', S.domainsLabel);
    bars($('domains'), doms, m.arrivals);
    $('h-topics').textContent = S.topics;
    var shown = Object.keys(m.by_topic).filter(function (k) { return m.by_topic[k] !== null; })
      .sort(function (a, b) { return m.by_topic[b] - m.by_topic[a]; });
    bars($('topics'), shown.map(function (k) { return {label: topicLabel(k), value: m.by_topic[k]}; }),
      shown.length ? m.by_topic[shown[0]] : 0);
    $('topics-note').textContent = shown.length ? S.topicsNote : S.topicsNone;

    $('h-went').textContent = S.went;
    var rec = m.outcomes.recorded;
    $('went-intro').textContent = S.wentIntro(rec) + ' ' + S.followUp(rec === null ? null : m.outcomes.follow_up);
    bars($('outcomes'), rec === null ? [] : ['helped', 'partly', 'referred', 'not_helped'].map(function (k) {
      var p = m.outcome_share[k];
      return {label: S.results[k], value: p, text: p === null ? S.fewer : S.pct(p)};
    }), 100);
    $('h-said').textContent = S.said;
    var ans = m.feedback.answers;
    bars($('feedback'), ans === null ? [] : ['yes', 'partly', 'no'].map(function (k) {
      var p = m.feedback_share[k];
      return {label: S.answers[k], value: p, text: p === null ? S.fewer : S.pct(p)};
    }), 100);
    if (ans === null) $('feedback').appendChild(h('li', {cls: 'withheld'}, S.saidNone));

    $('h-unmet').textContent = S.unmet;
    var facts = clear($('unmet'));
    ['nobody_fitted', 'not_understood', 'not_helped'].forEach(function (k) {
      facts.appendChild(h('li', {}, h('span', {cls: 'value'}, S.people(m.unmet[k])), ' ', S.unmetFacts[k]));
    });
    facts.appendChild(h('li', {}, h('span', {cls: 'value'}, S.people(m.left)), ' ', S.left));
    var ut = Object.keys(m.unmet_by_topic).filter(function (k) { return m.unmet_by_topic[k] !== null; })
      .sort(function (a, b) { return m.unmet_by_topic[b] - m.unmet_by_topic[a]; });
    $('unmet-topics').setAttribute('aria-label', S.unmetTopics);
    bars($('unmet-topics'), ut.map(function (k) { return {label: topicLabel(k), value: m.unmet_by_topic[k]}; }),
      ut.length ? m.unmet_by_topic[ut[0]] : 0);
  }

  function paintSeries(months) {
    $('h-series').textContent = S.series;
    $('series-cap').textContent = S.seriesCap;
    $('th-month').textContent = S.thMonth;
    $('th-came').textContent = S.thCame;
    $('th-left').textContent = S.thLeft;
    var tb = clear(document.querySelector('#series tbody'));
    months.slice().reverse().forEach(function (m) {
      tb.appendChild(h('tr', {}, h('th', {scope: 'row', text: monthName(m.month)}),
        h('td', {cls: 'num', text: S.people(m.arrivals)}), h('td', {cls: 'num', text: S.people(m.left)})));
    });
  }

  function paintData(from, to) {
    $('h-data').textContent = S.data;
    $('privacy').textContent = S.privacy;
    var q = 'from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    $('csv').setAttribute('href', '/api/v1/community?format=csv&' + q);
    $('json').setAttribute('href', '/api/v1/community?' + q);
  }

  function getJson(path) {
    return fetch(path, {cache: 'no-cache', credentials: 'omit'}).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function load() {
    paintStatic();
    Promise.all([getJson('/api/v1/taxonomy'), getJson('/api/v1/community')]).then(function (got) {
      var d = got[1];
      (got[0].needs || []).forEach(function (n) { TAX.needs[n.id] = n; });
      TAX.domains = got[0].domain_labels || {};
      var months = (d && d.months) || [];
      if (d && d.hub) $('brand').textContent = d.hub;
      if (!months.length) { $('state').textContent = S.none; return; }
      paintMonth(months[months.length - 1]);
      paintSeries(months);
      paintData(d.from, d.to);
      $('state').textContent = '';
      $('figures').hidden = false;
      document.body.setAttribute('data-loaded', '');
    }).catch(function () { $('state').textContent = S.failed; });
  }

  load();
})();
