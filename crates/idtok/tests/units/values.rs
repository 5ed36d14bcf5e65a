//! Flag values checked against the document's limits.

use clap::error::ErrorKind;
use clap::{Arg, Command};

use idtok::values::*;

const STATUS: Limits = Limits {
    values: &["enabled", "disabled"],
    ..Limits::NONE
};
const NAME: Limits = Limits {
    min_length: Some(2),
    max_length: Some(4),
    ..Limits::NONE
};
const PAGE: Limits = Limits {
    minimum: Some(1.0),
    maximum: Some(100.0),
    ..Limits::NONE
};

fn command(limits: &'static Limits, kind: ValueKind) -> Command {
    Command::new("t").arg(limits.checked(Arg::new("v").long("v"), kind))
}

#[test]
fn a_value_out_of_the_limits_is_refused_with_what_is_allowed() {
    let error = command(&STATUS, ValueKind::Text)
        .try_get_matches_from(["t", "--v", "enable"])
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ValueValidation);
    assert!(
        error
            .to_string()
            .contains("invalid value 'enable' for --v: it is not one of enabled, disabled"),
        "{error}"
    );
    let error = command(&NAME, ValueKind::Text)
        .try_get_matches_from(["t", "--v", "abcde"])
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("it is 5 characters long; it must be 2 to 4 characters"),
        "{error}"
    );
    let error = command(&PAGE, ValueKind::I32)
        .try_get_matches_from(["t", "--v", "500"])
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("invalid value '500' for --v: it must be 1 to 100"),
        "{error}"
    );
}

const TOKEN: Limits = Limits {
    min_length: Some(4),
    secret: true,
    ..Limits::NONE
};

#[test]
fn a_secret_out_of_its_limits_is_refused_without_showing_it() {
    let error = command(&TOKEN, ValueKind::Text)
        .try_get_matches_from(["t", "--v", "s3c"])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "invalid value for --v (a secret, not shown): it is 3 characters long; it must be at least 4 characters"
        ),
        "{error}"
    );
    assert!(!error.contains("s3c"), "{error}");
}

#[test]
fn a_value_within_the_limits_is_read_as_the_flag_reads_it() {
    let matches = command(&PAGE, ValueKind::I32)
        .try_get_matches_from(["t", "--v", "100"])
        .unwrap();
    assert_eq!(matches.get_one::<i32>("v"), Some(&100));
    let matches = command(&STATUS, ValueKind::Text)
        .try_get_matches_from(["t", "--v", "disabled"])
        .unwrap();
    assert_eq!(
        matches.get_one::<String>("v").map(String::as_str),
        Some("disabled")
    );
    // Characters, not bytes: four Chinese characters are four.
    let matches = command(&NAME, ValueKind::Text)
        .try_get_matches_from(["t", "--v", "名字名字"])
        .unwrap();
    assert!(matches.get_one::<String>("v").is_some());
}

#[test]
fn the_known_values_are_offered_to_completion() {
    let command = command(&STATUS, ValueKind::Text);
    let arg = command.get_arguments().next().unwrap();
    let offered: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    assert_eq!(offered, ["enabled", "disabled"]);
}
