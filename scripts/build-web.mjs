// Builds the web app with Vite. With --if-stale, only when a source file is newer than the build.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(web, 'dist');
const stamp = path.join(outDir, '.build-stamp');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = path.join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

// The web app also imports shared code from src/ (e.g. the ballot encryption), so both count.
if (
  process.argv.includes('--if-stale') &&
  existsSync(stamp) &&
  statSync(stamp).mtimeMs >= Math.max(newest(web), newest(path.join(root, 'src')))
) {
  process.exit(0);
}
console.log('building the web app (vite)…');
await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn', build: { outDir } });
writeFileSync(stamp, new Date().toISOString());
console.log(`web app built into ${path.relative(root, outDir) || outDir}`);
