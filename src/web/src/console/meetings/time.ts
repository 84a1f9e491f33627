// <input type="datetime-local"> speaks local wall-clock time without a zone; the API speaks ISO 8601 instants.
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function toIso(local: string): string {
  return new Date(local).toISOString();
}
