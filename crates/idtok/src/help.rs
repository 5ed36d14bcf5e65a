//! Help that teaches: required flags marked in the option list (clap shows that only in the
//! usage line), and each operation's `--help` ending with examples that run as written, built
//! from the document's examples (the generated `EXAMPLES` of each family).

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

/// Marks the flags of the body fields the document requires (but an idempotency token, which idtok
/// fills in).
pub fn mark_required_body_fields(command: Command, body: &'static RequestBody) -> Command {
    command.mut_args(|arg| {
        let required = body
            .fields
            .iter()
            .any(|f| f.required && !f.idempotency_token && arg.get_id() == f.flag);
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

/// One example of an operation (the generated `EXAMPLES`): the arguments after
/// `idtok <family> <operation>`, unquoted, and the JSON body it reads on stdin, if any (the
/// arguments then include `--json-body -`).
pub struct Example {
    /// The operationId.
    pub operation: &'static str,
    pub flags: ExampleFlags,
    pub args: &'static [&'static str],
    pub stdin: Option<&'static str>,
}

/// Which flags an example gives.
pub enum ExampleFlags {
    /// The required flags (a required body's required fields, or its whole example where it
    /// requires none).
    Required,
    /// Every flag the document gives an example of.
    Every,
}

/// Where a long example is broken (` \` and an indented next line), in characters.
pub const LINE_WIDTH: usize = 96;

/// Ends the `--help` of the operation `operation` (the document's operationId) with its examples,
/// as commands for a POSIX shell.
pub fn with_examples(
    command: Command,
    family: &str,
    operation: &str,
    examples: &[Example],
) -> Command {
    // Compared as written: this runs for every operation on every start.
    let examples: Vec<&Example> = examples
        .iter()
        .filter(|e| e.operation == operation)
        .collect();
    if examples.is_empty() {
        return command;
    }
    let header = command.get_styles().get_header();
    let mut text = format!("{header}Examples:{header:#}\n");
    let name = command.get_name().to_owned();
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!("  # {}\n", what(example)));
        text.push_str(&command_line(family, &name, example));
        text.push('\n');
    }
    command.after_long_help(text)
}

fn what(example: &Example) -> String {
    let mut what = match example.flags {
        ExampleFlags::Required if example.args.is_empty() => "no flags needed".to_owned(),
        ExampleFlags::Required => {
            "the required flags, with the document's example values".to_owned()
        }
        ExampleFlags::Every => "every flag the document gives an example of".to_owned(),
    };
    if example.stdin.is_some() {
        what.push_str("; the body as JSON on stdin");
    }
    what
}

/// `idtok <family> <operation> <args>` with each word quoted as a POSIX shell needs, a flag kept
/// on the line of its value, and lines broken before a flag past [`LINE_WIDTH`]; with a body on
/// stdin, `printf` pipes it in.
pub fn command_line(family: &str, operation: &str, example: &Example) -> String {
    let mut words = Vec::new();
    if let Some(json) = example.stdin {
        words.extend([
            "printf".to_owned(),
            quoted("%s\\n"),
            quoted(json),
            "|".to_owned(),
        ]);
    }
    words.extend(["idtok", family, operation].map(quoted));
    let command_words = words.len();
    // The arguments are flags each with its value: `--flag value` stays together.
    let mut units = words;
    units.extend(example.args.chunks(2).map(|pair| {
        pair.iter()
            .map(|word| quoted(word))
            .collect::<Vec<_>>()
            .join(" ")
    }));
    let mut text = String::from("  ");
    let mut line = 2;
    for (i, unit) in units.iter().enumerate() {
        if i > 0 {
            if i >= command_words && line + 1 + unit.len() > LINE_WIDTH {
                text.push_str(" \\\n    ");
                line = 4;
            } else {
                text.push(' ');
                line += 1;
            }
        }
        text.push_str(unit);
        line += unit.len();
    }
    text
}

/// A word as a POSIX shell reads it back: as it is when it has nothing the shell would
/// interpret, else in single quotes (a `'` inside written `'\''`).
pub fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.,/:@%+=".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
