//! `cargo xtask rehearse [--times N]`: the workspace at N times today's operations, timed.
//!
//! It copies the workspace (the files git knows, as they are in the working tree) into a
//! temporary directory, replaces each document by one N times as large ([`synthetic`]), and runs
//! there, with a target directory of its own, what a developer and CI run: `cargo xtask gen`
//! (first, warm, after one edit), the cold test build, the workspace's own test build over built
//! dependencies, the test run, and an edit to one operation through to a passing
//! `cargo test -p idtok-client`. The real tree and its `target/` are never touched. It reports
//! each time, with the machine and its load (other builds on the machine change every figure).

pub mod synthetic;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::families::FAMILIES;

/// What `cargo xtask rehearse` was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub times: usize,
    /// Leave the temporary workspace (and its target directory) in place.
    pub keep: bool,
    /// A target directory to use instead of a new, empty one (dependencies already built there
    /// make the "cold" build a warm one; the report says so).
    pub target_dir: Option<PathBuf>,
}

impl Options {
    pub fn parse(args: &[&str]) -> Option<Options> {
        let mut options = Options {
            times: 4,
            keep: false,
            target_dir: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--times" => options.times = args.next()?.parse().ok().filter(|n| *n >= 1)?,
                "--keep" => options.keep = true,
                "--target-dir" => options.target_dir = Some(PathBuf::from(args.next()?)),
                _ => return None,
            }
        }
        Some(options)
    }
}

/// The sentence the rehearsal adds to one operation's description, to time an edit.
const EDIT: &str = "Edited by cargo xtask rehearse.";

/// One timed step of the report.
struct Row {
    what: String,
    seconds: Vec<f64>,
    note: String,
}

