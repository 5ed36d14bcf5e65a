//! `cargo xtask check-version <base-rev>`: the crates' versions follow the documents' changes.
//!
//! The policy (README, "Versions"): the generated crates are versioned by what `cargo xtask diff`
//! says of the documents since the base (the last release tag). A breaking change in a family's
//! document needs a breaking release of that family's model crate and of the crates built on every
//! family (`idtok-client`, `idtok-mock`, `idtok`): the major version, or below 1.0 the minor one
//! (0.1.x to 0.2.0; 0.0.x to any other). Any other change to a document needs at least a new
//! patch version of the same crates. An unchanged document needs nothing.
//!
//! The check reads each crate's `Cargo.toml` at the base (from git) and in the working tree, and
//! fails naming every crate whose version does not move as far as its documents require. A crate
//! that did not exist at the base is left alone.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use crate::diff::{compare, Severity};
use crate::families::{Family, CLIENT_DIR, CLI_DIR, FAMILIES, MOCK_DIR};

/// How far a crate's version must move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needed {
    Nothing,
    /// A compatible release: any higher version.
    Compatible,
    /// A semver-incompatible release, as cargo reads `^old`.
    Breaking,
}

/// `MAJOR.MINOR.PATCH` (a pre-release or build suffix is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let version = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(version)
    }

    /// Whether `self`, after `old`, is the release `needed` asks for.
    pub fn satisfies(self, old: Version, needed: Needed) -> bool {
        match needed {
            Needed::Nothing => true,
            Needed::Compatible => self > old,
            // Cargo: ^1.2.3 takes any 1.x, ^0.2.3 any 0.2.x, ^0.0.3 only 0.0.3.
            Needed::Breaking => match old {
                Version(0, 0, _) => self > old,
                Version(0, minor, _) => self.0 > 0 || self.1 > minor,
                Version(major, _, _) => self.0 > major,
            },
        }
    }

    /// The lowest version after `self` that `needed` accepts.
    pub fn next(self, needed: Needed) -> Version {
        match (needed, self) {
            (Needed::Nothing, _) => self,
            (Needed::Compatible, Version(a, b, c))
            | (Needed::Breaking, Version(a @ 0, b @ 0, c)) => Version(a, b, c + 1),
            (Needed::Breaking, Version(0, b, _)) => Version(0, b + 1, 0),
            (Needed::Breaking, Version(a, _, _)) => Version(a + 1, 0, 0),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The crate directories whose code a family's document generates: its model crate, and the
/// crates that hold every family (client, mocks, CLI).
pub fn crates_of(family: &Family) -> [&'static str; 4] {
    [family.models_dir, CLIENT_DIR, MOCK_DIR, CLI_DIR]
}

/// The `version` of a manifest's `[package]`.
pub fn package_version(manifest: &str) -> Option<Version> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(value) = line
                .strip_prefix("version")
                .and_then(|rest| rest.trim_start().strip_prefix('='))
            {
                return Version::parse(value.trim().trim_matches('"'));
            }
        }
    }
    None
}

/// The file `path` at revision `base`; None when it is not there.
fn at_revision(root: &Path, base: &str, path: &str) -> Option<String> {
    crate::git(root, &["show", &format!("{base}:{path}")])
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// What a document's changes since `base` ask of its crates, with the count of breaking changes
/// and of all changes.
fn document_needs(
    root: &Path,
    base: &str,
    family: crate::families::Family,
) -> Result<(Needed, usize, usize), String> {
    use crate::document::{Document, GitRevision, WorkingTree};
    let new = Document::read_from(family, &WorkingTree(root))
        .map_err(|p| p.to_string())?
        .ok_or_else(|| format!("cannot read {}: not there", family.directory()))?;
    let new =
        Document::bundle_json(&new).map_err(|(path, e)| format!("cannot parse {path}: {e}"))?;
    // The revision may predate the split of the documents into directories: read_from falls back
    // to the single file then.
    let old = Document::read_from(family, &GitRevision { root, commit: base })
        .map_err(|p| format!("{base}: {p}"))?;
    let changes = match old {
        // A new family: its crates are new too.
        None => return Ok((Needed::Nothing, 0, 0)),
        Some(old) => compare(
            &Document::bundle_json(&old)
                .map_err(|(path, e)| format!("cannot parse {base}:{path}: {e}"))?,
            &new,
        ),
    };
    let breaking = changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .count();
    let needed = match (breaking, changes.len()) {
        (0, 0) => Needed::Nothing,
        (0, _) => Needed::Compatible,
        _ => Needed::Breaking,
    };
    Ok((needed, breaking, changes.len()))
}

/// `cargo xtask check-version <base-rev>` at `root`. Returns whether every crate's version moved
/// as far as its documents' changes since `base` require.
pub fn command(
    root: &Path,
    base: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    if at_revision(root, base, "Cargo.toml").is_none() {
        writeln!(
            err,
            "cargo xtask check-version: `{base}` is not a revision with the workspace's Cargo.toml"
        )?;
        return Ok(false);
    }
    // What each crate directory needs, from every document it is generated from.
    let mut needed: Vec<(&str, Needed)> = Vec::new();
    for family in &FAMILIES {
        let (family_needs, breaking, changes) = match document_needs(root, base, *family) {
            Ok(found) => found,
            Err(message) => {
                writeln!(err, "cargo xtask check-version: {message}")?;
                return Ok(false);
            }
        };
        writeln!(
            out,
            "{}: {breaking} breaking, {} other change(s) since {base}",
            if root.join(family.directory()).is_dir() {
                family.directory()
            } else {
                family.document
            },
            changes - breaking
        )?;
        for dir in crates_of(family) {
            match needed.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, n)) => *n = (*n).max(family_needs),
                None => needed.push((dir, family_needs)),
            }
        }
    }
    let mut behind = 0;
    for (dir, needs) in needed {
        let path = format!("{dir}/Cargo.toml");
        let new = std::fs::read_to_string(root.join(&path))
            .ok()
            .and_then(|m| package_version(&m));
        let old = at_revision(root, base, &path).and_then(|m| package_version(&m));
        let (Some(old), Some(new)) = (old, new) else {
            writeln!(out, "  {dir}: not at {base} or no version; left alone")?;
            continue;
        };
        let verdict = match needs {
            Needed::Nothing => "unchanged documents",
            Needed::Compatible => "needs a new version",
            Needed::Breaking => "needs a breaking release",
        };
        if new.satisfies(old, needs) {
            writeln!(out, "  {dir}: {old} -> {new}, ok ({verdict})")?;
        } else {
            behind += 1;
            writeln!(
                out,
                "  {dir}: {old} -> {new}: {verdict}, at least {}",
                old.next(needs)
            )?;
        }
    }
    if behind > 0 {
        writeln!(
            err,
            "cargo xtask check-version: {behind} crate(s) not bumped as far as the documents' changes since {base} require; \
             bump their version (and [workspace.dependencies] in Cargo.toml)"
        )?;
    }
    Ok(behind == 0)
}
