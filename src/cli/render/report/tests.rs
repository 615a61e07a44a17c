use super::*;
use crate::support::report::{
    Bucket, Csat, Forecast, GroupBy, Percentiles, Retention, TierCompliance, Volume,
};

fn sla(target: &str, met: u64, total: u64) -> Compliance {
    Compliance {
        target: target.into(),
        met,
        total,
    }
}

fn times(count: u64, median: i64, p90: i64) -> Percentiles {
    Percentiles {
        count,
        median_secs: Some(median),
        p90_secs: Some(p90),
    }
}

/// Three months of a small desk, one of them with no ratings and no resolutions.
pub(super) fn sample() -> Report {
    let month = |key: &str, opened, closed, backlog| Figures {
        key: key.into(),
        opened,
        closed,
        backlog,
        ..Figures::default()
    };
    let september = Figures {
        first_response: times(12, 2 * 3600 + 15 * 60, 9 * 3600),
        resolution: times(10, 2 * 86400 + 4 * 3600, 6 * 86400 + 3 * 3600),
        sla: vec![sla("first_response", 11, 12), sla("resolution", 8, 10)],
        csat: Csat {
            satisfied: 5,
            count: 6,
        },
        ..month("2026-09", 12, 10, 4)
    };
    let october = Figures {
        first_response: times(15, 45 * 60, 3 * 3600 + 20 * 60),
        resolution: times(14, 26 * 3600, 4 * 86400),
        sla: vec![
            sla("resolution", 13, 14),
            sla("first_response", 15, 15),
            sla("next_response", 9, 12),
        ],
        csat: Csat {
            satisfied: 7,
            count: 9,
        },
        ..month("2026-10", 15, 14, 5)
    };
    let november = Figures {
        first_response: times(3, 50, 12 * 60 + 5),
        sla: vec![sla("first_response", 2, 3)],
        ..month("2026-11", 3, 0, 8)
    };
    let total = Figures {
        key: "total".into(),
        opened: 30,
        closed: 24,
        backlog: 8,
        first_response: times(30, 3600, 8 * 3600),
        resolution: times(24, 36 * 3600, 5 * 86400 + 12 * 3600),
        sla: vec![
            sla("first_response", 28, 30),
            sla("next_response", 9, 12),
            sla("resolution", 21, 24),
        ],
        csat: Csat {
            satisfied: 12,
            count: 15,
        },
    };
    let volume = |period: &str, opened, closed, backlog| Volume {
        period: period.into(),
        opened,
        closed,
        backlog,
    };
    let bucket = |label: &str, below_secs, count| Bucket {
        label: label.into(),
        below_secs,
        count,
    };
    let retention = |period: &str, start, gained, lost, end| Retention {
        period: period.into(),
        start,
        gained,
        lost,
        end,
    };
    Report {
        since: "2026-09-01".into(),
        until: "2026-11-30".into(),
        by: GroupBy::Month,
        groups: vec![september, october, november],
        total,
        volume: vec![
            volume("2026-09", 12, 10, 4),
            volume("2026-10", 15, 14, 5),
            volume("2026-11", 3, 0, 8),
        ],
        resolution_histogram: vec![
            bucket("< 1h", Some(3600), 2),
            bucket("1-4h", Some(4 * 3600), 3),
            bucket("4-8h", Some(8 * 3600), 1),
            bucket("8-24h", Some(86400), 5),
            bucket("1-3d", Some(3 * 86400), 8),
            bucket("3-7d", Some(7 * 86400), 4),
            bucket("> 7d", None, 1),
        ],
        compliance_by_tier: vec![
            TierCompliance {
                tier: "enterprise".into(),
                sla: vec![sla("first_response", 10, 10), sla("resolution", 9, 10)],
            },
            TierCompliance {
                tier: "professional".into(),
                sla: vec![sla("first_response", 18, 20), sla("resolution", 12, 14)],
            },
        ],
        customers: vec![
            retention("2026-09", 10, 2, 1, 11),
            retention("2026-10", 11, 0, 0, 11),
            retention("2026-11", 11, 1, 2, 10),
        ],
        forecast: Some(Forecast {
            period: "2026-12".into(),
            value: 41.4,
            method: "Holt linear trend".into(),
            candidate: "Holt linear trend".into(),
            candidate_mae: 3.21,
            naive_mae: 5.08,
            backtested: 10,
        }),
    }
}

/// A desk with no tickets, no customers and no forecast.
fn empty() -> Report {
    Report {
        since: "2026-11-01".into(),
        until: "2026-11-30".into(),
        by: GroupBy::Tier,
        groups: Vec::new(),
        total: Figures {
            key: "total".into(),
            ..Figures::default()
        },
        volume: Vec::new(),
        resolution_histogram: Vec::new(),
        compliance_by_tier: Vec::new(),
        customers: Vec::new(),
        forecast: None,
    }
}

