/* i18n.js — the staff console in Welsh and English: the language chosen (remembered in this
 * browser), its words (English is the key; CY below holds the Welsh, southern and plain as the
 * kiosk's locales/cy/strings.json), and dates and numbers in that language. The need and
 * domain words come from GET /taxonomy, not from here; the dashboard's Welsh comes with the
 * dashboard (i18n-dashboard.js), so the board does not load it. */
'use strict';

window.HubI18n = (function () {
  var KEY = 'hub.lang';
  var CY = {
    /* page and sign-in */
    'Hub staff console': 'Consol staff yr hwb',
    'Skip to content': 'Neidio i\u2019r cynnwys',
    'Screens': 'Sgriniau',
    'Sign in': 'Mewngofnodi',
    'Sign out': 'Allgofnodi',
    'Paste the staff token you were given. It stays in this browser tab only and is forgotten when the tab closes.':
      'Gludwch y tocyn staff a gawsoch chi. Mae\u2019n aros yn y tab yma yn unig, ac yn cael ei anghofio pan fyddwch chi\u2019n cau\u2019r tab.',
    'Staff token': 'Tocyn staff',
    'Enter your staff token.': 'Rhowch eich tocyn staff.',
    'Checking\u2026': 'Wrthi\u2019n gwirio\u2026',
    'Cannot reach the hub server. Check the network and try again.':
      'Does dim modd cyrraedd gweinydd yr hwb. Gwiriwch y rhwydwaith a rhowch gynnig arall arni.',
    'That token was not recognised. Check it and try again.':
      'Doedd y tocyn yna ddim yn gyfarwydd. Gwiriwch e a rhowch gynnig arall arni.',
    'Your sign-in is no longer valid. Please sign in again.':
      'Dyw eich mewngofnodi ddim yn ddilys mwyach. Mewngofnodwch eto, os gwelwch yn dda.',
    'Signed in: {who}': 'Wedi mewngofnodi: {who}',
    'Not available': 'Ddim ar gael',
    'Not available with this sign-in': 'Ddim ar gael gyda\u2019r mewngofnodi yma',
    'Sign in with another token': 'Mewngofnodi gyda thocyn arall',
    'This is a kiosk token. The staff console needs a reception, worker or hub manager token; the server refused this one.':
      'Tocyn ciosg yw hwn. Mae angen tocyn derbynfa, gweithiwr neu reolwr hwb ar gonsol y staff; gwrthododd y gweinydd yr un yma.',
    'You are signed in as {role}.': 'Rydych chi wedi mewngofnodi fel {role}.',
    'someone else': 'rhywun arall',
    'The server refused it ({why}).': 'Gwrthododd y gweinydd e ({why}).',
    'The server refused this token.': 'Gwrthododd y gweinydd y tocyn yma.',
    'Cannot reach the hub server; retrying.': 'Does dim modd cyrraedd gweinydd yr hwb; wrthi\u2019n trio eto.',
    'The server answered {status}.': 'Atebodd y gweinydd {status}.',
    'Urgent sound: on': 'Sain brys: ymlaen',
    'Urgent sound: off': 'Sain brys: i ffwrdd',
    /* screens and roles */
    'Reception board': 'Bwrdd y dderbynfa',
    'My waiting list': 'Fy rhestr aros',
    'Demand dashboard': 'Dangosfwrdd y galw',
    'Go to the reception board': 'I fwrdd y dderbynfa',
    'Go to my waiting list': 'I fy rhestr aros',
    'Go to the demand dashboard': 'I ddangosfwrdd y galw',
    'The reception board needs a reception token.': 'Mae angen tocyn derbynfa ar fwrdd y dderbynfa.',
    'My waiting list needs a worker token.': 'Mae angen tocyn gweithiwr ar fy rhestr aros.',
    'The demand dashboard needs a hub manager token.': 'Mae angen tocyn rheolwr hwb ar ddangosfwrdd y galw.',
    'reception': 'y dderbynfa',
    'worker': 'gweithiwr',
    'hub manager': 'rheolwr hwb',
    'administrator': 'gweinyddwr',
    'kiosk': 'ciosg',
    'The dashboard could not be loaded.': 'Doedd dim modd llwytho\u2019r dangosfwrdd.',
    /* workers and their status */
    'Available': 'Ar gael',
    'Busy': 'Yn brysur',
    'Away': 'I ffwrdd',
    'Off today': 'Ddim i mewn heddiw',
    'Workers today': 'Gweithwyr heddiw',
    'duty worker': 'gweithiwr ar ddyletswydd',
    '{n} waiting': '{n} yn aros',
    'Call next': 'Galw\u2019r nesaf',
    'Call next for {name}': 'Galw\u2019r nesaf i {name}',
    'Call next ({n} waiting)': 'Galw\u2019r nesaf ({n} yn aros)',
    'Change': 'Newid',
    'Change status or desk of {name}': 'Newid statws neu ddesg {name}',
    'Status': 'Statws',
    'Desk': 'Desg',
    'Save': 'Cadw',
    'Cancel': 'Canslo',
    'Saving\u2026': 'Wrthi\u2019n cadw\u2026',
    'saving\u2026': 'wrthi\u2019n cadw\u2026',
    'saved': 'wedi\u2019i gadw',
    'Not saved: {why}': 'Heb ei gadw: {why}',
    'not saved: {why}': 'heb ei gadw: {why}',
    '{name} is now {status}, {desk}.': 'Mae {name} nawr: {status}, {desk}.',
    'Call next for {name} did not go through: {why}': 'Aeth galw\u2019r nesaf i {name} ddim drwodd: {why}',
    'Called ticket {ticket} for {name} at {desk}.': 'Wedi galw tocyn {ticket} i {name} yn {desk}.',
    'No one is waiting for {name}.': 'Does neb yn aros am {name}.',
    /* the board */
    'Waiting now': 'Yn aros nawr',
    'The kiosk {kiosk} holds 1 check-in it could not send. Ask at the kiosk\u2019s staff screen.':
      'Mae gan y ciosg {kiosk} 1 cofrestriad na allai ei anfon. Gofynnwch wrth sgrin staff y ciosg.',
    'The kiosk {kiosk} holds {n} check-ins it could not send. Ask at the kiosk\u2019s staff screen.':
      'Mae gan y ciosg {kiosk} {n} cofrestriad na allai eu hanfon. Gofynnwch wrth sgrin staff y ciosg.',
    'The kiosk {kiosk} has not been in touch since {time}.':
      'Dyw\u2019r ciosg {kiosk} ddim wedi bod mewn cysylltiad ers {time}.',
    'Find': 'Chwilio',
    'ticket, name, worker, need': 'tocyn, enw, gweithiwr, angen',
    'Group by worker': 'Grwpio fesul gweithiwr',
    'Residents waiting, urgent first': 'Pobl sy\u2019n aros, y rhai brys yn gyntaf',
    'No one is waiting. New arrivals appear here by themselves.':
      'Does neb yn aros. Bydd pobl newydd yn ymddangos yma ohonyn nhw\u2019u hunain.',
    '{shown} of {all} shown': '{shown} o {all} i\u2019w gweld',
    'Left before being seen': 'Wedi gadael cyn cael eu gweld',
    'Urgent \u2013 see now': 'Brys \u2013 gweld nawr',
    'Needs': 'Anghenion',
    'Introduced': 'Wedi cyflwyno',
    'Introduced to {name}': 'Wedi cyflwyno i {name}',
    'Reassign\u2026': 'Ailgyfeirio\u2026',
    'Reassign': 'Ailgyfeirio',
    'Left': 'Wedi gadael',
    'kiosk {ticket}': 'ciosg {ticket}',
    'Ticket {ticket}; kiosk ticket {kiosk}': 'Tocyn {ticket}; tocyn y ciosg {kiosk}',
    'No name given': 'Dim enw',
    'seen at {time}': 'wedi\u2019i weld am {time}',
    'waiting {wait}': 'yn aros {wait}',
    'just arrived': 'newydd gyrraedd',
    '{n} min': '{n} munud',
    '{h} h {m} min': '{h} awr {m} munud',
    '{d} days {h} h': '{d} diwrnod {h} awr',
    'since {when}': 'ers {when}',
    'came {when}': 'daeth {when}',
    'For': 'I',
    'For reception (no one named)': 'I\u2019r dderbynfa (neb wedi\u2019i enwi)',
    'Reception (no one named)': 'Y dderbynfa (neb wedi\u2019i enwi)',
    'Reception (no topic)': 'Y dderbynfa (dim pwnc)',
    'They chose this person themselves': 'Nhw ddewisodd y person yma eu hunain',
    'Chosen by reception': 'Wedi\u2019i ddewis gan y dderbynfa',
    'Not sure yet \u2013 ask them': 'Ddim yn siŵr eto \u2013 gofynnwch iddyn nhw',
    'In their own words (shared with their agreement)': 'Yn eu geiriau eu hunain (wedi\u2019u rhannu gyda\u2019u caniatâd)',
    'no one in today speaks it: use the interpreter line': 'does neb i mewn heddiw yn ei siarad: defnyddiwch y llinell gyfieithu',
    '{name} speaks it': 'mae {name} yn ei siarad',
    '{a} and {b} speak it': 'mae {a} a {b} yn ei siarad',
    '{a}, {b} and {n} more speak it': 'mae {a}, {b} a {n} arall yn ei siarad',
    'Urgent arrival: ticket {ticket}, for {who}': 'Rhywun brys wedi cyrraedd: tocyn {ticket}, i {who}',
    'New arrival: ticket {ticket}, for {who}': 'Rhywun newydd wedi cyrraedd: tocyn {ticket}, i {who}',
    'Urgent arrival: ticket {ticket}, for reception': 'Rhywun brys wedi cyrraedd: tocyn {ticket}, i\u2019r dderbynfa',
    'New arrival: ticket {ticket}, for reception': 'Rhywun newydd wedi cyrraedd: tocyn {ticket}, i\u2019r dderbynfa',
    'Undo': 'Dadwneud',
    'Undone: {what} for ticket {ticket} was not sent.': 'Wedi dadwneud: chafodd {what} i docyn {ticket} mo\u2019i anfon.',
    'sending in {s} s': 'yn anfon mewn {s} eiliad',
    'sending\u2026': 'wrthi\u2019n anfon\u2026',
    '{what}: done for ticket {ticket}.': '{what}: wedi\u2019i wneud i docyn {ticket}.',
    '{what} did not go through: {why}': 'Aeth {what} ddim drwodd: {why}',
    'Undo: ticket {ticket} has not left': 'Dadwneud: dyw tocyn {ticket} ddim wedi gadael',
    'Ticket {ticket} is back on the board.': 'Mae tocyn {ticket} yn ôl ar y bwrdd.',
    'Not undone: {why}': 'Heb ei ddadwneud: {why}',
    'left {time}': 'gadawodd am {time}',
    'Worker is busy': 'Mae\u2019r gweithiwr yn brysur',
    'Resident asked for someone else': 'Gofynnodd am rywun arall',
    'Better fit for what they need': 'Yn fwy addas i\u2019r hyn sydd ei angen arnyn nhw',
    'Speaks their language': 'Yn siarad eu hiaith',
    'Choose who\u2026': 'Dewiswch pwy\u2026',
    'speaks {langs}': 'yn siarad {langs}',
    'Choose who they should see.': 'Dewiswch pwy ddylen nhw ei weld.',
    'Give a short reason.': 'Rhowch reswm byr.',
    'Reassigned to {name}': 'Wedi ailgyfeirio at {name}',
    'Reassigned to reception': 'Wedi ailgyfeirio at y dderbynfa',
    'See instead': 'Gweld yn lle hynny',
    'Reason (short)': 'Rheswm (byr)',
    /* a worker's own view */
    'Who are you?': 'Pwy ydych chi?',
    'Choose yourself once; this tab remembers it until it is closed.': 'Dewiswch eich hun unwaith; bydd y tab yma\u2019n cofio nes i chi ei gau.',
    'Not you? Choose again': 'Ddim chi? Dewiswch eto',
    'Your status': 'Eich statws',
    'Waiting for you': 'Yn aros amdanoch chi',
    'Residents waiting for you': 'Pobl sy\u2019n aros amdanoch chi',
    'No one is waiting for you right now.': 'Does neb yn aros amdanoch chi ar hyn o bryd.',
    'Seen today': 'Wedi\u2019u gweld heddiw',
    'After each conversation, two taps: how it went, then whether someone needs to follow up. Coded only: no notes.':
      'Ar ôl pob sgwrs, dau gyffyrddiad: sut aeth hi, yna a oes angen i rywun ddilyn i fyny. Codau yn unig: dim nodiadau.',
    'No one yet today.': 'Neb eto heddiw.',
    'this worker token belongs to no worker; ask for a new one made for you (hubd token worker NAME --worker ID)':
      'dyw\u2019r tocyn gweithiwr yma ddim yn perthyn i weithiwr; gofynnwch am un newydd wedi\u2019i wneud i chi (hubd token worker NAME --worker ID)',
    'Urgent: ticket {ticket}': 'Brys: tocyn {ticket}',
    'Someone is here for you: ticket {ticket}': 'Mae rhywun yma i chi: tocyn {ticket}',
    'Calling\u2026': 'Wrthi\u2019n galw\u2026',
    'Not called: {why}': 'Heb alw: {why}',
    'Ticket {ticket} is yours now. {n} still waiting.': 'Chi sydd â thocyn {ticket} nawr. {n} yn dal i aros.',
    'No one is waiting for you.': 'Does neb yn aros amdanoch chi.',
    'Helped': 'Wedi helpu',
    'Partly': 'Yn rhannol',
    'Referred': 'Wedi cyfeirio',
    'Not helped': 'Heb helpu',
    'Partly helped': 'Wedi helpu\u2019n rhannol',
    'Referred on': 'Wedi cyfeirio ymlaen',
    'follow-up needed': 'angen dilyn i fyny',
    'no follow-up': 'dim angen dilyn i fyny',
    'How did it go for ticket {ticket}?': 'Sut aeth hi i docyn {ticket}?',
    'Does someone need to follow up?': 'Oes angen i rywun ddilyn i fyny?',
    'Yes, follow up': 'Oes, dilyn i fyny',
    'No': 'Nac oes',
    'Saved for ticket {ticket}: {result}.': 'Wedi\u2019i gadw i docyn {ticket}: {result}.'
  };
  var TABLES = {cy: CY};
  var NAMES = {cy: 'Cymraeg', en: 'English'};

  function pick() {
    var saved = null;
    try { saved = window.localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved === 'cy' || saved === 'en') return saved;
    var prefs = navigator.languages || [navigator.language || ''];
    for (var i = 0; i < prefs.length; i++) {
      if (/^cy\b/i.test(prefs[i])) return 'cy';
      if (/^en\b/i.test(prefs[i])) return 'en';
    }
    return 'en';
  }

  var lang = pick(), table = TABLES[lang], missing = {};
  var locale = lang === 'cy' ? 'cy-GB' : 'en-GB';

  /* msg in the chosen language, {name}s filled from vars; English when no Welsh is known
   * (and a console error, once, which the browser tests count as a failure). */
  function t(msg, vars) {
    var out = msg;
    if (table) {
      if (Object.prototype.hasOwnProperty.call(table, msg)) out = table[msg];
      else if (!missing[msg]) { missing[msg] = true; console.error('no ' + lang + ' words for: ' + msg); }
    }
    return !vars ? out : out.replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : all;
    });
  }

  /* Welsh dates by hand where the browser's Intl has no Welsh (Debian's chromium has not):
   * CLDR's names, in the forms the console uses (weekday, day, month, each optional). */
  var CY_DATES = {
    weekday: {short: ['Sul', 'Llun', 'Maw', 'Mer', 'Iau', 'Gwe', 'Sad'],
      long: ['dydd Sul', 'dydd Llun', 'dydd Mawrth', 'dydd Mercher', 'dydd Iau', 'dydd Gwener', 'dydd Sadwrn']},
    month: {short: ['Ion', 'Chw', 'Maw', 'Ebr', 'Mai', 'Meh', 'Gor', 'Awst', 'Medi', 'Hyd', 'Tach', 'Rhag'],
      long: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref',
        'Tachwedd', 'Rhagfyr']}
  };
  /* Language names in Welsh, for the same reason (the languages residents choose most). */
  var CY_LANGS = {cy: 'Cymraeg', en: 'Saesneg', pl: 'Pwyleg', ar: 'Arabeg', pa: 'Pwnjabeg', ur: 'Wrdw',
    bn: 'Bengaleg', zh: 'Tsieinëeg', ro: 'Rwmaneg', uk: 'Wcreineg', ru: 'Rwseg', so: 'Somaleg', fa: 'Perseg',
    ku: 'Cwrdeg', ti: 'Tigrinya', es: 'Sbaeneg', fr: 'Ffrangeg', pt: 'Portiwgaleg', it: 'Eidaleg', de: 'Almaeneg',
    tr: 'Tyrceg', lt: 'Lithwaneg', bg: 'Bwlgareg', hu: 'Hwngareg', gd: 'Gaeleg yr Alban', ga: 'Gwyddeleg'};
  var intlCy = lang !== 'cy' || Intl.DateTimeFormat.supportedLocalesOf(['cy']).length > 0;

  function num(n) { return new Intl.NumberFormat(intlCy ? locale : 'en-GB').format(n); }
  function time(d) { return new Date(d).toLocaleTimeString(intlCy ? locale : 'en-GB', {hour: '2-digit', minute: '2-digit'}); }
  function date(d, opts) {
    var x = new Date(d);
    if (intlCy) return x.toLocaleDateString(locale, opts);
    var parts = [];
    if (opts.weekday) parts.push(CY_DATES.weekday[opts.weekday === 'long' ? 'long' : 'short'][x.getDay()]);
    if (opts.day) parts.push(String(x.getDate()));
    if (opts.month) parts.push(CY_DATES.month[opts.month === 'long' ? 'long' : 'short'][x.getMonth()]);
    if (opts.year) parts.push(String(x.getFullYear()));
    return parts.join(' ');
  }
  /* A language's name in the console's language ("Pwyleg" / "Polish"); the code when unknown. */
  function langName(code) {
    if (lang === 'cy' && !intlCy) return CY_LANGS[code] || code;
    try { return new Intl.DisplayNames([locale], {type: 'language'}).of(code) || code; } catch (e) { return code; }
  }

  /* The page's fixed words: elements marked data-i18n (their text) and data-i18n-attr (a comma
   * list of attributes), the English in the page being the key. */
  function apply(root) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-i18n]'), function (el) {
      el.textContent = t(el.textContent.replace(/\s+/g, ' ').trim());
    });
    Array.prototype.forEach.call(root.querySelectorAll('[data-i18n-attr]'), function (el) {
      el.getAttribute('data-i18n-attr').split(',').forEach(function (a) {
        if (el.hasAttribute(a)) el.setAttribute(a, t(el.getAttribute(a)));
      });
    });
  }

  /* Remembers the choice in this browser and shows the page again in it (the sign-in stays:
   * it lives in the tab). */
  function set(code) {
    try { window.localStorage.setItem(KEY, code); } catch (e) { /* private mode: this page only */ }
    window.location.reload();
  }

  /* The switch: a button naming the other language in that language. */
  function wire(button) {
    var other = lang === 'cy' ? 'en' : 'cy';
    button.textContent = NAMES[other];
    button.setAttribute('lang', other);
    button.setAttribute('data-lang', other);
    button.addEventListener('click', function () { set(other); });
  }

  /* More words for code (a screen loaded only when needed brings its own: i18n-dashboard.js). */
  function add(code, words) {
    var into = TABLES[code];
    if (into) for (var k in words) if (Object.prototype.hasOwnProperty.call(words, k)) into[k] = words[k];
  }

  document.documentElement.lang = lang;
  return {lang: lang, locale: locale, t: t, num: num, time: time, date: date, langName: langName, apply: apply, wire: wire,
    set: set, table: function (code) { return TABLES[code] || null; }, add: add};
})();
