// RESCAN_PROGRESS payloads (see the EventKind docs in the server's SDL) as one line of text.

export interface RescanProgress {
  /** The folder being checked; null on the last event of a whole-library scan. */
  path: string | null;
  phase: 'counting' | 'checking' | 'done';
  done: number;
  total: number;
  /** Files per outcome (new, changed, unchanged, failed...), on the last event only. */
  counts?: Record<string, number>;
  missing?: number;
}

const number = new Intl.NumberFormat('en');

/** The payload if it has the shape of a rescan's progress, else null (bad or older data). */
export function parseRescanProgress(payload: Record<string, unknown> | null): RescanProgress | null {
  if (!payload) return null;
  const { path, phase, done, total } = payload;
  if (phase !== 'counting' && phase !== 'checking' && phase !== 'done') return null;
  if (typeof done !== 'number' || typeof total !== 'number') return null;
  if (path !== null && typeof path !== 'string') return null;
  const counts = typeof payload.counts === 'object' && payload.counts !== null
    ? payload.counts as Record<string, number> : undefined;
  const missing = typeof payload.missing === 'number' ? payload.missing : undefined;
  return { path, phase, done, total, counts, missing };
}

const OUTCOMES: [string, string][] = [
  ['new', 'new'], ['changed', 'changed'], ['moved', 'moved'], ['copy', 'copies'],
  ['failed', 'unreadable'],
];

/** "Checking /photos: 1,200 of 5,000 files", or what a finished scan found. */
export function rescanText(p: RescanProgress): string {
  if (p.phase === 'counting') return `Counting the files in ${p.path ?? 'the library'}…`;
  if (p.phase === 'checking') {
    return `Checking ${p.path ?? 'the library'}: ${number.format(p.done)} of `
      + `${number.format(p.total)} files`;
  }
  const found = OUTCOMES
    .map(([key, label]): [number, string] => [p.counts?.[key] ?? 0, label])
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${number.format(n)} ${label}`);
  if (p.missing) found.push(`${number.format(p.missing)} missing`);
  const checked = `${number.format(p.done)} file${p.done === 1 ? '' : 's'} checked`;
  return `Rescan done: ${checked}${found.length ? `; ${found.join(', ')}` : ', nothing changed'}`;
}
