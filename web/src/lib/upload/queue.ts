/**
 * The upload queue: files go up a few at a time, each with its own progress, retried with
 * backoff when the connection fails (a phone walking out of Wi-Fi), and failed for good with
 * the server's message when the server refuses it (not a photo, too large, no permission).
 *
 * Framework-free: the transport (XMLHttpRequest in the app, a fake in tests) and the clock are
 * passed in; the UI subscribes with `onChange` and reads `items`.
 */
import { backoffDelay } from '../api/backoff';

export type UploadStatus = 'queued' | 'uploading' | 'waiting' | 'done' | 'duplicate' | 'failed';

export interface UploadItem {
  id: number;
  name: string;
  size: number;
  status: UploadStatus;
  /** 0..1 of the bytes sent in the current attempt. */
  progress: number;
  /** Attempts made so far (1 while the first is under way). */
  attempts: number;
  error: string | null;
  /** For a failed file: whether trying again could help (a lost connection, not a refusal). */
  retryable: boolean;
  photoId: string | null;
}

export interface UploadAnswer {
  photoId: string;
  duplicate: boolean;
}

/** Thrown by a transport: `retryable` for network trouble and 5xx, not for refusals. */
export class UploadError extends Error {
  retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'UploadError';
    this.retryable = retryable;
  }
}

export type Transport<F> = (file: F, onProgress: (fraction: number) => void) =>
  Promise<UploadAnswer>;

export interface QueueOptions {
  /** Attempts per file before giving up on a flaky connection. */
  maxAttempts?: number;
  /** Files sent at once. */
  parallel?: number;
  /** Waits between attempts (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  backoff?: (attempt: number) => number;
}

interface Entry<F> {
  item: UploadItem;
  file: F;
}

export class UploadQueue<F extends { name: string; size: number }> {
  private entries: Entry<F>[] = [];
  private running = 0;
  private nextId = 1;
  private listeners = new Set<() => void>();
  private readonly maxAttempts: number;
  private readonly parallel: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly backoff: (attempt: number) => number;

  constructor(private readonly transport: Transport<F>, options: QueueOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.parallel = options.parallel ?? 2;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.backoff = options.backoff ?? ((attempt) => backoffDelay(attempt, Math.random(),
                                                                 { baseMs: 1000, maxMs: 15_000 }));
  }

  /** Snapshots of every file, in the order they were added. */
  get items(): UploadItem[] {
    return this.entries.map((e) => ({ ...e.item }));
  }

  /** True while anything is queued, sending or waiting to retry. */
  get busy(): boolean {
    return this.entries.some((e) => ['queued', 'uploading', 'waiting'].includes(e.item.status));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(files: Iterable<F>): number[] {
    const ids: number[] = [];
    for (const file of files) {
      const item: UploadItem = { id: this.nextId++, name: file.name, size: file.size,
                                 status: 'queued', progress: 0, attempts: 0, error: null,
                                 retryable: false, photoId: null };
      this.entries.push({ item, file });
      ids.push(item.id);
    }
    this.changed();
    this.pump();
    return ids;
  }

  /** Try a failed file again (a fresh set of attempts). */
  retry(id: number): void {
    const entry = this.entries.find((e) => e.item.id === id);
    if (!entry || entry.item.status !== 'failed') return;
    Object.assign(entry.item, { status: 'queued', progress: 0, attempts: 0, error: null,
                                retryable: false });
    this.changed();
    this.pump();
  }

  /** Forget finished files (done, duplicate or failed). */
  clearFinished(): void {
    this.entries = this.entries.filter(
      (e) => !['done', 'duplicate', 'failed'].includes(e.item.status));
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private pump(): void {
    while (this.running < this.parallel) {
      const next = this.entries.find((e) => e.item.status === 'queued');
      if (!next) return;
      this.running++;
      next.item.status = 'uploading';
      void this.send(next).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async send(entry: Entry<F>): Promise<void> {
    const { item } = entry;
    for (;;) {
      item.attempts++;
      item.status = 'uploading';
      item.progress = 0;
      this.changed();
      try {
        const answer = await this.transport(entry.file, (fraction) => {
          item.progress = Math.min(1, Math.max(0, fraction));
          this.changed();
        });
        Object.assign(item, { status: answer.duplicate ? 'duplicate' : 'done', progress: 1,
                              photoId: answer.photoId, error: null });
        this.changed();
        return;
      } catch (error) {
        const refusal = error instanceof UploadError ? error
          : new UploadError(error instanceof Error ? error.message : String(error), true);
        if (!refusal.retryable || item.attempts >= this.maxAttempts) {
          Object.assign(item, { status: 'failed', error: refusal.message,
                                retryable: refusal.retryable });
          this.changed();
          return;
        }
        // The same bytes again later: the server answers a completed retry as a duplicate.
        item.status = 'waiting';
        item.error = refusal.message;
        this.changed();
        await this.sleep(this.backoff(item.attempts - 1));
      }
    }
  }
}
