const XSD_DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True when `text` is a valid xsd:dateTime (RFC 7643 2.3.5), e.g. `2008-01-23T04:56:22Z` or
 * `2015-09-01T10:00:00.123+02:00`: real calendar dates, hours 00-23 (or exactly `24:00:00`),
 * minutes and seconds 00-59, and a zone offset within +/-14:00.
 */
export function isXsdDateTime(text: string): boolean {
  const match = XSD_DATE_TIME.exec(text);
  if (match === null) return false;
  const [, y, mo, d, h, mi, s, fraction, , zh, zm] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (minute > 59 || second > 59) return false;
  if (
    hour > 24 ||
    (hour === 24 && (minute !== 0 || second !== 0 || (fraction !== undefined && /[1-9]/.test(fraction))))
  ) {
    return false;
  }
  if (zh !== undefined && zm !== undefined) {
    const offsetHour = Number(zh);
    const offsetMinute = Number(zm);
    if (offsetMinute > 59 || offsetHour > 14 || (offsetHour === 14 && offsetMinute !== 0)) return false;
  }
  return true;
}
