/** Classifier stages as the Settings screen lists them: a name each, and a row for each. */

const STAGE_NAMES: Record<string, string> = {
  object: 'Objects', face: 'Faces', colour: 'Colours', location: 'Places', event: 'Events',
};

export function stageName(stage: string): string {
  return STAGE_NAMES[stage] ?? stage;
}

export interface StageCounts {
  stage: string;
  queued: number;
  running: number;
  done: number;
  failed: number;
  perMinute: number;
  etaSeconds: number | null;
}

/** Every known stage once, in the order given, with zeros for those that never had a job. */
export function stageRows<T extends StageCounts>(known: readonly string[],
                                                 progress: readonly T[]): (T | StageCounts)[] {
  const byStage = new Map(progress.map((p) => [p.stage, p]));
  return [...new Set([...known, ...progress.map((p) => p.stage)])].map((stage) => byStage.get(stage)
    ?? { stage, queued: 0, running: 0, done: 0, failed: 0, perMinute: 0, etaSeconds: 0 });
}
