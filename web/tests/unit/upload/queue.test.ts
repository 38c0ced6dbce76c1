import { describe, expect, it } from 'vitest';
import { UploadError, UploadQueue, type Transport } from '../../../src/lib/upload/queue';
import { isRetryableStatus, refusalMessage, uploadUrl } from '../../../src/lib/upload/transport';

interface FakeFile { name: string; size: number }

function settle(queue: UploadQueue<FakeFile>): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!queue.busy) {
        stop();
        resolve();
      }
    };
    const stop = queue.onChange(check);
    check();
  });
}

const noWait = { sleep: async () => {}, backoff: () => 0 };

describe('UploadQueue', () => {
  it('reports progress per file and the photo each became', async () => {
    const seen: number[] = [];
    const transport: Transport<FakeFile> = async (file, onProgress) => {
      onProgress(0.5);
      onProgress(1);
      return { photoId: `p-${file.name}`, duplicate: file.name === 'b.jpg' };
    };
    const queue = new UploadQueue(transport, noWait);
    queue.onChange(() => seen.push(queue.items[0]?.progress ?? -1));
    queue.add([{ name: 'a.jpg', size: 10 }, { name: 'b.jpg', size: 20 }]);
    await settle(queue);
    expect(queue.items.map((i) => [i.name, i.status, i.photoId])).toEqual([
      ['a.jpg', 'done', 'p-a.jpg'], ['b.jpg', 'duplicate', 'p-b.jpg']]);
    expect(seen).toContain(0.5);
  });

  it('retries a flaky connection with backoff, then succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const transport: Transport<FakeFile> = async () => {
      calls++;
      if (calls < 3) throw new UploadError('the connection was lost', true);
      return { photoId: 'p1', duplicate: false };
    };
    const queue = new UploadQueue(transport, {
      sleep: async (ms) => { waits.push(ms); }, backoff: (attempt) => 100 * 2 ** attempt });
    queue.add([{ name: 'a.jpg', size: 1 }]);
    await settle(queue);
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
    expect(queue.items[0]).toMatchObject({ status: 'done', attempts: 3, error: null });
  });

  it('gives up after the last attempt and can be retried by hand', async () => {
    let fail = true;
    const transport: Transport<FakeFile> = async () => {
      if (fail) throw new UploadError('the connection was lost', true);
      return { photoId: 'p1', duplicate: true };
    };
    const queue = new UploadQueue(transport, { ...noWait, maxAttempts: 3 });
    const [id] = queue.add([{ name: 'a.jpg', size: 1 }]);
    await settle(queue);
    expect(queue.items[0]).toMatchObject({ status: 'failed', attempts: 3, retryable: true,
                                           error: 'the connection was lost' });
    fail = false;
    queue.retry(id!);
    await settle(queue);
    expect(queue.items[0]).toMatchObject({ status: 'duplicate', photoId: 'p1' });
  });

  it('does not retry a refusal and shows its message', async () => {
    let calls = 0;
    const transport: Transport<FakeFile> = async () => {
      calls++;
      throw new UploadError('this file is not a photo the library can read', false);
    };
    const queue = new UploadQueue(transport, noWait);
    queue.add([{ name: 'notes.txt', size: 5 }]);
    await settle(queue);
    expect(calls).toBe(1);
    expect(queue.items[0]?.error).toBe('this file is not a photo the library can read');
    expect(queue.items[0]?.retryable).toBe(false);
    queue.clearFinished();
    expect(queue.items).toEqual([]);
  });

  it('sends at most `parallel` files at once', async () => {
    let active = 0;
    let most = 0;
    const transport: Transport<FakeFile> = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      return { photoId: 'p', duplicate: false };
    };
    const queue = new UploadQueue(transport, { ...noWait, parallel: 2 });
    queue.add(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, size: 1 })));
    await settle(queue);
    expect(most).toBe(2);
    expect(queue.items.every((i) => i.status === 'done')).toBe(true);
  });
});

describe('upload transport helpers', () => {
  it('retries network trouble and server faults, not refusals', () => {
    expect([0, 408, 429, 500, 503].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 413, 415].some(isRetryableStatus)).toBe(false);
  });

  it("shows the server's message, or says what the status means", () => {
    expect(refusalMessage(415, '{"error":"videos cannot be uploaded yet","code":"X"}'))
      .toBe('videos cannot be uploaded yet');
    expect(refusalMessage(413, '')).toBe('the file is larger than the server accepts');
    expect(refusalMessage(0, '')).toBe('the connection was lost');
  });

  it('keeps the name a query value', () => {
    expect(uploadUrl('lib', '../../x.jpg')).toBe('/uploads/lib?name=..%2F..%2Fx.jpg');
  });
});
