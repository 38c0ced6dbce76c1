/**
 * Sends one file to `POST /uploads/<library id>?name=…` with XMLHttpRequest (fetch has no
 * upload progress), carrying the access token like every API call. Before sending, the
 * content hash is asked about (`GET …?sha256=`) when the browser can hash (secure contexts):
 * a photo the library has already is not sent again.
 *
 * Statuses: 201 new, 200 already in the library; 4xx refusals are final (their message is
 * shown); network failures, 5xx, 408 and 429 are retried by the queue; 401 refreshes once.
 */
import { freshAccessToken } from '../api/client';
import { UploadError, type UploadAnswer } from './queue';

/** Hashing reads the whole file into memory: only for files a phone can spare that for. */
const HASH_LIMIT = 64 * 1024 * 1024;

export function uploadUrl(libraryId: string, name: string): string {
  return `/uploads/${encodeURIComponent(libraryId)}?name=${encodeURIComponent(name)}`;
}

/** Whether an HTTP status from the upload route is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** The message to show for a refused upload (the server's `{error}` when it sent one). */
export function refusalMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
  } catch {
    // not JSON: fall through
  }
  if (status === 0) return 'the connection was lost';
  if (status === 413) return 'the file is larger than the server accepts';
  return `the server answered ${status}`;
}

async function sha256Hex(file: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || file.size > HASH_LIMIT) return null;
  const digest = await subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function known(libraryId: string, hash: string, token: string | null):
  Promise<UploadAnswer | null> {
  try {
    const response = await fetch(`/uploads/${encodeURIComponent(libraryId)}?sha256=${hash}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    if (response.status !== 200) return null;
    const body = (await response.json()) as { photoId: string };
    return { photoId: body.photoId, duplicate: true };
  } catch {
    return null; // the upload itself will say what is wrong
  }
}

function post(libraryId: string, file: File, token: string | null, hash: string | null,
              onProgress: (fraction: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', uploadUrl(libraryId, file.name));
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    if (hash) xhr.setRequestHeader('X-Content-SHA256', hash);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, body: '' });
    xhr.ontimeout = () => resolve({ status: 0, body: '' });
    xhr.send(file);
  });
}

/** The queue's transport for one library. */
export function xhrTransport(libraryId: string) {
  return async (file: File, onProgress: (fraction: number) => void): Promise<UploadAnswer> => {
    let token = await freshAccessToken();
    const hash = await sha256Hex(file).catch(() => null);
    if (hash) {
      const found = await known(libraryId, hash, token);
      if (found) {
        onProgress(1);
        return found;
      }
    }
    let answer = await post(libraryId, file, token, hash, onProgress);
    if (answer.status === 401) {
      token = await freshAccessToken(true);
      answer = await post(libraryId, file, token, hash, onProgress);
    }
    if (answer.status === 200 || answer.status === 201) {
      const body = JSON.parse(answer.body) as { photoId: string; duplicate: boolean };
      return { photoId: body.photoId, duplicate: body.duplicate };
    }
    throw new UploadError(refusalMessage(answer.status, answer.body),
                          isRetryableStatus(answer.status));
  };
}
