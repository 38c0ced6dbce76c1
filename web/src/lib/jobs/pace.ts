/**
 * Words for a job queue's pace on the Settings screen: how many jobs a minute finish, and how
 * long the waiting ones should take ("about 3 min"). Plain TypeScript, unit-tested in Node.
 */

/** One stage's waiting work and pace, as `stageProgress` reports it. */
export interface Pace {
  queued: number;
  running: number;
  /** Jobs done a minute, recently (the server's window). */
  perMinute: number;
  /** Seconds until the queued and running jobs are done; null: no rate to go by. */
  etaSeconds: number | null;
}

/** "12/min", "1.5/min", "0.2/min"; "0/min" when nothing finished lately. */
export function formatRate(perMinute: number): string {
  if (!(perMinute > 0)) return '0/min';
  if (perMinute >= 10) return `${Math.round(perMinute)}/min`;
  const tenths = Math.round(perMinute * 10) / 10;
  return `${tenths > 0 ? tenths : 0.1}/min`; // a trickle is still not zero
}

/** "under a minute", "about 3 min", "about 1 h 15 min", "about 2 days". */
export function formatEta(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  if (minutes < 24 * 60) {
    // Past an hour, five minutes either way is noise.
    const rounded = Math.round(minutes / 5) * 5;
    const hours = Math.floor(rounded / 60);
    const rest = rounded % 60;
    return rest ? `about ${hours} h ${rest} min` : `about ${hours} h`;
  }
  const days = Math.round(minutes / (24 * 60));
  return `about ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** One line for a stage: "12/min · about 3 min left", "Nothing waiting", ... */
export function paceText(pace: Pace): string {
  const waiting = pace.queued + pace.running;
  if (waiting === 0) return pace.perMinute > 0 ? `${formatRate(pace.perMinute)} · all done`
    : 'Nothing waiting';
  if (pace.etaSeconds === null) {
    // Some of the work has no rate to go by (a stage without a runner): no time left.
    return pace.perMinute > 0 ? `${formatRate(pace.perMinute)} · ${waiting} waiting`
      : `${waiting} waiting · none finished lately`;
  }
  return `${formatRate(pace.perMinute)} · ${formatEta(pace.etaSeconds)} left`;
}

/**
 * Every stage together: rates add up; the time left is the slowest stage's (they share the
 * runners, so they finish together), unknown when a stage with work left has no rate.
 */
export function totalPace(stages: readonly Pace[]): Pace {
  let eta: number | null = 0;
  for (const s of stages) {
    if (s.queued + s.running === 0) continue;
    eta = eta === null || s.etaSeconds === null ? null : Math.max(eta, s.etaSeconds);
  }
  return {
    queued: stages.reduce((n, s) => n + s.queued, 0),
    running: stages.reduce((n, s) => n + s.running, 0),
    perMinute: stages.reduce((n, s) => n + s.perMinute, 0),
    etaSeconds: eta,
  };
}
