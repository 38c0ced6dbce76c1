import { describe, expect, it } from 'vitest';
import { stageName, stageRows } from '../../../src/lib/jobs/stages';

describe('stageRows', () => {
  it('lists every stage once, with zeros for stages without jobs', () => {
    const face = { stage: 'face', queued: 3, running: 1, done: 5, failed: 0, perMinute: 2,
                   etaSeconds: 120 };
    const old = { ...face, stage: 'legacy' };
    expect(stageRows(['object', 'face'], [face, old]).map((r) => [r.stage, r.queued])).toEqual([
      ['object', 0], ['face', 3], ['legacy', 3]]);
    expect(stageRows(['colour'], [])[0]).toEqual({ stage: 'colour', queued: 0, running: 0,
                                                    done: 0, failed: 0, perMinute: 0,
                                                    etaSeconds: 0 });
  });
  it('names stages', () => {
    expect(stageName('location')).toBe('Places');
    expect(stageName('custom')).toBe('custom');
  });
});
