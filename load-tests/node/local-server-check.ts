/**
 * Does the local server hold? Bursts of concurrent 2 MP JPEG photo uploads, then the early-answer
 * and framing cases (node/local-server.ts). Exits 1 on any failure.
 *
 *   npx tsx load-tests/node/local-server-check.ts                     # the npm start server (scripts/serve.mjs)
 *   npx tsx load-tests/node/local-server-check.ts --wrangler          # wrangler dev, as npm start ran it before
 *   npx tsx load-tests/node/local-server-check.ts --wrangler --direct # the worker's workerd behind wrangler dev, no proxy
 *   BASE_URL=http://127.0.0.1:8787 npx tsx load-tests/node/local-server-check.ts   # a server already running
 *
 *   --rounds N (default 5), --concurrency N (default 50), --pause MS between rounds (default 0),
 *   --no-framing (uploads only), --server-args "..." (extra scripts/serve.mjs arguments, e.g. "--max-uploads 50"),
 *   --noise N --quality Q (the photo: default 8 and 85, about 540 KB; 20 and 92 make a 2.2 MB file)
 * Rounds alternate raw image/jpeg bodies and multipart forms.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { FRAMING_CASES, describeAnswers, photoJpeg, runCase, uploadBurst } from './local-server.js';
import { startLocalServer, startServer, type Server } from './server.js';

const { values: args } = parseArgs({
  options: {
    wrangler: { type: 'boolean', default: false },
    direct: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '50' },
    pause: { type: 'string', default: '0' },
    'no-framing': { type: 'boolean', default: false },
    'server-args': { type: 'string', default: '' },
    noise: { type: 'string', default: '8' },
    quality: { type: 'string', default: '85' },
  },
});
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);

console.log(
  `local-server-check: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const photo = photoJpeg({ noise: Number(args.noise), quality: Number(args.quality) });
console.log(`photo: ${photo.width}x${photo.height} JPEG of "${photo.number}", ${(photo.bytes.length / 1024).toFixed(0)} KB`);

let server: Server;
if (args.wrangler) {
  // As the old `npm start` ran it: wrangler dev on the working tree, default log level, its proxy in front.
  server = await startServer({ wranglerArgs: [], build: false, live: true });
} else if (process.env.BASE_URL) {
  server = await startServer({ wranglerArgs: [], build: false, live: false });
} else {
  server = await startLocalServer({ extraArgs: ['--quiet', ...args['server-args'].split(/\s+/).filter(Boolean)] });
}
if (args.direct && !server.directUrl) throw new Error('--direct needs --wrangler: only wrangler dev has a worker address behind a proxy');
const target = args.direct ? server.directUrl! : server.baseUrl;
console.log(`server: ${server.command}${args.direct ? ` (requests sent --direct to its worker's workerd at ${target})` : ''}`);

let failed = 0;
let sent = 0;
try {
  for (let round = 0; round < rounds; round++) {
    const multipart = round % 2 === 1;
    const burst = await uploadBurst(target, photo.bytes, { concurrency, multipart });
    sent += concurrency;
    failed += burst.failed;
    const slowest = Math.max(...burst.outcomes.map((o) => o.ms));
    console.log(
      `round ${round + 1}: ${concurrency} uploads (${multipart ? 'multipart' : 'image/jpeg'}) in ${(burst.ms / 1000).toFixed(1)} s, slowest ${(slowest / 1000).toFixed(1)} s: ${burst.failed} failed${burst.failed ? ` ${JSON.stringify(burst.failures)}` : ''}; read "${burst.digits.join('", "')}"`,
    );
    if (Number(args.pause) > 0) await new Promise((r) => setTimeout(r, Number(args.pause)));
  }
  console.log(`uploads: ${failed} of ${sent} failed (${((100 * failed) / sent).toFixed(1)}%)`);

  let framingFailed = 0;
  if (!args['no-framing']) {
    console.log('early answers and framing:');
    for (const c of FRAMING_CASES) {
      const { answers, passed } = await runCase(c, target);
      const ok = passed === answers.length;
      if (!ok) framingFailed++;
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${c.name}: ${describeAnswers(answers)} (expected ${c.expected})`);
    }
  }
  const exit = server.exited();
  if (exit !== undefined) console.log(`the server exited (code ${exit}) during the check`);
  process.exitCode = failed || framingFailed || exit !== undefined ? 1 : 0;
} finally {
  await server.stop();
}
