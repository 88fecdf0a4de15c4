/** authentik `timedelta_from_string` ("hours=1;minutes=2", floats allowed) in seconds. */
const UNIT_SECONDS: Record<string, number> = {
  microseconds: 1e-6,
  milliseconds: 1e-3,
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
};

export function durationSeconds(text: string): number {
  let total = 0;
  for (const part of text.split(/[,;]/)) {
    if (part.trim() === '') continue;
    const [rawKey, rawValue] = part.split('=');
    const unit = UNIT_SECONDS[(rawKey ?? '').trim()];
    const value = Number((rawValue ?? '').trim());
    if (unit === undefined || !Number.isFinite(value)) throw new Error(`Invalid duration "${text}"`);
    total += unit * value;
  }
  return total;
}
