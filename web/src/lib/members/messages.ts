/**
 * What the Members part of Settings says: role names, and a sentence for each refusal the
 * server gives when an owner adds, changes or removes a member. Plain TypeScript.
 */
import { ApiError } from '../api/client';
import type { LibraryRole } from '../api/gql/graphql';

/** Roles from most to least able, with what each may do (shown under the role picker). */
export const ROLES: readonly { value: LibraryRole; label: string; can: string }[] = [
  { value: 'OWNER', label: 'Owner', can: 'everything, including members and folders' },
  { value: 'EDITOR', label: 'Editor', can: 'rate, tag, organise and upload' },
  { value: 'VIEWER', label: 'Viewer', can: 'look only' },
];

export function roleLabel(role: LibraryRole): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'That did not work.';
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The refusal of a member change, as one sentence to show next to the form. */
export function memberErrorText(error: unknown, username: string): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? sentence(error.message) : 'That did not work.';
  }
  switch (error.code) {
    case 'NOT_FOUND':
      return `There is no active account called “${username.trim()}”. An admin creates accounts.`;
    case 'FORBIDDEN':
      return 'Only the library’s owners change its members.';
    case 'NETWORK':
    case 'SERVICE_UNAVAILABLE':
      return 'The server cannot be reached; nothing was changed.';
    default:
      return sentence(error.message);
  }
}
