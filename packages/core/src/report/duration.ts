/** "2 h 11 min 15 s", "45 s", "0 s": the way the HOWTO and people state keepalive times. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  if (s <= 0) return '0 s';
  const parts: string[] = [];
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds) parts.push(`${seconds} s`);
  return parts.join(' ');
}
