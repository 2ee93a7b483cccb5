//! The evidence report: each requirement of a pack → its rules → the resources they checked →
//! pass, suppressed (with the reason) or fail.
//!
//! [`crate::Stack::write`] writes it beside `main.tf.json` when a pack is on, as
//! `compliance.json` (for machines; sorted, byte-stable like the document) and `compliance.md`
//! (for a person). Source locations are left out so that the report changes only when the
//! stack does.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Evaluation, Outcome, Pack, RuleResult};

/// The JSON evidence file's name.
pub const JSON_FILE: &str = "compliance.json";
/// The Markdown evidence file's name.
pub const MARKDOWN_FILE: &str = "compliance.md";

/// One pack's evidence over one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct Compliance {
    value: Value,
}

fn status(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Suppressed { .. } => "suppressed",
        Outcome::Fail(_) => "fail",
    }
}

fn rule_json(result: &RuleResult) -> Value {
    let resources: Vec<Value> = result
        .outcomes
        .iter()
        .map(|(address, outcome)| {
            let mut v = json!({ "address": address, "status": status(outcome) });
            match outcome {
                Outcome::Pass => {}
                Outcome::Suppressed { reason, findings } => {
                    v["reason"] = json!(reason);
                    v["findings"] = findings_json(findings);
                }
                Outcome::Fail(findings) => v["findings"] = findings_json(findings),
            }
            v
        })
        .collect();
    json!({ "id": result.id, "title": result.title, "status": overall(result.outcomes.values()), "resources": resources })
}

fn findings_json(findings: &[super::Finding]) -> Value {
    findings
        .iter()
        .map(|f| json!({ "argument": f.argument, "message": f.message }))
        .collect()
}

/// `fail` if anything failed, `not applicable` if nothing was checked, `pass` otherwise
/// (suppressions are counted, not hidden).
fn overall<'a>(outcomes: impl Iterator<Item = &'a Outcome>) -> &'static str {
    let mut any = false;
    for o in outcomes {
        any = true;
        if matches!(o, Outcome::Fail(_)) {
            return "fail";
        }
    }
    if any { "pass" } else { "not applicable" }
}

impl Compliance {
    /// The evidence of `pack` in `evaluation` (which ran the pack's rules).
    pub fn new(pack: &Pack, evaluation: &Evaluation) -> Self {
        let mut counts = [0usize; 3];
        let mut suppressions = Vec::new();
        let requirements: Vec<Value> = pack
            .requirements()
            .iter()
            .map(|req| {
                let results: Vec<&RuleResult> = req
                    .rules
                    .iter()
                    .filter_map(|r| evaluation.results.get(r.id()))
                    .collect();
                let all = results.iter().flat_map(|r| r.outcomes.values());
                json!({
                    "id": req.id,
                    "title": req.title,
                    "status": overall(all),
                    "rules": results.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for rule in pack.rules() {
            if !seen.insert(rule.id()) {
                continue;
            }
            let Some(result) = evaluation.results.get(rule.id()) else {
                continue;
            };
            for (address, outcome) in &result.outcomes {
                counts[match outcome {
                    Outcome::Pass => 0,
                    Outcome::Suppressed { reason, .. } => {
                        suppressions.push(
                            json!({ "rule": rule.id(), "address": address, "reason": reason }),
                        );
                        1
                    }
                    Outcome::Fail(_) => 2,
                }] += 1;
            }
        }
        Self {
            value: json!({
                "pack": pack.id(),
                "standard": pack.title(),
                "summary": { "pass": counts[0], "suppressed": counts[1], "fail": counts[2] },
                "requirements": requirements,
                "suppressions": suppressions,
            }),
        }
    }

    /// The report as JSON.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Whether every checked resource passed or was suppressed.
    pub fn passed(&self) -> bool {
        self.value["summary"]["fail"] == 0
    }

    /// The status of a requirement (`pass`, `fail`, `not applicable`), if the pack has it.
    pub fn requirement_status(&self, id: &str) -> Option<&str> {
        self.value["requirements"]
            .as_array()?
            .iter()
            .find(|r| r["id"] == id)?["status"]
            .as_str()
    }

    /// The Markdown rendering: a summary, a table per requirement, and the suppressions.
    pub fn to_markdown(&self) -> String {
        let v = &self.value;
        let mut md = String::new();
        let s = &v["summary"];
        let _ = writeln!(
            md,
            "## {} (`{}`)\n\n{} checks passed, {} suppressed (with a reason), {} failed.\n",
            text(&v["standard"]),
            text(&v["pack"]),
            s["pass"],
            s["suppressed"],
            s["fail"]
        );
        for req in v["requirements"].as_array().into_iter().flatten() {
            let _ = writeln!(
                md,
                "### {} {}: {}\n",
                text(&req["id"]),
                text(&req["title"]),
                text(&req["status"])
            );
            let _ = writeln!(md, "| Rule | Resource | Status |\n|---|---|---|");
            for rule in req["rules"].as_array().into_iter().flatten() {
                let resources = rule["resources"].as_array().into_iter().flatten();
                let mut any = false;
                for r in resources {
                    any = true;
                    let mut status = text(&r["status"]).to_owned();
                    if let Some(reason) = r["reason"].as_str() {
                        let _ = write!(status, ": {reason}");
                    }
                    for f in r["findings"].as_array().into_iter().flatten() {
                        if r["reason"].is_null() {
                            let _ = write!(status, ": {}", text(&f["message"]));
                        }
                    }
                    let _ = writeln!(
                        md,
                        "| `{}` | `{}` | {} |",
                        text(&rule["id"]),
                        text(&r["address"]),
                        status.replace('|', "\\|")
                    );
                }
                if !any {
                    let _ = writeln!(
                        md,
                        "| `{}` | (none in this stack) | not applicable |",
                        text(&rule["id"])
                    );
                }
            }
            md.push('\n');
        }
        let _ = writeln!(md, "### Suppressions\n");
        let list = v["suppressions"].as_array().into_iter().flatten();
        let mut any = false;
        for s in list {
            any = true;
            let _ = writeln!(
                md,
                "- `{}` on `{}`: {}",
                text(&s["rule"]),
                text(&s["address"]),
                text(&s["reason"])
            );
        }
        if !any {
            md.push_str("None.\n");
        }
        md
    }
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The JSON file's text for every pack's report: `{"packs": [...]}`, pretty, final newline.
pub fn to_json_string(reports: &[Compliance]) -> String {
    let packs: Vec<&Value> = reports.iter().map(Compliance::value).collect();
    let mut s = serde_json::to_string_pretty(&json!({ "packs": packs }))
        .expect("a JSON value with string keys always serializes");
    s.push('\n');
    s
}

/// The Markdown file's text for every pack's report.
pub fn to_markdown(reports: &[Compliance]) -> String {
    let mut md = String::from(
        "# Compliance evidence\n\nWritten by `Stack::write` from the synthesized `main.tf.json`; every check below ran over it.\n\n",
    );
    for r in reports {
        md.push_str(&r.to_markdown());
    }
    md
}
