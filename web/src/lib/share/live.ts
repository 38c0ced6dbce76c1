/**
 * The live connection of a share: a socket while the widget is visible, a gentle poll when
 * sockets are blocked, and nothing at all once the link has ended (4403: no retry storm).
 *
 *   const live = new ShareLive(url, { message, state, refresh });
 *   live.start();   // visible: connect (refresh() re-reads the list on every (re)connect)
 *   live.stop();    // hidden or scrolled away: disconnect
 */
import { backoffDelay } from '../api/backoff';
import type { LiveMessage } from './photos';

export type LiveState = 'idle' | 'connecting' | 'live' | 'paused' | 'ended';

export interface LiveHandlers {
  message(message: LiveMessage): void;
  state(state: LiveState): void;
  /** Re-read the list: after each (re)connect, on `resync`, and on each poll. */
  refresh(): void;
}

export interface LiveOptions {
  /** Poll interval while sockets fail, ms. */
  pollMs?: number;
  /** Socket attempts that never opened before falling back to polling. */
  maxFailures?: number;
  /** While polling, try a socket again every this many polls. */
  retryEvery?: number;
  socket?: (url: string) => WebSocket;
}

export const CLOSE_ENDED = 4403;

export class ShareLive {
  #socket: WebSocket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #attempt = 0;
  #polls = 0;
  #running = false;
  #state: LiveState = 'idle';
  readonly #pollMs: number;
  readonly #maxFailures: number;
  readonly #retryEvery: number;
  readonly #open: (url: string) => WebSocket;

  constructor(private readonly url: string, private readonly handlers: LiveHandlers,
              options: LiveOptions = {}) {
    this.#pollMs = options.pollMs ?? 30_000;
    this.#maxFailures = options.maxFailures ?? 2;
    this.#retryEvery = options.retryEvery ?? 10;
    this.#open = options.socket ?? ((u) => new WebSocket(u));
  }

  get state(): LiveState {
    return this.#state;
  }

  start(): void {
    if (this.#running || this.#state === 'ended') return;
    this.#running = true;
    if (this.#failures >= this.#maxFailures) this.#poll();
    else this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#clearTimer();
    this.#closeSocket();
    if (this.#state !== 'ended') this.#set('idle');
  }

  /** The link has ended (an HTTP answer said so): stop for good. */
  end(): void {
    this.stop();
    this.#set('ended');
  }

  #set(state: LiveState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.handlers.state(state);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #closeSocket(): void {
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000);
    }
  }

  #connect(): void {
    if (!this.#running) return;
    this.#set(this.#state === 'paused' ? 'paused' : 'connecting');
    let opened = false;
    let socket: WebSocket;
    try {
      socket = this.#open(this.url);
    } catch {
      this.#failed(false);
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      opened = true;
      this.#failures = 0;
      this.#attempt = 0;
      this.#polls = 0;
      this.#clearTimer();
      this.#set('live');
      this.handlers.refresh(); // what changed while we were away
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data)) as LiveMessage;
      } catch {
        return;
      }
      if (message.type === 'resync') this.handlers.refresh();
      else this.handlers.message(message);
    };
    socket.onclose = (event) => {
      this.#socket = null;
      if (event.code === CLOSE_ENDED) {
        this.#running = false;
        this.#clearTimer();
        this.#set('ended');
        return;
      }
      this.#failed(opened);
    };
  }

  #failed(wasOpen: boolean): void {
    if (!this.#running) return;
    if (!wasOpen) this.#failures++;
    if (this.#failures >= this.#maxFailures) {
      this.#poll();
      return;
    }
    const delay = backoffDelay(this.#attempt++, Math.random(), { baseMs: 1000, maxMs: 60_000 });
    this.#clearTimer();
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  #poll(): void {
    if (!this.#running) return;
    this.#set('paused');
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#running) return;
      this.#polls++;
      this.handlers.refresh();
      if (this.#polls % this.#retryEvery === 0) this.#connect(); // sockets may work again
      else this.#poll();
    }, this.#pollMs);
  }
}
