//! `cargo xtask gen [--check]`, `lint`, `publish [--out DIR]`, `diff <git-rev> | <old> <new> [--allow-breaking] [--format json]`,
//! `check-version <base-rev>`, `rehearse [--times N]`, `package-mode`.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen           lint, then regenerate the model, client and CLI code from the documents in openapi/
  gen --check   change nothing; fail naming every generated file that is out of date
  lint          check the documents: OpenAPI 3.0 schema, duplicate keys, examples, secrets,
                what the generator needs; each problem as file:line:column, pointer, sentence
  publish [--out DIR]
                lint, then write what API portals take to DIR (default dist/): per document a
                bundle in JSON and YAML and an HTML reference; index.html, index.json, SHA256SUMS
  diff <git-rev> [--allow-breaking] [--format text|json]
                the changelog of openapi/ from <git-rev> to the working tree, breaking changes
                first; fails on breaking changes unless --allow-breaking
  diff <old-file> <new-file> [--allow-breaking] [--format text|json]
                the same for any two OpenAPI documents
  check-version <base-rev>
                fail when a crate's version has not moved as far as the changes of its
                documents since <base-rev> (the last release tag) require
  rehearse [--times N] [--keep] [--target-dir DIR]
                copy the workspace to a temporary directory with documents N times (default 4)
                as large, operations cloned under new names, and time gen (first, warm, after
                an edit), the cold and the workspace's own test builds, the test run, and an
                edit to one operation through to a passing `cargo test -p idtok-client`
  package-mode  print how CI packages this commit: `verify` (every published crate built from
                its .crate) on a release tag (v*) or when a published crate's version changed
                since HEAD's first parent, else `list` (packages written, not built)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["gen"] => false,
        ["gen", "--check"] => true,
        ["lint"] => {
            let root = xtask::workspace_root();
            return exit(
                "lint",
                xtask::commands::lint(&root, &mut std::io::stdout(), &mut std::io::stderr()),
            );
        }
        ["publish", rest @ ..] => {
            let root = xtask::workspace_root();
            let out_dir = match rest {
                [] => root.join(xtask::publish::DEFAULT_OUT_DIR),
                ["--out", dir] => std::path::PathBuf::from(dir),
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            };
            return exit(
                "publish",
                xtask::publish::command(
                    &root,
                    &out_dir,
                    &mut std::io::stdout(),
                    &mut std::io::stderr(),
                ),
            );
        }
        ["diff", rest @ ..] => {
            let Some(options) = xtask::diff::Options::parse(rest) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let root = xtask::workspace_root();
            return exit(
                "diff",
                xtask::diff::run(
                    &root,
                    &options,
                    &mut std::io::stdout(),
                    &mut std::io::stderr(),
                ),
            );
        }
        ["check-version", base] => {
            let root = xtask::workspace_root();
            return exit(
                "check-version",
                xtask::version_check::command(
                    &root,
                    base,
                    &mut std::io::stdout(),
                    &mut std::io::stderr(),
                ),
            );
        }
        ["rehearse", rest @ ..] => {
            let Some(options) = xtask::rehearse::Options::parse(rest) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let root = xtask::workspace_root();
            return exit(
                "rehearse",
                xtask::rehearse::command(
                    &root,
                    &options,
                    &mut std::io::stdout(),
                    &mut std::io::stderr(),
                ),
            );
        }
        ["package-mode"] => {
            let root = xtask::workspace_root();
            return exit(
                "package-mode",
                xtask::package_mode::command(&root, &mut std::io::stdout(), &mut std::io::stderr()),
            );
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The generators panic on some input; codegen catches those panics and reports them as
    // located problems, so the default hook's message would only be noise.
    std::panic::set_hook(Box::new(|_| {}));
    let root = xtask::workspace_root();
    exit(
        "gen",
        xtask::commands::gen(&root, check, &mut std::io::stdout(), &mut std::io::stderr()),
    )
}

fn exit(command: &str, result: std::io::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cargo xtask {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
