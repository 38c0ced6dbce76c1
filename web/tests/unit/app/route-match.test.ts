import { describe, expect, it } from 'vitest';
import { match, OVERLAYS } from '../../../src/app/route-match';

describe('route matching', () => {
  it('names the screens and reads params and query', () => {
    expect(match('/').name).toBe('photos');
    expect(match('/live').name).toBe('live');
    expect(match('/signin?next=%2Flive')).toMatchObject({ name: 'signin', query: { next: '/live' } });
    const photo = match('/photos/7f3c2a?from=search');
    expect(photo).toMatchObject({ name: 'photo', params: { id: '7f3c2a' }, query: { from: 'search' },
                                  href: '/photos/7f3c2a?from=search' });
    expect(match('/search?q=cat&tagType=OBJECT').query).toEqual({ q: 'cat', tagType: 'OBJECT' });
    expect(match('/setup').name).toBe('setup');
    expect(match('/trash').name).toBe('trash');
    expect(match('/trash/').name).toBe('trash');
  });

  it('treats unknown paths as not found and only the viewer as an overlay', () => {
    expect(match('/nope/deeper').name).toBe('notfound');
    expect(match('/photos/').name).toBe('notfound');
    expect([...OVERLAYS]).toEqual(['photo']);
  });
});
