// gen-community-labels.mjs — rewrites services/web/community-labels.js, the public page's
// plain-words topics in English and Welsh, from assets/needs.json and locales/{en,cy}
// (needs.json labels, strings.json topic.*). Run by hand when a label changes:
// node tests/console/gen-community-labels.mjs; the console test checks it is current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));

export function communityLabels() {
  const tax = read('assets/needs.json').needs;
  const needs = { en: read('locales/en/needs.json').needs, cy: read('locales/cy/needs.json').needs };
  const str = { en: read('locales/en/strings.json'), cy: read('locales/cy/strings.json') };
  const topics = {};
  for (const n of tax) if (!n.urgent) topics[n.id] = [needs.en[n.id].label, needs.cy[n.id].label];
  // urgent needs are only ever counted together, as one topic (services/community.c)
  topics.urgent = ['Help straight away', 'Help ar frys'];
  const domains = {};
  for (const [d, key] of [['housing', 'topic.housing'], ['health', 'topic.health'],
    ['benefits', 'topic.benefits'], ['none', 'topic.other']]) domains[d] = [str.en[key], str.cy[key]];
  return { topics, domains };
}

export function communityLabelsJs() {
  const { topics, domains } = communityLabels();
  const line = (o) => Object.entries(o).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join(',\n');
  return '/* community-labels.js — the public page\'s plain-words topics, [English, Welsh] (from\n' +
    ' * assets/needs.json and locales/{en,cy} by tests/console/gen-community-labels.mjs; the\n' +
    ' * console test checks they still match). Urgent needs are one topic, "urgent". */\n' +
    'window.HUB_COMMUNITY_LABELS = {\n  domains: {\n' + line(domains) + '\n  },\n  topics: {\n' +
    line(topics) + '\n  }\n};\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(path.join(ROOT, 'services/web/community-labels.js'), communityLabelsJs());
  console.log('services/web/community-labels.js written');
}
