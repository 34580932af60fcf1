// Builds the web app with Vite. With --if-stale, only when a source file is newer than the build.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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
precompress(outDir);
writeFileSync(stamp, new Date().toISOString());
console.log(`web app built into ${path.relative(root, outDir) || outDir}`);

/**
 * Brotli (best) and gzip (best) copies of every text file worth compressing, written next to it
 * (`x.js.br`, `x.js.gz`): the server sends them as they are, with Content-Encoding and
 * Vary: Accept-Encoding (src/app.ts), so no CPU is spent compressing per request. A copy that is
 * not smaller is not written.
 */
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!/\.(js|css|html|svg|json|txt|webmanifest)$/.test(name)) continue;
    const content = readFileSync(file);
    if (content.length < 1024) continue;
    const br = brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(content, { level: 9 });
    if (br.length < content.length) writeFileSync(`${file}.br`, br);
    if (gz.length < content.length) writeFileSync(`${file}.gz`, gz);
  }
}
