/**
 * The app's uploads: one queue per library, its items as reactive state for the sheet, whether
 * the current library takes uploads, and files handed over by the share target.
 */
import { request } from '../../lib/api/client';
import { UploadTargetQuery } from '../../lib/api/operations/uploads';
import { type UploadItem, UploadQueue } from '../../lib/upload/queue';
import { xhrTransport } from '../../lib/upload/transport';

/** Where the service worker leaves files shared to the app (see sw.ts). */
export const SHARE_CACHE = 'share-target';

class Uploads {
  items = $state<UploadItem[]>([]);
  open = $state(false);
  /** Whether the viewer may upload to `libraryId` (an editor or owner, a folder chosen). */
  canUpload = $state(false);
  libraryId = $state<string | null>(null);
  private queues = new Map<string, UploadQueue<File>>();
  private stopListening: (() => void) | null = null;

  /** Follow the current library: its queue's items, and whether it takes uploads. */
  async follow(libraryId: string | null): Promise<void> {
    this.libraryId = libraryId;
    this.stopListening?.();
    this.stopListening = null;
    this.items = [];
    this.canUpload = false;
    if (!libraryId) return;
    const queue = this.queue(libraryId);
    this.stopListening = queue.onChange(() => (this.items = queue.items));
    this.items = queue.items;
    try {
      const data = await request(UploadTargetQuery, { id: libraryId });
      if (this.libraryId === libraryId) this.canUpload = data.library?.canUpload ?? false;
    } catch {
      // offline or refused: no upload button; the next library change asks again
    }
  }

  add(files: Iterable<File>): void {
    if (!this.libraryId) return;
    this.queue(this.libraryId).add(files);
    this.open = true;
  }

  retry(id: number): void {
    if (this.libraryId) this.queue(this.libraryId).retry(id);
  }

  clearFinished(): void {
    if (this.libraryId) this.queue(this.libraryId).clearFinished();
  }

  /** Files shared to the app while it was closed: queue them and show their progress. */
  async takeShared(): Promise<number> {
    if (!this.libraryId || !('caches' in globalThis)) return 0;
    const cache = await caches.open(SHARE_CACHE);
    const files: File[] = [];
    for (const key of await cache.keys()) {
      const response = await cache.match(key);
      if (response) {
        const name = decodeURIComponent(response.headers.get('X-File-Name') ?? 'shared');
        files.push(new File([await response.blob()], name,
                            { type: response.headers.get('Content-Type') ?? '' }));
      }
      await cache.delete(key);
    }
    if (files.length) this.add(files);
    else this.open = true;
    return files.length;
  }

  private queue(libraryId: string): UploadQueue<File> {
    let queue = this.queues.get(libraryId);
    if (!queue) {
      queue = new UploadQueue(xhrTransport(libraryId));
      this.queues.set(libraryId, queue);
    }
    return queue;
  }
}

export const uploads = new Uploads();
