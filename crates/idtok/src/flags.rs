//! Reading the global flags from a command's matches. Global flags are visible from the
//! family's and the operation's matches too; a command that does not have a flag reads as not
//! given, never as an error.

use std::time::Duration;

use clap::ArgMatches;
use idtok_client::{RetryPolicy, Timeouts};

use crate::output;

/// Whether a switch (a flag without a value) was given; false where the command has none.
pub fn switch(matches: &ArgMatches, name: &str) -> bool {
    matches
        .try_get_one::<bool>(name)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// The value of a flag, if given; `None` where the command has none.
pub fn string<'a>(matches: &'a ArgMatches, name: &str) -> Option<&'a str> {
    matches
        .try_get_one::<String>(name)
        .ok()
        .flatten()
        .map(String::as_str)
}

/// `--profile`, if given.
pub fn profile(matches: &ArgMatches) -> Option<&str> {
    string(matches, "profile")
}

/// How the answer is printed: `--output`, `--compact`, `--query`.
pub fn output(matches: &ArgMatches) -> output::Output {
    output::Output {
        compact: switch(matches, "compact"),
        format: string(matches, "output")
            .map(output::Format::parse)
            .unwrap_or_default(),
        query: string(matches, "query").map(str::to_owned),
        table: None,
    }
}

/// A positive, finite number of seconds (`--timeout`, `--attempt-timeout`).
pub fn seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a number of seconds between 0 and 86400".to_owned()),
    }
}

/// The retry policy and timeouts the global flags ask for, over the library's defaults.
pub fn call_settings(matches: &ArgMatches) -> (RetryPolicy, Timeouts) {
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = matches.get_one::<u32>("max-attempts") {
        retry.max_attempts = *attempts;
    }
    let mut timeouts = Timeouts::default();
    if let Some(total) = matches.get_one::<Duration>("timeout") {
        timeouts.total = *total;
    }
    if let Some(attempt) = matches.get_one::<Duration>("attempt-timeout") {
        timeouts.per_attempt = *attempt;
    }
    (retry, timeouts)
}
