//! A mistyped family or operation: clap's tip lists every name it finds similar (up to ~17
//! operations, in no useful order); idtok's lists the nearest few, nearest first.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Command;

/// At most this many names in the tip.
pub const AT_MOST: usize = 5;

/// clap's error for a mistyped subcommand, with the tip replaced by the nearest names of the
/// level it was typed at (the families, or one family's operations); other errors unchanged.
/// `root` is built only for such an error.
pub fn nearest_names(
    mut error: clap::Error,
    root: impl FnOnce() -> Command,
    args: &[OsString],
) -> clap::Error {
    if error.kind() != ErrorKind::InvalidSubcommand {
        return error;
    }
    let Some(ContextValue::String(typed)) = error.get(ContextKind::InvalidSubcommand) else {
        return error;
    };
    let typed = typed.clone();
    // Built, the commands carry their global flags and the `help` subcommand.
    let mut root = root();
    root.build();
    let Some(level) = mistyped_at(&root, args, &typed) else {
        return error;
    };
    let names = nearest(&typed, level.get_subcommands().map(Command::get_name));
    if names.is_empty() {
        error.remove(ContextKind::SuggestedSubcommand);
    } else {
        error.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(names),
        );
    }
    error
}

/// The command whose subcommand `typed` was meant to be: the arguments walked from the root,
/// skipping flags and their values, down the subcommands they name.
fn mistyped_at<'a>(root: &'a Command, args: &[OsString], typed: &str) -> Option<&'a Command> {
    let mut level = root;
    let mut tokens = args.iter().skip(1).map(|t| t.to_string_lossy());
    while let Some(token) = tokens.next() {
        if token == "--" {
            return None;
        }
        if let Some(long) = token.strip_prefix("--") {
            let takes_value = !long.contains('=')
                && level
                    .get_arguments()
                    .find(|arg| arg.get_long() == Some(long))
                    .is_some_and(|arg| arg.get_action().takes_values());
            if takes_value {
                tokens.next();
            }
            continue;
        }
        if let Some(shorts) = token.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-o yaml` takes the next argument; `-oyaml` does not.
            let takes_value = shorts.chars().count() == 1
                && level
                    .get_arguments()
                    .find(|arg| arg.get_short() == shorts.chars().next())
                    .is_some_and(|arg| arg.get_action().takes_values());
            if takes_value {
                tokens.next();
            }
            continue;
        }
        if token == typed {
            return Some(level);
        }
        level = level.find_subcommand(token.as_ref())?;
    }
    None
}

/// The names near `typed`, nearest first (by edit distance, transpositions counting one), at
/// most [`AT_MOST`]: those a few edits away, and those that contain what was typed
/// (`assume` → `assume-role`).
pub fn nearest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let within = (typed.chars().count() / 3).max(2);
    let mut near: Vec<(usize, &str)> = names
        .map(|name| (strsim::osa_distance(typed, name), name))
        .filter(|(distance, name)| {
            *distance <= within || (typed.chars().count() >= 4 && name.contains(typed))
        })
        .collect();
    near.sort();
    near.into_iter()
        .take(AT_MOST)
        .map(|(_, name)| name.to_owned())
        .collect()
}
