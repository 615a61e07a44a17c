//! Priority: a score from importance and urgency (1-5) with the config's weights, raised
//! by the customer's tier, mapped to the first band whose threshold it reaches; a band
//! set by hand (`priority:` in the file) wins. docket never writes the derived band into
//! the file: it follows the policy, and `priority:` stays what a person chose.

use crate::model::PriorityPolicy;

/// A ticket's priority and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// The band.
    pub band: String,
    /// Whether `priority:` in the file set it.
    pub by_hand: bool,
    /// The score, when importance or urgency is known.
    pub score: Option<f64>,
    /// The sum in words: `importance 3 x 0.5 + urgency 5 x 0.5 = 4.0, tier enterprise +1 = 5.0`.
    pub explanation: String,
}

/// A level missing from the ticket counts as the middle one.
const MIDDLE: u8 = 3;

/// The priority of a ticket with these values.
pub fn priority(
    policy: &PriorityPolicy,
    importance: Option<u8>,
    urgency: Option<u8>,
    tier: Option<&str>,
    hand: Option<&str>,
) -> Priority {
    let (score, sum) = score(policy, importance, urgency, tier);
    let derived = match score {
        Some(s) => band_of(policy, s),
        None => policy.default.clone(),
    };
    match hand.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => Priority {
            band: h.to_string(),
            by_hand: true,
            score,
            explanation: match &sum {
                Some(sum) => format!("set by hand; the score would give {derived}: {sum}"),
                None => "set by hand".to_string(),
            },
        },
        None => Priority {
            band: derived,
            by_hand: false,
            score,
            explanation: sum.unwrap_or_else(|| "no importance or urgency: the default band".into()),
        },
    }
}

/// The score and the sum in words; None when neither level is known.
fn score(
    policy: &PriorityPolicy,
    importance: Option<u8>,
    urgency: Option<u8>,
    tier: Option<&str>,
) -> (Option<f64>, Option<String>) {
    if importance.is_none() && urgency.is_none() {
        return (None, None);
    }
    let i = importance.unwrap_or(MIDDLE);
    let u = urgency.unwrap_or(MIDDLE);
    let base = f64::from(i) * policy.importance + f64::from(u) * policy.urgency;
    let mut words = format!(
        "importance {i}{} x {} + urgency {u}{} x {} = {}",
        if importance.is_none() { " (unset)" } else { "" },
        number(policy.importance),
        if urgency.is_none() { " (unset)" } else { "" },
        number(policy.urgency),
        one_place(base),
    );
    let mut total = base;
    if let Some((t, bonus)) = tier.and_then(|t| policy.tiers.get_key_value(t))
        && *bonus != 0.0
    {
        total += bonus;
        let sign = if *bonus > 0.0 { "+" } else { "-" };
        words.push_str(&format!(
            ", tier {t} {sign}{} = {}",
            number(bonus.abs()),
            one_place(total)
        ));
    }
    (Some(total), Some(words))
}

/// The first band, highest first, whose `min` the score reaches (the last band when none).
pub fn band_of(policy: &PriorityPolicy, score: f64) -> String {
    policy
        .bands
        .iter()
        .find(|b| score + 1e-9 >= b.min)
        .or(policy.bands.last())
        .map_or_else(|| policy.default.clone(), |b| b.name.clone())
}

/// Where a band stands, for sorting: 0 for the highest; unknown bands after all known.
pub fn rank(policy: &PriorityPolicy, band: &str) -> usize {
    policy
        .bands
        .iter()
        .position(|b| b.name.eq_ignore_ascii_case(band))
        .unwrap_or(policy.bands.len())
}

fn one_place(x: f64) -> String {
    format!("{x:.1}")
}

/// A weight as written: `0.5`, `1`, `0.25`.
fn number(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enterprise_plus_one() -> PriorityPolicy {
        let mut p = PriorityPolicy::default();
        p.tiers.insert("enterprise".into(), 1.0);
        p
    }

    #[test]
    fn the_score_is_the_weighted_sum_plus_the_tier() {
        let p = enterprise_plus_one();
        let got = priority(&p, Some(3), Some(5), Some("enterprise"), None);
        assert_eq!(got.score, Some(5.0));
        assert_eq!(got.band, "urgent");
        assert!(!got.by_hand);
        assert_eq!(
            got.explanation,
            "importance 3 x 0.5 + urgency 5 x 0.5 = 4.0, tier enterprise +1 = 5.0"
        );
        let plain = priority(&p, Some(3), Some(5), Some("community"), None);
        assert_eq!((plain.band.as_str(), plain.score), ("high", Some(4.0)));
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let p = PriorityPolicy::default();
        let band = |i, u| priority(&p, Some(i), Some(u), None, None).band;
        assert_eq!(band(5, 4), "urgent");
        assert_eq!(band(4, 3), "high");
        assert_eq!(band(2, 2), "normal");
        assert_eq!(band(1, 2), "low");
        assert_eq!(band(1, 1), "low");
    }

    #[test]
    fn a_band_set_by_hand_wins_and_says_what_the_score_would_give() {
        let p = PriorityPolicy::default();
        let got = priority(&p, Some(1), Some(1), None, Some("urgent"));
        assert_eq!(got.band, "urgent");
        assert!(got.by_hand);
        assert!(
            got.explanation
                .starts_with("set by hand; the score would give low")
        );
    }

    #[test]
    fn no_levels_give_the_default_band_and_one_level_counts_the_other_as_middle() {
        let p = PriorityPolicy::default();
        let none = priority(&p, None, None, Some("enterprise"), None);
        assert_eq!((none.band.as_str(), none.score), ("normal", None));
        let one = priority(&p, Some(5), None, None, None);
        assert_eq!(one.score, Some(4.0));
        assert!(one.explanation.contains("urgency 3 (unset)"));
    }

    #[test]
    fn ranks_put_unknown_bands_last() {
        let p = PriorityPolicy::default();
        assert!(rank(&p, "urgent") < rank(&p, "low"));
        assert_eq!(rank(&p, "P1"), p.bands.len());
    }
}
