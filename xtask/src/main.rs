//! `cargo xtask gen [--check]`.

use std::process::ExitCode;

use xtask::codegen::{generate_all, stale, write_changed};
use xtask::workspace_root;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen           regenerate the model and client crates from openapi/*.yaml
  gen --check   change nothing; fail naming every generated file that is out of date";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["gen"] => gen(false),
        ["gen", "--check"] => gen(true),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn gen(check: bool) -> ExitCode {
    let root = workspace_root();
    // The generators panic on some input; those panics are caught and reported as problems, so
    // the default hook's backtrace noise is not wanted.
    std::panic::set_hook(Box::new(|_| {}));
    let files = match generate_all(&root) {
        Ok(files) => files,
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "cargo xtask gen: {} problem(s); no generated file was changed",
                problems.len()
            );
            return ExitCode::FAILURE;
        }
    };
    if check {
        let stale = stale(&root, &files);
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        for f in &stale {
            eprintln!("stale: {}", f.path);
        }
        eprintln!("{} generated file(s) are out of date with openapi/; run `cargo xtask gen` and commit the result", stale.len());
        return ExitCode::FAILURE;
    }
    match write_changed(&root, &files) {
        Ok(written) => {
            for path in &written {
                println!("wrote {path}");
            }
            if written.is_empty() {
                println!("up to date ({} files)", files.len());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cargo xtask gen: cannot write the generated files: {e}");
            ExitCode::FAILURE
        }
    }
}
