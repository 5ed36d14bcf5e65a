//! The command line: which operation it names, the narrow tree against the whole.

#[test]
fn the_command_line_is_well_formed() {
    idtok::command().debug_assert();
}

fn named(line: &str) -> Option<(String, String)> {
    let args: Vec<std::ffi::OsString> = line.split(' ').map(Into::into).collect();
    idtok::named_operation(&args)
}

fn pair(family: &str, operation: &str) -> Option<(String, String)> {
    Some((family.to_owned(), operation.to_owned()))
}

#[test]
fn the_family_and_operation_are_the_first_two_words_past_global_flags_and_their_values() {
    assert_eq!(
        named("idtok eiam list-applications --instance-id x"),
        pair("eiam", "list-applications")
    );
    assert_eq!(
        named("idtok --region cn-hangzhou -o json --query a --debug sts --endpoint http://127.0.0.1:1 assume-role"),
        pair("sts", "assume-role")
    );
    assert_eq!(
        named("idtok --region=cn-hangzhou -ojson sts assume-role"),
        pair("sts", "assume-role")
    );
    assert_eq!(named("idtok eiam"), None);
    assert_eq!(named("idtok --region eiam"), None);
    assert_eq!(named("idtok eiam -- list-applications"), None);
}

/// The narrow tree parses a run exactly as the whole tree does, and whatever it cannot parse
/// (help of the family, a misspelt operation) gets the whole tree's answer.
#[test]
fn a_command_line_parses_over_the_narrow_tree_as_over_the_whole() {
    let args =
        |line: &str| -> Vec<std::ffi::OsString> { line.split(' ').map(Into::into).collect() };
    let run = args(
        "idtok -o json sts assume-role --role-arn acs:ram::1:role/r --role-session-name session",
    );
    let narrow = idtok::parse(&run, idtok::narrow(&run)).unwrap();
    let whole = idtok::command().try_get_matches_from(&run).unwrap();
    let flags = |m: &clap::ArgMatches| {
        let (_, family) = m.subcommand().unwrap();
        let (operation, m) = family.subcommand().unwrap();
        let ids: Vec<String> = m
            .ids()
            .map(|id| {
                format!(
                    "{id}={:?}",
                    m.get_raw(id.as_str()).map(|v| v.collect::<Vec<_>>())
                )
            })
            .collect();
        (operation.to_owned(), ids)
    };
    assert_eq!(flags(&narrow), flags(&whole));
    // Parsed, but not to the operation built in full: not taken.
    let other = args("idtok sts get-caller-identity");
    let assume_role = idtok::narrow(&args("idtok sts assume-role")).unwrap();
    assert!(idtok::parse_narrow(assume_role, &other).is_none());
    for line in [
        "idtok sts assume-rol",
        "idtok sts help assume-role",
        "idtok sts assume-role --help",
        "idtok -o json sts assume-role --role-arn x -h",
        "idtok sts --help assume-role",
        "idtok sts assume-rol --help",
        "idtok sts assume-role -- --help",
    ] {
        let narrow = idtok::parse(&args(line), idtok::narrow(&args(line))).unwrap_err();
        let whole = idtok::command()
            .try_get_matches_from(args(line))
            .unwrap_err();
        assert_eq!(narrow.to_string(), whole.to_string(), "{line}");
    }
}