/// `cargo xtask rehearse` at `root`. Returns whether every step ran (a failing test run is
/// reported, not fatal: the figures are still worth having).
pub fn command(
    root: &Path,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let scratch = std::env::temp_dir().join(format!("idtok-rehearsal-{}", std::process::id()));
    let result = rehearse(root, &scratch, options, out, err);
    if options.keep {
        writeln!(out, "kept: {}", scratch.display())?;
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    match result {
        Ok(()) => Ok(true),
        Err(message) => {
            writeln!(err, "cargo xtask rehearse: {message}")?;
            Ok(false)
        }
    }
}

fn rehearse(
    root: &Path,
    scratch: &Path,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), String> {
    let workspace = scratch.join("workspace");
    let target = options
        .target_dir
        .clone()
        .unwrap_or_else(|| scratch.join("target"));
    copy_workspace(root, &workspace)?;
    let mut before = 0;
    let mut after = 0;
    for family in FAMILIES {
        // A document written as a directory is multiplied file by file: each tag's file clones
        // its own operations and the schemas only they use; the shared ones stay shared.
        for part in operation_files(&workspace, family.document)? {
            let path = workspace.join(&part);
            let source = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let multiplied =
                synthetic::multiply(&source, options.times).map_err(|e| format!("{part}: {e}"))?;
            before += synthetic::operation_count(&source);
            after += synthetic::operation_count(&multiplied);
            std::fs::write(&path, multiplied)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    git_snapshot(&workspace, "the synthetic documents")?;
    let say = |out: &mut dyn Write, text: String| {
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    };
    say(
        out,
        format!(
            "rehearsal: {} times today's documents, {before} -> {after} operations, in {}",
            options.times,
            workspace.display()
        ),
    );
    say(out, format!("machine: {}", machine()));
    let log = scratch.join("log.txt");
    let run = Runner {
        workspace: &workspace,
        target: &target,
        log: &log,
    };
    let mut rows = Vec::new();
    let mut row = |out: &mut dyn Write, what: &str, seconds: Vec<f64>, note: String| {
        let shown: Vec<String> = seconds.iter().map(|s| format!("{s:.2} s")).collect();
        say(out, format!("  {what}: {} {note}", shown.join(", ")));
        rows.push(Row {
            what: what.to_owned(),
            seconds,
            note,
        });
    };

    let cold_note = if options.target_dir.is_some() {
        "(in the given target directory: not cold)".to_owned()
    } else {
        "(empty target directory)".to_owned()
    };
    let xtask_build = run.timed(&["build", "--package", "xtask"], &[])?;
    row(out, "build xtask", vec![xtask_build.0], cold_note.clone());
    let first = run.timed(&["xtask", "gen"], &[])?;
    row(
        out,
        "cargo xtask gen, first run (nothing cached)",
        vec![first.0],
        String::new(),
    );
    let mut warm = Vec::new();
    for _ in 0..3 {
        warm.push(run.timed(&["xtask", "gen"], &[])?.0);
    }
    row(out, "cargo xtask gen, warm", warm, String::new());
    let edited_file = edit(&workspace, FAMILIES[0].document)?;
    let edited = run.timed(&["xtask", "gen"], &[])?;
    row(
        out,
        "cargo xtask gen after one document edit",
        vec![edited.0],
        format!("({edited_file} edited)"),
    );

    let cold = run.timed(&["test", "--workspace", "--no-run"], &[])?;
    row(
        out,
        "cargo test --workspace --no-run",
        vec![cold.0],
        format!("{cold_note}, after xtask's build"),
    );
    let mut clean = vec!["clean"];
    let members = workspace_members(&workspace)?;
    for member in &members {
        clean.extend(["--package", member.as_str()]);
    }
    run.timed(&clean, &[])?;
    let own = run.timed(&["test", "--workspace", "--no-run"], &[])?;
    row(
        out,
        "the workspace's own test build (dependencies built)",
        vec![own.0],
        format!("({} crates)", members.len()),
    );
    // The surface snapshots are today's; at N times they differ, which is expected here.
    let insta = [("INSTA_FORCE_PASS", "1"), ("INSTA_UPDATE", "no")];
    let tests = run.timed_allowing_failure(&["test", "--workspace"], &insta)?;
    row(
        out,
        "cargo test --workspace, built: the run",
        vec![tests.0],
        tests.1.clone(),
    );

    edit(&workspace, FAMILIES[0].document)?;
    let start = Instant::now();
    run.timed(&["xtask", "gen"], &[])?;
    let client = run.timed_allowing_failure(&["test", "--package", "idtok-client"], &insta)?;
    row(
        out,
        "an edit to one operation to a passing cargo test -p idtok-client (gen, build, run)",
        vec![start.elapsed().as_secs_f64()],
        client.1,
    );
    let incremental = run.timed(&["test", "--workspace", "--no-run"], &[])?;
    row(
        out,
        "cargo test --workspace --no-run after that edit",
        vec![incremental.0],
        String::new(),
    );

    say(
        out,
        format!(
            "target directory: {:.1} GiB; machine at the end: {}",
            size(&target) as f64 / f64::from(1 << 30),
            load()
        ),
    );
    say(out, String::new());
    say(out, "| step | seconds | |".to_owned());
    say(out, "|---|---|---|".to_owned());
    for r in &rows {
        let shown: Vec<String> = r.seconds.iter().map(|s| format!("{s:.2}")).collect();
        say(
            out,
            format!("| {} | {} | {} |", r.what, shown.join(", "), r.note),
        );
    }
    if !tests.1.starts_with("all passed") {
        let _ = writeln!(
            err,
            "cargo xtask rehearse: the test run failed at {} times (see the log: {}, with --keep)",
            options.times,
            log.display()
        );
    }
    Ok(())
}

/// Runs cargo in the copy, output to the log, timing each command.
struct Runner<'a> {
    workspace: &'a Path,
    target: &'a Path,
    log: &'a Path,
}

impl Runner<'_> {
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Result<Command, String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log)
            .map_err(|e| format!("cannot open {}: {e}", self.log.display()))?;
        let mut line = log.try_clone().map_err(|e| e.to_string())?;
        let _ = writeln!(line, "\n$ cargo {}", args.join(" "));
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo
            .args(args)
            .current_dir(self.workspace)
            .env("CARGO_TARGET_DIR", self.target)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log);
        // What `cargo run` set for this process describes the real workspace, not the copy.
        for (name, _) in std::env::vars_os() {
            let name_text = name.to_string_lossy();
            if name_text.starts_with("CARGO_PKG_")
                || [
                    "CARGO_MANIFEST_DIR",
                    "CARGO_MANIFEST_PATH",
                    "CARGO_CRATE_NAME",
                    "CARGO_BIN_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_RUSTC_CURRENT_DIR",
                ]
                .contains(&name_text.as_ref())
            {
                cargo.env_remove(&name);
            }
        }
        for (name, value) in env {
            cargo.env(name, value);
        }
        Ok(cargo)
    }

    /// Seconds the command took; fails if it fails.
    fn timed(&self, args: &[&str], env: &[(&str, &str)]) -> Result<(f64, String), String> {
        let (seconds, status) = self.run(args, env)?;
        if status.success() {
            Ok((seconds, String::new()))
        } else {
            Err(format!(
                "`cargo {}` failed in the copy; its output:\n{}",
                args.join(" "),
                tail(self.log, 40)
            ))
        }
    }

    /// Seconds the command took and what the tests said, even when some failed.
    fn timed_allowing_failure(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<(f64, String), String> {
        let start = std::fs::metadata(self.log).map_or(0, |m| m.len());
        let (seconds, status) = self.run(args, env)?;
        let text = std::fs::read(self.log).unwrap_or_default();
        let text = String::from_utf8_lossy(&text[start as usize..]).into_owned();
        let (mut passed, mut failed) = (0, 0);
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("test result: ") {
                passed += count(rest, " passed");
                failed += count(rest, " failed");
            }
        }
        let verdict = if status.success() {
            format!("all passed ({passed} tests)")
        } else {
            format!("FAILED: {failed} failed, {passed} passed")
        };
        Ok((seconds, verdict))
    }

    fn run(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<(f64, std::process::ExitStatus), String> {
        let mut command = self.command(args, env)?;
        let start = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        Ok((start.elapsed().as_secs_f64(), status))
    }
}

