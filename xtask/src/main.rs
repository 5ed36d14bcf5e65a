//! `cargo xtask gen [--check]`, `cargo xtask lint`.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen           lint, then regenerate the model, client and CLI code from openapi/*.yaml
  gen --check   change nothing; fail naming every generated file that is out of date
  lint          check the documents: OpenAPI 3.0 schema, duplicate keys, examples, secrets,
                what the generator needs; each problem as file:line:column, pointer, sentence";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["gen"] => false,
        ["gen", "--check"] => true,
        ["lint"] => {
            let root = xtask::workspace_root();
            return match xtask::commands::lint(
                &root,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            ) {
                Ok(true) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            };
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
    match xtask::commands::gen(&root, check, &mut std::io::stdout(), &mut std::io::stderr()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cargo xtask gen: {e}");
            ExitCode::FAILURE
        }
    }
}
