//! What one ticket gets: the rules' decisions checked against what it has (a group
//! resolved to its member), the model's suggestions for what no rule decided, and the
//! one [`Update`] that writes those to apply.

use super::{Decision, DecisionSource, TriageField};
use crate::desk::groups::Assigner;
use crate::desk::{AssignOp, Assignment, DeskError, Update};
use crate::model::{Config, Ticket};
use crate::support::classify::Guesses;
use crate::support::routing::{Decisions, Ruled};

/// A value the ticket has, as text.
fn has(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// A rule's decision for a single-valued field, given what the ticket has: none when it
/// has that value already, not applied when it has another.
fn single(
    field: TriageField,
    ruled: Option<Ruled<String>>,
    have: Option<String>,
) -> Option<Decision> {
    let r = ruled?;
    let (apply, note) = match has(have) {
        Some(h) if h == r.value => return None,
        Some(h) => (false, Some(format!("kept: the ticket has `{h}`"))),
        None => (true, None),
    };
    Some(Decision {
        field,
        value: r.value,
        group: None,
        source: DecisionSource::Rule(r.rule),
        apply,
        note,
    })
}

fn level(r: &Option<Ruled<u8>>) -> Option<Ruled<String>> {
    r.as_ref().map(|r| Ruled {
        value: r.value.to_string(),
        rule: r.rule.clone(),
    })
}

/// What the matching rules decide for ticket `k`, a group resolved to its member.
pub(super) fn rule_decisions(
    config: &Config,
    k: &Ticket,
    d: &Decisions,
    assigner: &Assigner,
) -> Result<Vec<Decision>, DeskError> {
    let mut out = Vec::new();
    if let Some(mut a) = single(
        TriageField::Assignee,
        d.assignee.clone(),
        k.assignee.clone(),
    ) {
        if let Some(g) = a.value.strip_prefix("group:").map(str::to_string)
            && a.apply
        {
            a.value = assigner.pick(config, &a.value)?;
            a.group = Some(g);
        }
        out.push(a);
    }
    for l in d.labels.iter().filter(|l| !k.labels.contains(&l.value)) {
        out.push(Decision {
            field: TriageField::Labels,
            value: l.value.clone(),
            group: None,
            source: DecisionSource::Rule(l.rule.clone()),
            apply: true,
            note: None,
        });
    }
    let num = |v: Option<u8>| v.map(|v| v.to_string());
    out.extend(single(TriageField::Type, d.kind.clone(), k.kind.clone()));
    out.extend(single(
        TriageField::Importance,
        level(&d.importance),
        num(k.importance),
    ));
    out.extend(single(
        TriageField::Urgency,
        level(&d.urgency),
        num(k.urgency),
    ));
    out.extend(single(
        TriageField::Priority,
        d.priority.clone(),
        k.priority.clone(),
    ));
    Ok(out)
}

/// The model's suggestions for fields no rule decided.
pub(super) fn learned(
    config: &Config,
    k: &Ticket,
    d: &Decisions,
    g: &Guesses,
    name: &str,
) -> Vec<Decision> {
    let t = &config.triage;
    let learns = |what: &str| t.learn.iter().any(|l| l == what);
    let suggest = |field, value: &str, confidence: f64| {
        let apply = confidence >= t.threshold;
        Decision {
            field,
            value: value.to_string(),
            group: None,
            source: DecisionSource::Model {
                name: name.to_string(),
                confidence,
            },
            apply,
            note: (!apply).then(|| format!("below the threshold {:.2}", t.threshold)),
        }
    };
    let mut out = Vec::new();
    if learns("type") && d.kind.is_none() && has(k.kind.clone()).is_none() {
        let best = g.kind.iter().find(|x| !x.value.trim().is_empty());
        out.extend(best.map(|x| suggest(TriageField::Type, &x.value, x.confidence)));
    }
    if learns("labels") && d.labels.is_empty() {
        let fresh = g
            .labels
            .iter()
            .filter(|x| !x.value.trim().is_empty() && !k.labels.contains(&x.value));
        for (i, x) in fresh.enumerate() {
            if i < 3 || x.confidence >= t.threshold {
                out.push(suggest(TriageField::Labels, &x.value, x.confidence));
            }
        }
    }
    out
}

/// The one update that writes a ticket's applied decisions, with a trailer for each
/// rule that decided one and for the model, and a body line per source.
pub(super) fn update_for(decisions: &[Decision]) -> Update {
    let mut u = Update {
        action: "triage",
        ..Update::default()
    };
    let mut sources: Vec<(String, Vec<String>)> = Vec::new();
    for d in decisions.iter().filter(|d| d.apply) {
        let (op, sign) = match d.field {
            TriageField::Labels => (AssignOp::Add, "+="),
            _ => (AssignOp::Set, "="),
        };
        u.assignments.push(Assignment {
            key: vec![d.field.key().to_string()],
            op,
            value: d.value.clone(),
        });
        let (source, trailer) = match &d.source {
            DecisionSource::Rule(r) => (format!("rule {r}"), ("Docket-Rule", r.clone())),
            DecisionSource::Model { name, .. } => {
                (format!("model {name}"), ("Docket-Model", name.clone()))
            }
        };
        if !u.trailers.contains(&trailer) {
            u.trailers.push(trailer);
        }
        let mut what = format!("{}{sign}{}", d.field.key(), d.value);
        if let Some(g) = &d.group {
            what.push_str(&format!(" (group {g})"));
        }
        if let DecisionSource::Model { confidence, .. } = &d.source {
            what.push_str(&format!(" ({confidence:.2})"));
        }
        match sources.iter_mut().find(|(s, _)| *s == source) {
            Some((_, items)) => items.push(what),
            None => sources.push((source, vec![what])),
        }
    }
    u.details = sources
        .into_iter()
        .map(|(s, items)| format!("{s}: {}", items.join(", ")))
        .collect();
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(field: TriageField, value: &str, source: DecisionSource, apply: bool) -> Decision {
        Decision {
            field,
            value: value.into(),
            group: None,
            source,
            apply,
            note: None,
        }
    }

    #[test]
    fn one_update_names_each_rule_once_and_the_model() {
        let rule = |r: &str| DecisionSource::Rule(r.into());
        let model = DecisionSource::Model {
            name: "naive-bayes".into(),
            confidence: 0.8,
        };
        let mut assignee = decision(TriageField::Assignee, "alice", rule("tls"), true);
        assignee.group = Some("platform".into());
        let u = update_for(&[
            assignee,
            decision(TriageField::Labels, "tls", rule("tls"), true),
            decision(TriageField::Urgency, "4", rule("enterprise"), true),
            decision(TriageField::Type, "question", model.clone(), true),
            decision(TriageField::Labels, "disk", model, false),
        ]);
        assert_eq!(u.action, "triage");
        let set: Vec<String> = u
            .assignments
            .iter()
            .map(|a| format!("{}{:?}{}", a.key.join("."), a.op, a.value))
            .collect();
        assert_eq!(
            set,
            [
                "assigneeSetalice",
                "labelsAddtls",
                "urgencySet4",
                "typeSetquestion"
            ]
        );
        assert_eq!(
            u.trailers,
            [
                ("Docket-Rule", "tls".to_string()),
                ("Docket-Rule", "enterprise".to_string()),
                ("Docket-Model", "naive-bayes".to_string()),
            ]
        );
        assert_eq!(
            u.details,
            [
                "rule tls: assignee=alice (group platform), labels+=tls",
                "rule enterprise: urgency=4",
                "model naive-bayes: type=question (0.80)",
            ]
        );
    }

    #[test]
    fn a_rule_keeps_what_the_ticket_has() {
        let r = |v: &str| {
            Some(Ruled {
                value: v.to_string(),
                rule: "r".into(),
            })
        };
        assert_eq!(
            single(TriageField::Type, r("bug"), Some("bug".into())),
            None
        );
        let kept = single(TriageField::Type, r("bug"), Some("question".into())).expect("listed");
        assert!(!kept.apply);
        assert_eq!(
            kept.note.as_deref(),
            Some("kept: the ticket has `question`")
        );
        assert!(single(TriageField::Type, r("bug"), Some(" ".into())).is_some_and(|d| d.apply));
        assert_eq!(single(TriageField::Type, None, None), None);
    }
}
