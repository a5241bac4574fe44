// The shape of service hours and the rules every part shares:
// - A range whose end is before its start runs overnight: `fri 22:00-02:00` is open Saturday 01:00.
// - A holiday closes its whole local date, even the tail of an overnight range begun the evening
//   before: on a holiday nobody should be left waiting at 01:00 for an agent who is off.
// - An extra working date replaces that date's weekly ranges (and may open a day that is closed).
// - A date that is both a holiday and an extra working date is a holiday; the schema refuses it.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** start and end as HH:MM; end may be 24:00; an end before the start runs past midnight. */
export interface TimeRange {
  start: string;
  end: string;
}

export interface ServiceHours {
  timezone: string;
  weekly: Record<Weekday, TimeRange[]>;
  /** Local dates (YYYY-MM-DD) closed all day, even the tail of a range begun the evening before. */
  holidays: string[];
  /** Local dates open with these ranges whatever the weekly schedule says. */
  extraWorkdays: { date: string; ranges: TimeRange[] }[];
}

/** More ranges than this in one day is a typo, and would make the follower's text unreadable. */
export const MAX_RANGES_PER_DAY = 6;
/** How far ahead nextOpening looks; a longer closure is better announced by a person. */
export const LOOKAHEAD_DAYS = 14;

/** HH:MM from 00:00 to 23:59, or 24:00. */
export const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

export const isOvernight = (r: TimeRange) => minuteOf(r.end) < minuteOf(r.start);

export function closedWeek(): Record<Weekday, TimeRange[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}