/// `N passed` in a `test result:` line.
fn count(result: &str, what: &str) -> usize {
    result
        .split(';')
        .find_map(|part| {
            let number = part
                .trim()
                .strip_suffix(what.trim())?
                .split_whitespace()
                .last()?;
            number.parse().ok()
        })
        .unwrap_or(0)
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The files git knows in `root` (tracked, and new ones it does not ignore), as they are in the
/// working tree, copied to `to`; then a git repository there, so that what reads git sees one.
fn copy_workspace(root: &Path, to: &Path) -> Result<(), String> {
    let listed = crate::git(
        root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    )?;
    if !listed.status.success() {
        return Err(format!(
            "{} is not a git checkout: {}",
            root.display(),
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let from = root.join(&name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(&name);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        std::fs::copy(&from, &dest).map_err(|e| format!("cannot copy {name}: {e}"))?;
    }
    let init = crate::git(to, &["init", "-q"])?;
    if !init.status.success() {
        return Err("git init failed in the copy".to_owned());
    }
    git_snapshot(to, "the workspace, copied")
}

fn git_snapshot(dir: &Path, message: &str) -> Result<(), String> {
    let identity = [
        "-c",
        "user.name=cargo xtask rehearse",
        "-c",
        "user.email=rehearse@localhost",
        "-c",
        "commit.gpgsign=false",
    ];
    for args in [&["add", "-A"][..], &["commit", "-q", "-m", message][..]] {
        let output = crate::git(dir, &[&identity[..], args].concat())?;
        if !output.status.success() {
            return Err(format!(
                "git {} in the copy: {}",
                args[0],
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
    }
    Ok(())
}

/// Edits the first operation of the document (of its first file with operations); returns that
/// file.
fn edit(workspace: &Path, document: &str) -> Result<String, String> {
    let part = operation_files(workspace, document)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{document} has no operations"))?;
    let path = workspace.join(&part);
    let source = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let edited = synthetic::edit_first_operation(&source, EDIT)?;
    std::fs::write(&path, edited).map_err(|e| e.to_string())?;
    Ok(part)
}

/// The files of a family's document that hold operations, relative to the workspace: the tag
/// files of `openapi/<stem>/` (in the order the bundler reads them), or the single file.
fn operation_files(workspace: &Path, document: &str) -> Result<Vec<String>, String> {
    let family = FAMILIES
        .iter()
        .find(|f| f.document == document)
        .copied()
        .ok_or_else(|| format!("{document} is no family's document"))?;
    let parts = crate::document::Document::read(workspace, family).map_err(|p| p.to_string())?;
    let single = parts.len() == 1;
    Ok(parts
        .into_iter()
        .filter(|part| single || !part.path.ends_with(crate::document::ROOT_PART))
        .map(|part| part.path)
        .collect())
}

/// The workspace's own packages, for `cargo clean --package`.
fn workspace_members(workspace: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    Ok(metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect())
}

/// Cores, CPU, rustc, and the load average now.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores, {cpu}, {rustc}; {}", load())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "load unknown".to_owned(),
        |l| {
            let parts: Vec<&str> = l.split_whitespace().take(3).collect();
            format!("load average {}", parts.join(" "))
        },
    )
}

fn size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(m) if m.is_dir() => size(&entry.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        assert_eq!(
            Options::parse(&[]),
            Some(Options {
                times: 4,
                keep: false,
                target_dir: None
            })
        );
        assert_eq!(
            Options::parse(&["--times", "2", "--keep", "--target-dir", "/t"]),
            Some(Options {
                times: 2,
                keep: true,
                target_dir: Some(PathBuf::from("/t"))
            })
        );
        assert_eq!(Options::parse(&["--times", "0"]), None);
        assert_eq!(Options::parse(&["--times"]), None);
        assert_eq!(Options::parse(&["--fast"]), None);
    }

    #[test]
    fn test_results_are_counted() {
        let line =
            "ok. 145 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 23.71s";
        assert_eq!(count(line, " passed"), 145);
        assert_eq!(count(line, " failed"), 2);
    }
}
