//! Help that teaches: required flags marked in the option list (clap shows that only in the
//! usage line).

use clap::Command;

use crate::body::RequestBody;

/// The mark of a flag that must be given.
pub const REQUIRED: &str = "[required]";

/// The mark of a body field the document requires: a flag, or the field in `--json-body`.
pub const REQUIRED_IN_BODY: &str = "[required unless given in --json-body]";

/// Marks every flag that is required as the command stands (before `body::args` relaxes them for
/// `--json-body-template`).
pub fn mark_required(command: Command) -> Command {
    command.mut_args(|arg| {
        if arg.is_required_set() {
            let help = arg.get_help().map(ToString::to_string);
            arg.help(marked(help, REQUIRED))
        } else {
            arg
        }
    })
}

/// Marks the flags of the body fields the document requires.
pub fn mark_required_body_fields(command: Command, body: &'static RequestBody) -> Command {
    command.mut_args(|arg| {
        let required = body
            .fields
            .iter()
            .any(|f| f.required && arg.get_id() == f.flag);
        if required {
            let help = arg.get_help().map(ToString::to_string);
            arg.help(marked(help, REQUIRED_IN_BODY))
        } else {
            arg
        }
    })
}

/// `help` with `mark` at the end of its last line (progenitor's help may end with a newline).
fn marked(help: Option<String>, mark: &str) -> String {
    match help.as_deref().map(str::trim_end) {
        Some(help) if !help.is_empty() => format!("{help} {mark}"),
        _ => mark.to_owned(),
    }
}
