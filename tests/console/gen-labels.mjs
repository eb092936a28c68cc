// gen-labels.mjs — rewrites services/web/labels.js from assets/needs.json and
// locales/en/needs.json (run by hand when a label changes: node tests/console/gen-labels.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
const tax = read('assets/needs.json').needs;
const en = read('locales/en/needs.json').needs;
let s = '/* labels.js — plain-words labels of the coded needs and domains (from locales/en/needs.json\n' +
  ' * and assets/needs.json by tests/console/gen-labels.mjs; the console test checks they still\n' +
  ' * match). id: [label, domains, urgent] */\n';
s += 'window.HUB_LABELS = {\n  domains: {housing: "Somewhere to live", health: "Health and wellbeing", ' +
  'benefits: "Money and bills", none: "Reception (no topic)"},\n  needs: {\n';
s += tax.map((n) => `    ${n.id}: ${JSON.stringify([en[n.id].label, n.domains, n.urgent ? 1 : 0])}`).join(',\n');
s += '\n  }\n};\n';
fs.writeFileSync(path.join(ROOT, 'services/web/labels.js'), s);
console.log(`services/web/labels.js: ${tax.length} needs`);
