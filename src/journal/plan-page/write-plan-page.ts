import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { runFile } from '../run-files.js';
import type { RunManifest } from '../run-manifest.js';
import { collectPageData } from './page-data.js';
import { renderPage } from './page-html.js';

/** Bytes gathered before a write: the page goes out in a few hundred writes, not one per row. */
const FLUSH_BYTES = 1 << 20;

/**
 * Writes plan.html for the run directory from plan.csv, results.csv (once applied) and run.json,
 * streaming both CSV files. Written beside the old page and renamed over it, so a reader never sees
 * half a page. Returns the page's path.
 */
export async function writePlanPage(runDir: string, manifest: RunManifest): Promise<string> {
  const path = runFile(runDir, 'page');
  const data = await collectPageData(runDir, manifest);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temporary, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      await file.write(pending.join(''));
      pending = [];
      size = 0;
    };
    await renderPage(data, async (text) => {
      pending.push(text);
      size += text.length;
      if (size >= FLUSH_BYTES) await flush();
    });
    await flush();
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return path;
}
