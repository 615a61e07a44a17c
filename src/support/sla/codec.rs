//! [`Facts`] as bytes, for the index's fast field: `sla` and `report` read 100,000 of
//! them per answer, so the form is a few fixed-width numbers, not JSON.

use jiff::Timestamp;

use super::{Clock, ClockState, Facts, Target};

const VERSION: u8 = 1;

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn time(&mut self, t: Timestamp) {
        self.i64(t.as_second());
    }
    fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.i64(v);
            }
            None => self.u8(0),
        }
    }
    fn opt_time(&mut self, t: Option<Timestamp>) {
        self.opt_i64(t.map(|t| t.as_second()));
    }
    fn str(&mut self, s: Option<&str>) {
        let s = s.unwrap_or("");
        let n = s.len().min(u16::MAX as usize);
        self.0.extend_from_slice(&(n as u16).to_le_bytes());
        self.0.extend_from_slice(&s.as_bytes()[..n]);
    }
}

struct In<'a>(&'a [u8]);

impl In<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&v, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(v)
    }
    fn i64(&mut self) -> Option<i64> {
        let (head, rest) = self.0.split_at_checked(8)?;
        self.0 = rest;
        Some(i64::from_le_bytes(head.try_into().ok()?))
    }
    fn time(&mut self) -> Option<Timestamp> {
        Timestamp::from_second(self.i64()?).ok()
    }
    fn opt_i64(&mut self) -> Option<Option<i64>> {
        Some(match self.u8()? {
            0 => None,
            _ => Some(self.i64()?),
        })
    }
    fn opt_time(&mut self) -> Option<Option<Timestamp>> {
        Some(match self.opt_i64()? {
            None => None,
            Some(s) => Some(Timestamp::from_second(s).ok()?),
        })
    }
    /// A text, or (`keep` false) only its length skipped.
    fn str_if(&mut self, keep: bool) -> Option<Option<String>> {
        let (head, rest) = self.0.split_at_checked(2)?;
        let n = u16::from_le_bytes(head.try_into().ok()?) as usize;
        let (s, rest) = rest.split_at_checked(n)?;
        self.0 = rest;
        if !keep {
            return Some(None);
        }
        let s = std::str::from_utf8(s).ok()?;
        Some((!s.is_empty()).then(|| s.to_string()))
    }
}

/// The bytes of a ticket's facts.
pub fn encode(f: &Facts) -> Vec<u8> {
    let mut o = Out(Vec::with_capacity(96));
    o.u8(VERSION);
    o.str(f.policy.as_deref());
    o.str(f.calendar.as_deref());
    o.u8(f.clocks.len() as u8);
    for c in &f.clocks {
        o.u8(match c.target {
            Target::FirstResponse => 0,
            Target::NextResponse => 1,
            Target::Resolution => 2,
        });
        o.i64(c.budget);
        match c.state {
            ClockState::Met { at, used } => {
                o.u8(0);
                o.time(at);
                o.i64(used);
            }
            ClockState::Missed {
                at,
                used,
                breached_at,
            } => {
                o.u8(1);
                o.time(at);
                o.i64(used);
                o.time(breached_at);
            }
            ClockState::Running { due } => {
                o.u8(2);
                o.time(due);
            }
            ClockState::Paused { left } => {
                o.u8(3);
                o.i64(left);
            }
            ClockState::Ended => o.u8(4),
            ClockState::Lapsed { breached_at } => {
                o.u8(5);
                o.time(breached_at);
            }
        }
    }
    o.i64(i64::from(f.next_met));
    o.i64(i64::from(f.next_missed));
    o.opt_i64(f.first_response_secs);
    o.opt_time(f.first_response_at);
    o.opt_i64(f.resolution_secs);
    o.opt_time(f.closed_at);
    o.opt_time(f.created);
    o.u8(f.paused as u8);
    let n = f.ratings.len().min(255);
    o.u8(n as u8);
    for (at, r) in f.ratings.iter().take(n) {
        o.time(*at);
        o.u8(*r);
    }
    o.0
}

/// A ticket's facts from their bytes; None for bytes another version wrote.
pub fn decode(bytes: &[u8]) -> Option<Facts> {
    decode_with(bytes, true)
}

/// [`decode`], leaving out the policy's and the calendar's names unless `names`.
pub fn decode_with(bytes: &[u8], names: bool) -> Option<Facts> {
    let mut i = In(bytes);
    if i.u8()? != VERSION {
        return None;
    }
    let policy = i.str_if(names)?;
    let calendar = i.str_if(names)?;
    let n = i.u8()?;
    let mut clocks = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let target = match i.u8()? {
            0 => Target::FirstResponse,
            1 => Target::NextResponse,
            _ => Target::Resolution,
        };
        let budget = i.i64()?;
        let state = match i.u8()? {
            0 => ClockState::Met {
                at: i.time()?,
                used: i.i64()?,
            },
            1 => ClockState::Missed {
                at: i.time()?,
                used: i.i64()?,
                breached_at: i.time()?,
            },
            2 => ClockState::Running { due: i.time()? },
            3 => ClockState::Paused { left: i.i64()? },
            4 => ClockState::Ended,
            _ => ClockState::Lapsed {
                breached_at: i.time()?,
            },
        };
        clocks.push(Clock {
            target,
            budget,
            state,
        });
    }
    let next_met = i.i64()? as u32;
    let next_missed = i.i64()? as u32;
    let mut f = Facts {
        policy,
        calendar,
        clocks,
        next_met,
        next_missed,
        first_response_secs: i.opt_i64()?,
        first_response_at: i.opt_time()?,
        resolution_secs: i.opt_i64()?,
        closed_at: i.opt_time()?,
        created: i.opt_time()?,
        paused: i.u8()? != 0,
        ratings: Vec::new(),
    };
    let n = i.u8()?;
    for _ in 0..n {
        let at = i.time()?;
        f.ratings.push((at, i.u8()?));
    }
    Some(f)
}
