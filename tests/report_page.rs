//! The HTML page of `docket report`, opened in Debian's headless Chromium (driven by
//! playwright-core from tests/browser, as the export's search test does): the page must
//! load with no console error, no failed request and no request at all past itself, and
//! its three charts must be drawn. A full-page screenshot is saved under the target
//! directory (`target/tmp/report_page*.png`, with the page beside it) for a person to
//! look at.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use docket::support::report::{
    Bucket, Compliance, Csat, Figures, Forecast, GroupBy, Percentiles, Report, Retention,
    TierCompliance, Volume,
};

/// Opens a page, records what would count against it, checks the charts and takes a
/// screenshot; prints what it saw as JSON and exits 1 on any problem.
///   node --input-type=module -e SCRIPT <page.html> <screenshot.png>
const CHECK_PAGE: &str = r#"
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [page_path, shot] = process.argv.slice(1);
const url = pathToFileURL(page_path).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking"],
});
const problems = [];
let seen = {};
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  seen = await page.evaluate(() => ({
    title: document.title,
    charts: [...document.querySelectorAll("svg")].map((s) => {
      const box = s.getBoundingClientRect();
      return { title: s.querySelector("title")?.textContent, width: box.width, height: box.height,
               bars: s.querySelectorAll("rect").length };
    }),
    scripts: document.querySelectorAll("script").length,
    nan: document.documentElement.outerHTML.includes("NaN"),
    rows: document.querySelectorAll("tbody tr").length,
  }));
  await page.screenshot({ path: shot, fullPage: true });
} catch (e) {
  problems.push(`error: ${e}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ problems, ...seen }));
process.exit(problems.length === 0 ? 0 : 1);
"#;

/// tests/browser with playwright-core installed, or None (a failure in CI) without it.
fn browser_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !common::client("node", &["--version"])
        || !common::client("/usr/bin/chromium", &["--version"])
    {
        return None;
    }
    if !dir.join("node_modules/playwright-core").is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tests/browser needs `npm ci` (.ci/run does it)"
        );
        eprintln!("note: run `npm ci` in tests/browser for the browser test; skipping");
        return None;
    }
    Some(dir)
}

/// Opens `page` in Chromium and returns what the page showed, failing the test on any
/// problem. The screenshot and a copy of the page go to the target directory as
/// `<name>.png` and `<name>.html`.
fn check_in_chromium(browser: &Path, page: &Path, name: &str) -> serde_json::Value {
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let shot = kept.join(format!("{name}.png"));
    std::fs::copy(page, kept.join(format!("{name}.html"))).expect("keep a copy of the page");
    let out = Command::new("node")
        .current_dir(browser)
        .args(["--input-type=module", "-e", CHECK_PAGE])
        .arg(page)
        .arg(&shot)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name}: the page has problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{name}: screenshot at {}", shot.display());
    serde_json::from_str(stdout.trim()).expect("the check prints JSON")
}

/// Writes an HTML page to a fresh temporary folder.
fn write_page(html: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.html");
    std::fs::write(&path, html).expect("write the page");
    (dir, path)
}

fn sla(target: &str, met: u64, total: u64) -> Compliance {
    Compliance {
        target: target.into(),
        met,
        total,
    }
}

fn times(count: u64, median_secs: i64, p90_secs: i64) -> Percentiles {
    Percentiles {
        count,
        median_secs: Some(median_secs),
        p90_secs: Some(p90_secs),
    }
}

/// A year and two months of a growing desk, grouped by label, one label hostile.
fn sample() -> Report {
    let opened = [18u64, 21, 19, 24, 26, 25, 29, 31, 30, 34, 36, 35, 39, 41];
    let closed = [15u64, 20, 21, 22, 25, 27, 26, 30, 31, 32, 35, 36, 37, 33];
    let mut backlog = 6u64;
    let volume: Vec<Volume> = opened
        .iter()
        .zip(closed)
        .enumerate()
        .map(|(i, (o, c))| {
            backlog = (backlog + o).saturating_sub(c);
            Volume {
                period: format!("{}-{:02}", 2025 + (i + 9) / 12, (i + 9) % 12 + 1),
                opened: *o,
                closed: c,
                backlog,
            }
        })
        .collect();
    let group = |key: &str, n: u64, hours: i64| Figures {
        key: key.into(),
        opened: n,
        closed: n - 2,
        backlog: 2,
        first_response: times(n, hours * 900, hours * 3600),
        resolution: times(n - 2, hours * 8 * 3600, hours * 40 * 3600),
        sla: vec![
            sla("first_response", n - 1, n),
            sla("next_response", n / 2, n / 2 + 1),
            sla("resolution", n - 4, n - 2),
        ],
        csat: Csat {
            satisfied: n / 3,
            count: n / 2,
        },
    };
    let tier = |name: &str, first: (u64, u64), next: (u64, u64), res: (u64, u64)| TierCompliance {
        tier: name.into(),
        sla: vec![
            sla("first_response", first.0, first.1),
            sla("next_response", next.0, next.1),
            sla("resolution", res.0, res.1),
        ],
    };
    let buckets = [
        ("< 1h", Some(3600), 22),
        ("1-4h", Some(4 * 3600), 61),
        ("4-8h", Some(8 * 3600), 48),
        ("8-24h", Some(86400), 95),
        ("1-3d", Some(3 * 86400), 120),
        ("3-7d", Some(7 * 86400), 44),
        ("> 7d", None, 12),
    ];
    Report {
        since: "2025-10-01".into(),
        until: "2026-11-30".into(),
        by: GroupBy::Label,
        groups: vec![
            group("<script>alert('label')</script>", 12, 2),
            group("billing", 80, 1),
            group("crash", 64, 3),
            group("sso & \"login\"", 41, 5),
        ],
        total: Figures {
            key: "total".into(),
            ..group("total", 197, 2)
        },
        volume,
        resolution_histogram: buckets
            .into_iter()
            .map(|(label, below_secs, count)| Bucket {
                label: label.into(),
                below_secs,
                count,
            })
            .collect(),
        compliance_by_tier: vec![
            tier("community", (40, 60), (20, 35), (30, 55)),
            tier("professional", (70, 80), (30, 38), (55, 70)),
            tier("subscription", (44, 47), (18, 20), (38, 44)),
            tier("enterprise", (30, 30), (12, 13), (27, 29)),
        ],
        customers: (0..14)
            .map(|i| Retention {
                period: format!("{}-{:02}", 2025 + (i + 9) / 12, (i + 9) % 12 + 1),
                start: 20 + i,
                gained: 2,
                lost: u64::from(i % 4 == 0),
                end: 21 + i,
            })
            .collect(),
        forecast: Some(Forecast {
            period: "2026-12".into(),
            value: 43.2,
            method: "Holt linear trend".into(),
            candidate: "Holt linear trend".into(),
            candidate_mae: 2.9,
            naive_mae: 3.6,
            backtested: 12,
        }),
    }
}

#[test]
fn a_report_page_opens_in_chromium_without_a_problem() {
    let Some(browser) = browser_dir() else {
        return;
    };
    let report = sample();
    let (_dir, page) = write_page(&docket::cli::report_html(&report));
    let seen = check_in_chromium(&browser, &page, "report_page");
    let charts = seen["charts"].as_array().expect("charts");
    let titles: Vec<&str> = charts.iter().filter_map(|c| c["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Tickets per month",
            "Time to resolution",
            "SLA compliance by tier"
        ],
        "{seen}"
    );
    for c in charts {
        assert!(c["width"].as_f64() > Some(300.0), "{c}");
        assert!(c["height"].as_f64() > Some(100.0), "{c}");
    }
    // 14 months of opened and closed bars plus the legend's two squares; 7 buckets; 4
    // tiers of 3 targets and the legend's 3.
    let bars: Vec<u64> = charts.iter().filter_map(|c| c["bars"].as_u64()).collect();
    assert_eq!(bars, [30, 7, 15], "{seen}");
    assert_eq!(
        seen["scripts"], 0,
        "the hostile label became a script: {seen}"
    );
    assert_eq!(seen["nan"], false, "{seen}");
    assert_eq!(seen["rows"], 4 + 14, "{seen}");
}

#[test]
fn the_page_of_an_empty_desk_opens_without_a_problem() {
    let Some(browser) = browser_dir() else {
        return;
    };
    let report = Report {
        since: "2026-11-01".into(),
        until: "2026-11-30".into(),
        by: GroupBy::Month,
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
    };
    let (_dir, page) = write_page(&docket::cli::report_html(&report));
    let seen = check_in_chromium(&browser, &page, "report_page_empty");
    assert_eq!(seen["charts"].as_array().map(Vec::len), Some(3), "{seen}");
    assert_eq!(seen["nan"], false, "{seen}");
}

/// The page `docket report --format html --out FILE` writes for the demo desk.
#[test]
fn the_report_page_of_the_demo_desk_opens_without_a_problem() {
    let Some(browser) = browser_dir() else {
        return;
    };
    let r = common::Repo::bare_dir();
    let desk = r.scratch().join("demo");
    r.docket(&["demo", desk.to_str().expect("utf-8 path")]).ok();
    let out = r.scratch().join("report.html");
    let run = |args: &[&str]| {
        let mut all = vec!["-C", desk.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        r.docket_env(&all, &[("DOCKET_NOW", "2026-11-20T00:00:00Z")])
    };
    run(&[
        "report",
        "--format",
        "html",
        "--since",
        "2026-10-01",
        "--out",
        out.to_str().expect("utf-8 path"),
    ])
    .ok();
    let seen = check_in_chromium(&browser, &out, "report_page_demo");
    assert_eq!(seen["charts"].as_array().map(Vec::len), Some(3), "{seen}");
    assert_eq!(seen["nan"], false, "{seen}");
    let page = std::fs::read_to_string(&out).expect("the page");
    assert!(
        page.contains("enterprise") && page.contains("2026-11"),
        "the demo's figures"
    );
}
