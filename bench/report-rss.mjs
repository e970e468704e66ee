// Preloaded into a measured process: on exit, writes its peak resident set size (bytes) where asked.
import { writeFileSync } from 'node:fs';

const target = process.env.LEADSHIFT_BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
