//! The next period's volume from the past ones, and an honest back-test: the candidate
//! method is used only if it forecasts the past better than "same as last period".
//!
//! The candidate is Holt's linear trend (double exponential smoothing) with fixed
//! parameters, [`ALPHA`] and [`BETA`]: a help desk's monthly volume drifts (a product
//! grows, a customer arrives) more than it repeats a yearly pattern, and a desk rarely
//! has the two or more years of history a seasonal method needs. The parameters are not
//! fitted: with a dozen months a fit would mostly learn the noise, and a fixed method is
//! one the back-test can judge fairly. The back-test goes by rolling origin: each of the
//! last `min(12, n - 2)` periods is forecast from the periods before it only, by the
//! candidate and by "same as last period", and the mean absolute errors are compared.

use super::report::Forecast;

/// Weight of the latest period in Holt's level: half, so the level follows a change in
/// volume within two or three months without jumping at every noisy one.
pub const ALPHA: f64 = 0.5;

/// Weight of the latest change in Holt's trend: low, so one odd month does not turn
/// into a trend.
pub const BETA: f64 = 0.2;

/// The candidate's name, as the report shows it.
pub const CANDIDATE: &str = "Holt linear trend";

/// The baseline's name: the forecast is the last period's volume.
pub const NAIVE: &str = "last period";

/// How many of the latest periods the back-test forecasts at most.
const BACKTEST_MAX: usize = 12;

/// Forecasts the period after `history` (tickets opened per period, oldest first),
/// naming it `period`. None with fewer than 3 periods (too few to back-test even once)
/// or with a value that is not a finite number.
pub fn forecast(history: &[f64], period: &str) -> Option<Forecast> {
    let n = history.len();
    if n < 3 || history.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let backtested = BACKTEST_MAX.min(n - 2);
    let (mut candidate_err, mut naive_err) = (0.0, 0.0);
    for t in n - backtested..n {
        let past = &history[..t];
        candidate_err += (holt(past) - history[t]).abs();
        naive_err += (last(past) - history[t]).abs();
    }
    let candidate_mae = candidate_err / backtested as f64;
    let naive_mae = naive_err / backtested as f64;
    // A tie, up to rounding, goes to the simpler method.
    let candidate_wins = candidate_mae < naive_mae - 1e-9;
    let (method, value) = if candidate_wins {
        (CANDIDATE, holt(history))
    } else {
        (NAIVE, last(history))
    };
    Some(Forecast {
        period: period.to_string(),
        value,
        method: method.to_string(),
        candidate: CANDIDATE.to_string(),
        candidate_mae,
        naive_mae,
        backtested,
    })
}

/// "Same as last period". `past` is not empty.
fn last(past: &[f64]) -> f64 {
    past.last().copied().unwrap_or(0.0)
}

/// Holt's one-step forecast from `past` (at least two periods): the level starts at the
/// first value and the trend at the first change, then each period updates both. A
/// negative forecast is 0: volume is a count.
fn holt(past: &[f64]) -> f64 {
    let [first, second, ..] = past else {
        return last(past).max(0.0);
    };
    let mut level = *first;
    let mut trend = second - first;
    for &y in &past[1..] {
        let previous = level;
        level = ALPHA * y + (1.0 - ALPHA) * (level + trend);
        trend = BETA * (level - previous) + (1.0 - BETA) * trend;
    }
    (level + trend).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn too_short_or_broken_histories_give_none() {
        assert_eq!(forecast(&[], "2026-12"), None);
        assert_eq!(forecast(&[4.0, 5.0], "2026-12"), None);
        assert_eq!(forecast(&[4.0, f64::NAN, 5.0], "2026-12"), None);
        assert_eq!(forecast(&[4.0, f64::INFINITY, 5.0], "2026-12"), None);
    }

    #[test]
    fn a_linear_series_is_forecast_by_the_trend() {
        // Holt starts on the first step (level 10, trend 10) and a straight line never
        // surprises it: each of the 3 back-tested periods is hit exactly, while "same as
        // last period" is 10 short every time.
        let f = forecast(&[10.0, 20.0, 30.0, 40.0, 50.0], "2026-12").expect("forecast");
        assert_eq!(f.period, "2026-12");
        assert_eq!(f.method, CANDIDATE);
        assert_eq!(f.candidate, CANDIDATE);
        assert_eq!(f.backtested, 3);
        assert!(close(f.candidate_mae, 0.0), "{f:?}");
        assert!(close(f.naive_mae, 10.0), "{f:?}");
        assert!(close(f.value, 60.0), "{f:?}");
    }

    #[test]
    fn a_noisy_flat_series_keeps_the_last_period() {
        // Back-test of 10 12 10 12 10 (alpha 0.5, beta 0.2), forecasting periods 3 to 5:
        //   from 10 12:        level 12, trend 2                      -> 14     (10: off 4)
        //   from 10 12 10:     level 0.5*10 + 0.5*14 = 12, trend 1.6   -> 13.6   (12: off 1.6)
        //   from 10 12 10 12:  level 0.5*12 + 0.5*13.6 = 12.8,
        //                      trend 0.2*0.8 + 0.8*1.6 = 1.44          -> 14.24  (10: off 4.24)
        // Holt's MAE is 9.84 / 3 = 3.28; "same as last period" is off by 2 each time.
        let f = forecast(&[10.0, 12.0, 10.0, 12.0, 10.0], "2027-01").expect("forecast");
        assert_eq!(f.backtested, 3);
        assert!(close(f.candidate_mae, 3.28), "{f:?}");
        assert!(close(f.naive_mae, 2.0), "{f:?}");
        assert_eq!(f.method, NAIVE);
        assert_eq!(f.candidate, CANDIDATE);
        assert!(close(f.value, 10.0), "{f:?}");
    }

    #[test]
    fn a_tie_goes_to_the_last_period() {
        let f = forecast(&[5.0, 5.0, 5.0], "2026-04").expect("forecast");
        assert_eq!(f.backtested, 1);
        assert!(
            close(f.candidate_mae, 0.0) && close(f.naive_mae, 0.0),
            "{f:?}"
        );
        assert_eq!(f.method, NAIVE);
        assert!(close(f.value, 5.0));
    }

    #[test]
    fn a_falling_trend_stops_at_zero() {
        // From 30 20 Holt says 10 (5 is off 5, "same" is off 15). On the whole series:
        // level 0.5*5 + 0.5*10 = 7.5, trend 0.2*(7.5 - 20) + 0.8*(-10) = -10.5: -3, so 0.
        let f = forecast(&[30.0, 20.0, 5.0], "2026-04").expect("forecast");
        assert_eq!(f.method, CANDIDATE);
        assert!(
            close(f.candidate_mae, 5.0) && close(f.naive_mae, 15.0),
            "{f:?}"
        );
        assert!(close(f.value, 0.0), "{f:?}");
    }

    #[test]
    fn the_back_test_covers_at_most_twelve_periods() {
        let history: Vec<f64> = (0..30).map(|i| f64::from(i % 5) + 20.0).collect();
        let f = forecast(&history, "2026-12").expect("forecast");
        assert_eq!(f.backtested, 12);
        assert!(f.value.is_finite() && f.value >= 0.0);
        assert_eq!(
            forecast(&history[..7], "x").expect("forecast").backtested,
            5
        );
    }
}
