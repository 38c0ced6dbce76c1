/**
 * Who is signed in, their libraries and the current one, and whether the server answers.
 * Shared by every screen; the client module (client.ts) reports expiry and reachability here.
 */
import {
  ApiError, clearSession, hasStoredSession, onReachability, onSessionExpired, request,
  setSession, storedRefreshToken, type AuthPayload,
} from './client';
import { backoffDelay } from './backoff';
import type { LibraryRole } from './gql/graphql';
import {
  CreateFirstAdminMutation, LoginMutation, LogoutMutation, ServerVersionQuery, SessionQuery,
  SetupRequiredQuery,
} from './operations/session';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out' | 'expired';

export interface SessionUser {
  id: string;
  username: string;
  isAdmin: boolean;
}

export interface SessionLibrary {
  id: string;
  name: string;
  role: LibraryRole;
  photoCount: number;
}

const LIBRARY_KEY = 'photonix.libraryId';

class Session {
  user = $state<SessionUser | null>(null);
  status = $state<SessionStatus>('unknown');
  libraries = $state<SessionLibrary[]>([]);
  currentLibraryId = $state<string | null>(null);
  /** False while the server does not answer (the app keeps showing what it has). */
  reachable = $state(true);
  /** True when the server has no admin yet (first run); null while unknown. */
  setupRequired = $state<boolean | null>(null);

  readonly currentLibrary = $derived(
    this.libraries.find((l) => l.id === this.currentLibraryId) ?? null);
  /** Owners and editors may rate, tag and edit; viewers only look. */
  readonly canEdit = $derived(
    this.currentLibrary?.role === 'OWNER' || this.currentLibrary?.role === 'EDITOR');

  /** On start: resume a stored session, or find out whether the server needs setting up. */
  async init(): Promise<void> {
    if (hasStoredSession()) {
      await this.load();
      return;
    }
    this.status = 'signed-out';
    await this.checkSetup();
  }

  async checkSetup(): Promise<void> {
    try {
      this.setupRequired = (await request(SetupRequiredQuery)).setupRequired;
    } catch (error) {
      // An older server without the field, or unreachable: unknown.
      this.setupRequired = null;
      if (error instanceof ApiError && error.retryable) this.#watchReachability();
    }
  }

  /** Load the user and libraries (after sign-in, on start, after the server came back). */
  async load(): Promise<void> {
    const hadSession = hasStoredSession() || this.user !== null;
    try {
      const data = await request(SessionQuery);
      if (!data.me) {
        // A stored session that could not be refreshed has expired: say so, keep the route.
        this.status = hadSession ? 'expired' : 'signed-out';
        return;
      }
      this.user = data.me;
      this.libraries = data.libraries;
      const stored = localStorage.getItem(LIBRARY_KEY);
      const chosen = data.libraries.find((l) => l.id === (this.currentLibraryId ?? stored));
      this.currentLibraryId = chosen?.id ?? data.libraries[0]?.id ?? null;
      this.status = 'signed-in';
    } catch (error) {
      if (error instanceof ApiError && error.retryable) {
        // Keep whatever state we had; try again when the server answers.
        if (this.status === 'unknown' && hasStoredSession()) this.status = 'signed-in';
        this.#watchReachability();
        return;
      }
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        this.status = hadSession ? 'expired' : 'signed-out';
        return;
      }
      throw error;
    }
  }

  async signIn(username: string, password: string): Promise<void> {
    const data = await request(LoginMutation, { username, password });
    await this.#start(data.login);
  }

  async createFirstAdmin(setupToken: string, username: string, password: string): Promise<void> {
    const data = await request(CreateFirstAdminMutation, { setupToken, username, password });
    this.setupRequired = false;
    await this.#start(data.createFirstAdmin);
  }

  async #start(payload: AuthPayload): Promise<void> {
    setSession(payload);
    this.user = payload.user;
    await this.load();
  }

  async signOut(): Promise<void> {
    const token = storedRefreshToken();
    clearSession();
    this.user = null;
    this.libraries = [];
    this.currentLibraryId = null;
    this.status = 'signed-out';
    if (token) {
      try {
        await request(LogoutMutation, { refreshToken: token });
      } catch {
        // Signed out here either way; the server's session expires on its own.
      }
    }
  }

  chooseLibrary(id: string): void {
    this.currentLibraryId = id;
    try {
      localStorage.setItem(LIBRARY_KEY, id);
    } catch {
      // storage disabled: the choice lasts this page
    }
  }

  // ---- unreachable server: poll gently until it answers ---------------------------------------

  #polling = false;

  #watchReachability(): void {
    this.reachable = false;
    if (this.#polling) return;
    this.#polling = true;
    void (async () => {
      for (let attempt = 0; !this.reachable; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, Math.random(),
                                                                        { baseMs: 1000 })));
        try {
          await request(ServerVersionQuery);
        } catch {
          continue;
        }
        this.reachable = true;
      }
      this.#polling = false;
      if (this.status === 'signed-in' || hasStoredSession()) await this.load();
      else await this.checkSetup();
    })();
  }

  /** Wired once by the app: the client's notifications become state. */
  connect(): () => void {
    const offExpired = onSessionExpired(() => {
      if (this.status === 'signed-in' || this.status === 'unknown') this.status = 'expired';
    });
    const offReach = onReachability((state) => {
      if (state === 'unreachable') this.#watchReachability();
      else this.reachable = true;
    });
    return () => {
      offExpired();
      offReach();
    };
  }
}

export const session = new Session();
