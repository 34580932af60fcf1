/**
 * `npx tsx bench/compare.ts <before-results-dir> <after-results-dir>`: compares two benchmark runs
 * (the `bench/results/*.json` each `npm run bench` writes) scenario by scenario, each figure taken
 * relative to the raw-PostgreSQL insert baseline of its own run, so that two runs at different
 * times compare fairly.
 *
 * A rate (a metric named …PerSecond / …PerS / …Rps, or with PerSecond inside) is divided by the
 * run's inserts per second; a time (…Ms, …Us, …S, …Seconds, …MsPerCast) is multiplied by it. The
 * change is printed as "worse by" in per cent (positive: the after run is slower). Other figures
 * (counts, bytes, ratios) are shown side by side.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Result {
  scenario: string;
  baseline?: { insertsPerSecond: number };
  metrics: Record<string, number>;
}

function load(dir: string): Map<string, Result> {
  const out = new Map<string, Result>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'baseline.json')) {
    const r = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Result;
    if (r.metrics && r.baseline) out.set(r.scenario, r);
  }
  return out;
}

function kind(metric: string): 'rate' | 'time' | 'other' {
  // A ratio is already relative ("ratioTo…", "liveRatioTo…"; not "registrationsPerSecond").
  if (/^ratio|Ratio/.test(metric)) return 'other';
  if (/PerSecond|PerS$|Rps$/.test(metric)) return 'rate'; // also …PerSecondPerCore, …PerSecondHttp
  // Times: ms, µs (…Us), seconds (…S, …Seconds), and CPU time per operation (…MsPerCast).
  if (/(Ms|Us|S|Seconds)$|MsPer[A-Z]\w*$/.test(metric)) return 'time';
  return 'other';
}

const [beforeDir, afterDir] = process.argv.slice(2);
if (!beforeDir || !afterDir) {
  console.error('usage: tsx bench/compare.ts <before-results-dir> <after-results-dir>');
  process.exit(2);
}
const before = load(beforeDir);
const after = load(afterDir);
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
console.log('| scenario | metric | before (baseline) | after (baseline) | after vs before, per baseline | raw |');
console.log('|---|---|---|---|---|---|');
for (const [name, b] of before) {
  const a = after.get(name);
  if (!a) {
    console.log(`| ${name} | — | ran | not in the after run | |`);
    continue;
  }
  const bb = b.baseline!.insertsPerSecond;
  const ab = a.baseline!.insertsPerSecond;
  for (const [metric, bv] of Object.entries(b.metrics)) {
    const av = a.metrics[metric];
    if (av === undefined || !Number.isFinite(bv) || !Number.isFinite(av)) continue;
    const k = kind(metric);
    let change = '';
    let raw = '';
    if (k === 'rate' && bv > 0) {
      change = `${fmt((1 - av / ab / (bv / bb)) * 100)} % worse`;
      raw = `${fmt((1 - av / bv) * 100)} % worse`;
    }
    if (k === 'time' && bv > 0) {
      change = `${fmt(((av * ab) / (bv * bb) - 1) * 100)} % worse`;
      raw = `${fmt((av / bv - 1) * 100)} % worse`;
    }
    console.log(`| ${name} | ${metric} | ${fmt(bv)} (${bb}) | ${fmt(av)} (${ab}) | ${change} | ${raw} |`);
  }
}
