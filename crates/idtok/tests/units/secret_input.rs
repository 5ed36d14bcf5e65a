//! Secrets read from stdin (`--password -`).

use std::ffi::OsString;

use idtok::secret_input::*;

fn args(line: &str) -> Vec<OsString> {
    line.split(' ').map(Into::into).collect()
}

fn read(line: &str) -> Result<Vec<String>, String> {
    let flags = ["password".to_owned(), "oidc-token".to_owned()];
    read_into(&args(line), &flags, &mut |flag| {
        Ok(format!("<{flag}-from-stdin>"))
    })
    .map(|args| args.into_iter().map(|a| a.into_string().unwrap()).collect())
}

#[test]
fn a_dash_of_a_secret_flag_is_replaced_by_what_stdin_gives() {
    assert_eq!(
        read("idtok eiam create-user --password - --user-name u").unwrap(),
        args("idtok eiam create-user --password <password-from-stdin> --user-name u")
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        read("idtok x y --password=-").unwrap()[3..],
        ["--password", "<password-from-stdin>"]
    );
    // A value given on the line, another flag's `-`, and anything after `--` stay as they are.
    assert_eq!(
        read("idtok x y --password p --name - -- --password -").unwrap(),
        args("idtok x y --password p --name - -- --password -")
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect::<Vec<_>>()
    );
}

#[test]
fn only_one_value_can_come_from_stdin() {
    let error = read("idtok x y --password - --oidc-token -").unwrap_err();
    assert!(error.contains("--password and --oidc-token"), "{error}");
    let error = read("idtok x y --json-body - --password -").unwrap_err();
    assert!(error.contains("--json-body and --password"), "{error}");
}
