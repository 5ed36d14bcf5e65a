//! Help and examples made from the documents.

use idtok::help::*;

/// Every flag a help text names (`--page-size sets the page size`) is one the command has:
/// help made from the document must not point at a flag that is not there.
#[test]
fn the_help_of_every_flag_names_only_flags_the_command_has() {
    let idtok = idtok::command();
    let global: Vec<&str> = idtok.get_arguments().filter_map(|a| a.get_long()).collect();
    for family in idtok.get_subcommands() {
        for command in family.get_subcommands() {
            let flags: Vec<&str> = command
                .get_arguments()
                .filter_map(|a| a.get_long())
                .chain(global.iter().copied())
                .collect();
            for arg in command.get_arguments() {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                for word in help.split_whitespace().filter(|w| w.starts_with("--")) {
                    let flag = word
                        .trim_start_matches("--")
                        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
                    assert!(
                        flags.contains(&flag),
                        "{} {}: the help of --{} names {word:?}, which is not a flag of it",
                        family.get_name(),
                        command.get_name(),
                        arg.get_long().unwrap_or_default(),
                    );
                }
            }
        }
    }
}

#[test]
fn words_are_quoted_for_a_posix_shell() {
    assert_eq!(
        quoted("idaas_ue2jvisn35ea5lmthk267xxxxx"),
        "idaas_ue2jvisn35ea5lmthk267xxxxx"
    );
    assert_eq!(quoted(""), "''");
    assert_eq!(quoted("a b"), "'a b'");
    assert_eq!(quoted(r#"{"a":"it's"}"#), r#"'{"a":"it'\''s"}'"#);
    assert_eq!(quoted("$HOME`x`*"), "'$HOME`x`*'");
}

#[test]
fn a_long_example_breaks_before_a_flag_and_keeps_flags_with_their_values() {
    let example = Example {
        operation: "ListThings",
        flags: ExampleFlags::Required,
        args: &[
            "--instance-id",
            "idaas_ue2jvisn35ea5lmthk267xxxxx",
            "--application-id",
            "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
            "--name",
            "a b",
        ],
        stdin: Some(r#"{"k":"v"}"#),
    };
    assert_eq!(
        command_line("eiam", "list-things", &example),
        "  printf '%s\\n' '{\"k\":\"v\"}' | idtok eiam list-things \\\n    --instance-id idaas_ue2jvisn35ea5lmthk267xxxxx \\\n    --application-id app_mkv7rgt4d7i4u7zqtzev2mxxxx --name 'a b'"
    );
}
