//! A business week on local wall-clock time, with no time zone in sight: a local time is
//! a count of seconds from 1970-01-01T00:00 as the clock on the wall reads it, and every
//! question is answered in closed form, from the weekly total and binary searches over
//! the frames and the holidays. The caller (`calendar`) cuts real time into stretches of
//! one UTC offset, where wall-clock time runs in step with real time, and asks this
//! module about each stretch; so a span of months costs the same as a span of minutes.

/// Seconds in a day and in a week of local time.
pub(super) const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;

/// 1970-01-01 was a Thursday: adding three days counts weeks from Monday 1969-12-29.
const FROM_MONDAY: i64 = 3 * DAY;

/// The working frames of a week and the holidays that blank whole days.
#[derive(Debug, Clone)]
pub(super) struct Week {
    /// Frames as `[start, end)` seconds from Monday 00:00: sorted, disjoint, none empty.
    frames: Vec<(i64, i64)>,
    /// Working seconds of the week before each frame.
    before: Vec<i64>,
    /// Working seconds in a week with no holiday; more than zero.
    total: i64,
    /// Holidays as local day numbers (days from 1970-01-01): sorted, no repeats.
    holidays: Vec<i64>,
    /// Working seconds taken by the holidays before each one; one more entry than
    /// `holidays`, the last for all of them.
    lost_before: Vec<i64>,
}

impl Week {
    /// A week from its frames (seconds from Monday 00:00) and holidays (day numbers);
    /// `None` when the frames hold no time, since no clock could ever run on it.
    pub(super) fn new(mut frames: Vec<(i64, i64)>, mut holidays: Vec<i64>) -> Option<Week> {
        frames.retain(|&(start, end)| start < end);
        frames.sort_unstable();
        let mut before = Vec::with_capacity(frames.len());
        let mut total = 0;
        for &(start, end) in &frames {
            before.push(total);
            total += end - start;
        }
        if total == 0 {
            return None;
        }
        holidays.sort_unstable();
        holidays.dedup();
        let mut week = Week {
            frames,
            before,
            total,
            holidays: Vec::new(),
            lost_before: vec![0],
        };
        let mut lost = 0;
        for &day in &holidays {
            lost += week.day_prefix(day, DAY);
            week.lost_before.push(lost);
        }
        week.holidays = holidays;
        Some(week)
    }

    /// Working seconds in `[from, to)` of local time.
    pub(super) fn working(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        self.cumulative(to) - self.cumulative(from)
    }

    /// The first local second at or after `at` that is working time.
    pub(super) fn next_working(&self, at: i64) -> i64 {
        if self.working(at, at + 1) == 1 {
            at
        } else {
            self.add(at, 1) - 1
        }
    }

    /// The earliest local time by which `secs` (more than zero) working seconds have
    /// passed since `from`: steps from holiday to holiday, a closed form between them.
    pub(super) fn add(&self, from: i64, secs: i64) -> i64 {
        let mut at = from;
        let mut left = secs;
        let mut next = self
            .holidays
            .partition_point(|&day| day < at.div_euclid(DAY));
        loop {
            while self.holidays.get(next) == Some(&at.div_euclid(DAY)) {
                at = (at.div_euclid(DAY) + 1) * DAY;
                next += 1;
            }
            let done = self.pattern(at);
            let Some(&holiday) = self.holidays.get(next) else {
                return self.pattern_inverse(done + left);
            };
            let stretch = self.pattern(holiday * DAY) - done;
            if left <= stretch {
                return self.pattern_inverse(done + left);
            }
            left -= stretch;
            at = holiday * DAY;
        }
    }

    /// Working seconds from Monday 1969-12-29T00:00 to `at` (negative before it), as
    /// if there were no holidays, less those the holidays took.
    fn cumulative(&self, at: i64) -> i64 {
        let day = at.div_euclid(DAY);
        let index = self.holidays.partition_point(|&holiday| holiday < day);
        let mut lost = self.lost_before[index];
        if self.holidays.get(index) == Some(&day) {
            lost += self.day_prefix(day, at - day * DAY);
        }
        self.pattern(at) - lost
    }

    /// Working seconds in the first `time` seconds of local day `day`, by its weekday.
    fn day_prefix(&self, day: i64, time: i64) -> i64 {
        let start = (day * DAY + FROM_MONDAY).rem_euclid(WEEK);
        self.in_week(start + time) - self.in_week(start)
    }

    /// Working seconds of the weekly pattern from Monday 1969-12-29T00:00 to `at`.
    fn pattern(&self, at: i64) -> i64 {
        let shifted = at + FROM_MONDAY;
        shifted.div_euclid(WEEK) * self.total + self.in_week(shifted.rem_euclid(WEEK))
    }

    /// The earliest local time at which [`Week::pattern`] reaches `done`.
    fn pattern_inverse(&self, done: i64) -> i64 {
        // `rest` in (0, total]: an exact multiple of the weekly total is reached at the
        // end of the last frame of a week, not at the start of the next.
        let weeks = (done - 1).div_euclid(self.total);
        let rest = done - weeks * self.total;
        let frame = self
            .before
            .partition_point(|&before| before < rest)
            .saturating_sub(1);
        let (start, _) = self.frames[frame];
        weeks * WEEK + start + (rest - self.before[frame]) - FROM_MONDAY
    }

    /// Working seconds in `[0, at)` of the week, `at` in `0..=WEEK`.
    fn in_week(&self, at: i64) -> i64 {
        let after = self.frames.partition_point(|&(start, _)| start < at);
        match after.checked_sub(1) {
            None => 0,
            Some(frame) => {
                let (start, end) = self.frames[frame];
                self.before[frame] + at.min(end) - start
            }
        }
    }
}
