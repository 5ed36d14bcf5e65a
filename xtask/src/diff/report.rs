//! How a [`Comparison`] is written: as text for people, or as one JSON object for machines.

use std::io::{self, Write};

use serde_json::json;

use super::{Change, Comparison, Outcome, Severity};

/// Per document, breaking changes first, then a summary line.
pub(super) fn text(comparison: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let (mut breaking, mut non_breaking, mut documents) = (0, 0, 0);
    for document in &comparison.documents {
        let header = &document.header;
        let changes = match &document.outcome {
            Outcome::Compared(changes) => changes,
            Outcome::Absent => {
                writeln!(
                    out,
                    "{header}: absent at the revision and in the working tree"
                )?;
                continue;
            }
            Outcome::Unreadable(_) => {
                writeln!(out, "{header}: not compared (see the error)")?;
                continue;
            }
        };
        documents += 1;
        if changes.is_empty() {
            writeln!(out, "{header}: no changes")?;
            continue;
        }
        writeln!(out, "{header}:")?;
        for severity in [Severity::Breaking, Severity::NonBreaking] {
            let group: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
            if group.is_empty() {
                continue;
            }
            writeln!(out, "  {} ({}):", severity.as_str(), group.len())?;
            for change in &group {
                writeln!(out, "    - {}: {}", change.location, change.message)?;
            }
            match severity {
                Severity::Breaking => breaking += group.len(),
                Severity::NonBreaking => non_breaking += group.len(),
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{breaking} breaking, {non_breaking} non-breaking change(s) in {documents} document{}",
        if documents == 1 { "" } else { "s" }
    )
}

/// One JSON object, its field names stable (the README documents them):
/// `{against, commit, documents: [{document, status, error, changes: [{level, kind, location,
/// pointer, message}]}], breaking, non_breaking}`.
pub(super) fn json(comparison: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let documents: Vec<serde_json::Value> = comparison
        .documents
        .iter()
        .map(|document| {
            let (status, error, changes) = match &document.outcome {
                Outcome::Compared(changes) => ("compared", None, changes.as_slice()),
                Outcome::Absent => ("absent", None, &[][..]),
                Outcome::Unreadable(message) => ("unreadable", Some(message), &[][..]),
            };
            let changes: Vec<serde_json::Value> = changes
                .iter()
                .map(|c| {
                    json!({
                        "level": c.severity.as_str(),
                        "kind": c.kind.as_str(),
                        "location": c.location,
                        "pointer": c.pointer,
                        "message": c.message,
                    })
                })
                .collect();
            json!({
                "document": document.document,
                "status": status,
                "error": error,
                "changes": changes,
            })
        })
        .collect();
    let report = json!({
        "against": comparison.against,
        "commit": comparison.commit.as_ref().map(|(full, _)| full),
        "documents": documents,
        "breaking": comparison.count(Severity::Breaking),
        "non_breaking": comparison.count(Severity::NonBreaking),
    });
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
