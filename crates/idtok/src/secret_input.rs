//! A secret flag's value from stdin or a prompt, so that a password need not be written on the
//! command line (where shell history and `ps` would keep it): `--password -` reads one line from
//! stdin, or, when stdin is a terminal, asks for it without echo.
//!
//! A flag is secret when its value is read as a `SecretString` (the document's `format:
//! password`: progenitor's parameters and idtok's body fields alike). The `-` is replaced on the
//! command line before clap parses it, so the value goes through the flag's own checks.

use std::ffi::OsString;
use std::io::{BufRead, IsTerminal};

use clap::{Arg, Command};

/// What a secret flag's help says of `-`.
pub const HELP: &str =
    "[a secret: `-` reads it from stdin, or asks for it when stdin is a terminal]";

/// Whether the flag's value is read as a secret.
pub fn is_secret(arg: &Arg) -> bool {
    arg.get_value_parser().type_id() == std::any::TypeId::of::<idtok_secret::SecretString>()
}

/// The long names of `command`'s secret flags.
pub fn secret_flags(command: &Command) -> Vec<String> {
    command
        .get_arguments()
        .filter(|arg| is_secret(arg))
        .filter_map(|arg| arg.get_long().map(str::to_owned))
        .collect()
}

/// Adds what `-` does to the help of each secret flag of `command`.
pub fn documented(command: Command) -> Command {
    command.mut_args(|arg| {
        if !is_secret(&arg) {
            return arg;
        }
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        arg.help(format!("{help} {HELP}").trim_start().to_owned())
    })
}

/// `args` with the value `-` of each of `flags` (`--flag -` or `--flag=-`) replaced by what
/// `read` gives for that flag. Only one value can come from stdin: a second `-` (or a
/// `--json-body -` beside a secret's) is an error, as is anything `read` fails on.
pub fn read_into(
    args: &[OsString],
    flags: &[String],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Vec<OsString>, String> {
    let is_secret = |flag: &str| flags.iter().any(|f| f == flag);
    // The flag that took stdin first.
    let mut stdin_taken_by: Option<String> = None;
    let mut claim = |flag: &str| match stdin_taken_by.replace(flag.to_owned()) {
        Some(earlier) => Err(format!(
            "--{earlier} and --{flag} both ask for stdin (`-`); only one value can come from it"
        )),
        None => Ok(()),
    };
    let mut out = Vec::with_capacity(args.len());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let text = arg.to_str().unwrap_or_default();
        if text == "--" {
            out.push(arg.clone());
            out.extend(args.cloned());
            break;
        }
        let Some(long) = text.strip_prefix("--") else {
            out.push(arg.clone());
            continue;
        };
        let (flag, attached) = match long.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (long, None),
        };
        if !is_secret(flag) && flag != crate::body::JSON_BODY {
            out.push(arg.clone());
            continue;
        }
        let value = match attached {
            Some(value) => Some(OsString::from(value)),
            None => args.next().cloned(),
        };
        if value.as_ref().is_none_or(|v| v != "-") {
            out.push(arg.clone());
            out.extend(value.filter(|_| attached.is_none()));
            continue;
        }
        claim(flag)?;
        if is_secret(flag) {
            out.push(format!("--{flag}").into());
            out.push(read(flag)?.into());
        } else {
            // `--json-body -` reads stdin itself, later.
            out.push(format!("--{flag}").into());
            out.push("-".into());
        }
    }
    Ok(out)
}

/// The value of the secret flag `flag`: asked for without echo when stdin is a terminal, else
/// the first line of stdin (without its line end).
pub fn from_stdin(flag: &str) -> Result<String, String> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("--{flag} (not shown): "))
            .map_err(|e| format!("cannot read --{flag} from the terminal: {e}"))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read --{flag} from stdin: {e}"))?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if value.is_empty() {
        return Err(format!("--{flag} -: stdin gave no value"));
    }
    Ok(value)
}
