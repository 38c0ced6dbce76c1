import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/lib/api/client';
import { memberErrorText, roleLabel } from '../../../src/lib/members/messages';

describe('memberErrorText', () => {
  it('names the unknown user', () => {
    expect(memberErrorText(new ApiError('no such user', 'NOT_FOUND'), ' nobody '))
      .toBe('There is no active account called “nobody”. An admin creates accounts.');
  });
  it('turns the server’s reasons into sentences', () => {
    expect(memberErrorText(new ApiError('you cannot change your own role', 'BAD_USER_INPUT'),
                           'me')).toBe('You cannot change your own role.');
    expect(memberErrorText(new ApiError('needs the owner role in this library', 'FORBIDDEN'),
                           'x')).toBe('Only the library’s owners change its members.');
    expect(memberErrorText(new ApiError('offline', 'NETWORK', true), 'x'))
      .toBe('The server cannot be reached; nothing was changed.');
    expect(memberErrorText(new Error(''), 'x')).toBe('That did not work.');
    expect(memberErrorText('odd', 'x')).toBe('That did not work.');
  });
});

describe('roleLabel', () => {
  it('reads roles as words', () => {
    expect(roleLabel('EDITOR')).toBe('Editor');
  });
});
