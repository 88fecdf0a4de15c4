/**
 * `str(django.utils.timezone.now())` as authentik writes it into an export's metadata name:
 * `2025-03-01 12:00:00.123000+00:00` (microseconds left out when zero).
 */
export function pythonUtcTimestamp(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms * 1000, 6)}`;
  return `${day} ${time}${fraction}+00:00`;
}
