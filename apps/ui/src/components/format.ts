/** Dates and durations as a person reads them, in the browser's locale and zone. */
export const formatDate = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');

export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
};

export const durationBetween = (start: string | null | undefined, end: string | null | undefined, now = Date.now()): string =>
  start ? formatDuration((end ? Date.parse(end) : now) - Date.parse(start)) : '—';

/** Ids are time-ordered (their start is the time): the start and the random end tell them apart. */
export const shortId = (id: string): string => (id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);