#[test]
fn durations_read_in_their_two_largest_units() {
    let d = |s| duration(Some(s));
    assert_eq!(duration(None), "-");
    assert_eq!(d(0), "0s");
    assert_eq!(d(45), "45s");
    assert_eq!(d(60), "1m");
    assert_eq!(d(12 * 60 + 5), "12m 5s");
    assert_eq!(d(3 * 3600), "3h");
    assert_eq!(d(3 * 3600 + 20 * 60 + 59), "3h 20m");
    assert_eq!(d(86399), "23h 59m");
    assert_eq!(d(86400), "1d");
    assert_eq!(d(2 * 86400 + 4 * 3600 + 59 * 60), "2d 4h");
    assert_eq!(d(400 * 86400), "400d");
    assert_eq!(d(-90), "-1m 30s");
    assert_eq!(d(i64::MIN), "-106751991167300d 15h");
}

#[test]
fn shares_have_one_decimal_and_missing_ones_a_dash() {
    assert_eq!(percent(Some(91.666)), "91.7%");
    assert_eq!(percent(Some(100.0)), "100.0%");
    assert_eq!(percent(None), "-");
    assert_eq!(percent(Some(f64::NAN)), "-");
}

#[test]
fn targets_come_in_the_order_a_ticket_meets_them() {
    let mut r = sample();
    r.total.sla.push(sla("acknowledged", 1, 1));
    assert_eq!(
        targets(&r),
        [
            "first_response",
            "next_response",
            "resolution",
            "acknowledged"
        ]
    );
    assert!(targets(&empty()).is_empty());
}

#[test]
fn the_table_for_a_sample_desk() {
    insta::assert_snapshot!("table", table(&sample()));
}

#[test]
fn the_csv_for_a_sample_desk() {
    insta::assert_snapshot!("csv", csv(&sample()));
}

#[test]
fn the_table_of_a_desk_by_customer_when_the_trend_lost() {
    let mut r = sample();
    r.by = GroupBy::Customer;
    r.groups = vec![
        Figures {
            key: "Acme, \"the big one\"".into(),
            ..r.groups[0].clone()
        },
        Figures {
            key: "数据 Ltd\u{1b}[2J".into(),
            ..r.groups[1].clone()
        },
    ];
    r.forecast = Some(Forecast {
        method: "last period".into(),
        value: 3.0,
        candidate_mae: 6.04,
        naive_mae: 5.1,
        backtested: 1,
        ..r.forecast.clone().expect("the sample has one")
    });
    let text = table(&r);
    insta::assert_snapshot!("table_by_customer", text);
    assert!(!text.contains('\u{1b}'), "{text}");
    let csv = csv(&r);
    assert!(
        csv.contains("\n\"Acme, \"\"the big one\"\"\",12,10,4,"),
        "{csv}"
    );
}

#[test]
fn a_hostile_label_is_text_in_the_page() {
    let mut r = sample();
    r.by = GroupBy::Label;
    r.groups[0].key = "<script>alert('x')</script>".into();
    r.compliance_by_tier[0].tier = "<img src=x onerror=alert(1)>".into();
    r.volume[0].period = "\"><script>".into();
    let page = html(&r);
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&quot;&gt;&lt;script&gt;"));
}

#[test]
fn the_page_has_what_a_reader_and_a_screen_reader_need() {
    let page = html(&sample());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<svg ").count(), 3);
    for id in ["volume", "resolution", "compliance"] {
        assert!(page.contains(&format!("<title id=\"{id}-title\">")), "{id}");
    }
    // Nothing to fetch: no URL but the SVG namespace and the empty icon.
    for attr in ["src=", "href=\"http", "url(", "@import", "<script"] {
        assert!(!page.contains(attr), "{attr}");
    }
    // The legend names the series, the axes say what they count.
    for text in [
        "opened",
        "closed",
        "backlog at month end",
        "time to resolution",
        "targets met",
    ] {
        assert!(page.contains(&format!(">{text}</text>")), "{text}");
    }
    // A bar for each tier and target with a share, at its height: 90% of 220 units.
    assert!(page.contains("enterprise, resolution: 90.0% met (9 of 10)"));
    assert!(
        page.contains("y=\"66\" width=\"56\" height=\"198\""),
        "{page}"
    );
}

#[test]
fn an_empty_report_has_no_nan_anywhere() {
    let mut odd = sample();
    odd.forecast = Some(Forecast {
        value: f64::NAN,
        candidate_mae: f64::INFINITY,
        ..odd.forecast.clone().expect("the sample has one")
    });
    odd.volume.clear();
    for r in [empty(), odd] {
        let json = serde_json::to_string(&r).expect("serialise");
        for (format, out) in [
            ("table", table(&r)),
            ("csv", csv(&r)),
            ("html", html(&r)),
            ("json", json),
        ] {
            for bad in ["NaN", "inf"] {
                assert!(!out.contains(bad), "{bad} in {format}:\n{out}");
            }
        }
    }
    let page = html(&empty());
    assert!(page.contains("No tickets in the span"));
    assert!(page.contains("No tickets resolved in the span"));
    assert!(page.contains("No SLA target came due in the span"));
    assert!(table(&empty()).contains("too little history"));
}
