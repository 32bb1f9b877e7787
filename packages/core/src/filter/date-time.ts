// xsd:dateTime as RFC 7643 2.3.5 uses it: date, "T", time, optional fraction, optional zone.
// Anchored, no nested quantifiers: matching is linear in the input.
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses an xsd:dateTime (`2011-05-13T04:42:34Z`, `2011-05-13T04:42:34.123+02:00`) into milliseconds
 * since the epoch, keeping sub-millisecond digits as a fraction. A value without a zone is read as
 * UTC. Undefined when the text is not a valid dateTime (including impossible dates such as Feb 30).
 *
 * @example
 * parseDateTime('2011-05-13T04:42:34Z'); // 1305261754000
 */
export function parseDateTime(text: string): number | undefined {
  if (text.length > 64) return undefined;
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12) return undefined;
  const maxDay = month === 2 && !isLeapYear(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > maxDay) return undefined;
  // 24:00:00 is the end of the day in xsd; leap seconds are not representable.
  if (hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0 || (match[7] !== undefined && Number(match[7]) !== 0))) {
    return undefined;
  }
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 14 || zoneMinutes > 59) return undefined;
    offsetMinutes = (zoneHours * 60 + zoneMinutes) * (zone.charCodeAt(0) === 0x2d ? -1 : 1);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const fraction = match[7] === undefined ? 0 : Number(match[7]) * 1000;
  return date.getTime() - offsetMinutes * 60_000 + fraction;
}
