//! YAML for the published bundles, written so that every YAML reader takes it the same way.
//!
//! serde_yaml writes `version: 2021-12-01` unquoted: a string in YAML 1.2, but a date to the YAML 1.1
//! readers many portals still use (js-yaml's default schema, PyYAML), and `on`/`no` become booleans
//! there. So a string is written plain only when it starts with a letter and cannot be read as
//! anything else; otherwise it is double-quoted. Text with line breaks is a literal block (`|`), as
//! authors write descriptions. Key order is kept as given.

use serde_yaml::Value;

/// The document as YAML, ending in one newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Mapping(m) if !m.is_empty() => mapping(&mut out, m, 0),
        Value::Sequence(s) if !s.is_empty() => sequence(&mut out, s, 0),
        other => {
            scalar(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level));
}

fn mapping(out: &mut String, m: &serde_yaml::Mapping, level: usize) {
    for (i, (key, value)) in m.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        match key {
            Value::String(s) => out.push_str(&one_line(s)),
            other => scalar(out, other, level),
        }
        out.push(':');
        after_key(out, value, level);
    }
}

fn sequence(out: &mut String, s: &[Value], level: usize) {
    for (i, item) in s.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Mapping(m) if !m.is_empty() => mapping(out, m, level + 2),
            Value::Sequence(s) if !s.is_empty() => sequence(out, s, level + 2),
            other => {
                scalar(out, other, level + 2);
                out.push('\n');
            }
        }
    }
}

/// A mapping value: nested collections on the next lines, scalars after the colon.
fn after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            mapping(out, m, level + 2);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            sequence(out, s, level + 2);
        }
        other => {
            out.push(' ');
            scalar(out, other, level + 2);
            out.push('\n');
        }
    }
}

/// A scalar (or an empty collection); a multi-line string's block is indented to `level`.
fn scalar(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s, level),
        Value::Mapping(_) => out.push_str("{}"),
        Value::Sequence(_) => out.push_str("[]"),
        Value::Tagged(t) => scalar(out, &t.value, level),
    }
}

fn string(out: &mut String, s: &str, level: usize) {
    if !s.contains('\n') || !literal_block_can_hold(s) {
        out.push_str(&one_line(s));
        return;
    }
    let body = s.trim_end_matches('\n');
    // Chomping: strip the last line break, keep exactly one, or keep them all.
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // A first text line that starts with a space needs the indentation said explicitly.
    let indicator = if body.trim_start_matches('\n').starts_with(' ') {
        "2"
    } else {
        ""
    };
    out.push('|');
    out.push_str(indicator);
    out.push_str(chomp);
    // The last line break is the block's own; any before it are empty lines.
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
}

/// A literal block holds any printable text with line breaks, but not `\r`, other control
/// characters or nothing but line breaks.
fn literal_block_can_hold(s: &str) -> bool {
    !s.trim_end_matches('\n').is_empty()
        && s.chars().all(|c| c == '\n' || c == '\t' || printable(c))
}

fn printable(c: char) -> bool {
    !c.is_control() && c != '\u{feff}'
}

/// A string on one line: plain when no reader can take it for anything else, else double-quoted.
fn one_line(s: &str) -> String {
    if plain_is_safe(s) {
        return s.to_owned();
    }
    let mut quoted = String::with_capacity(s.len() + 2);
    quoted.push('"');
    for c in s.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if !printable(c) => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// YAML 1.1's booleans and nulls, which YAML 1.1 readers take in any of these spellings.
const SPECIAL_WORDS: [&str; 13] = [
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf", "=", "<<",
];

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    // A letter, `/` (paths) or `$` (`$ref`) first: no number, date, indicator or sign.
    (first.is_alphabetic() || first == '/' || first == '$' || first == '_')
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| printable(c) && c != '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &Value) -> String {
        let text = to_yaml(value);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
        assert_eq!(&back, value, "\n{text}");
        text
    }

    #[test]
    fn strings_that_a_yaml_1_1_reader_would_take_for_something_else_are_quoted() {
        for s in [
            "2021-12-01",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "null",
            "~",
            "1.0",
            "0x1F",
            "1_000",
            "12:30",
            "+1",
            "-",
            "- item",
            ".inf",
            "",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#x",
            "key:",
            "@at",
            "`tick",
            "'single",
            "\"double",
            "%tag",
            "!tag",
            "&anchor",
            "*alias",
            "|pipe",
            ">fold",
            "[x]",
            "{x}",
            "?q",
            ",c",
            "tab\there",
            "\u{7f}del",
            "=",
            "<<",
        ] {
            let text = round_trip(&Value::String(s.to_owned()));
            assert!(text.starts_with('"'), "{s:?} written plain: {text}");
        }
    }

    #[test]
    fn ordinary_text_paths_and_refs_stay_plain() {
        for s in [
            "Alibaba Cloud IDaaS EIAM",
            "application/json",
            "/v1/identity-stores/{id}",
            "$ref",
            "#/components/schemas/X",
            "x-acs-rpc",
            "ACS3-HMAC-SHA256",
            "Yesterday",
            "note",
            "a:b",
            "a#b",
            "idaas_ue2jvisn35ea5lmthk267xxxxx",
            "ünïcode ✓",
        ] {
            let text = round_trip(&Value::String(s.to_owned()));
            let plain = !text.starts_with('"');
            // `#/...` must be quoted (a comment otherwise); everything else here reads as itself.
            assert_eq!(plain, !s.starts_with('#'), "{s:?}: {text}");
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block_that_keeps_every_line_break() {
        for s in [
            "one\ntwo\n",
            "one\ntwo",
            "one\ntwo\n\n\n",
            " indented\nsecond\n",
            "a\n\n  b\n",
            "trailing space \nnext\n",
            "\n\nstarts blank\n",
            "crlf\r\nline\n",
            "\n",
            "\n lead after blank\n",
            "tab\tin a\nblock",
        ] {
            let doc: Value = serde_yaml::from_str(&format!(
                "k:\n  nested: {}\n",
                serde_json::to_string(s).unwrap()
            ))
            .unwrap();
            let text = round_trip(&doc);
            round_trip(&Value::Sequence(vec![
                Value::String(s.to_owned()),
                doc.clone(),
            ]));
            if !s.contains('\r') && !s.trim_end_matches('\n').is_empty() {
                assert!(text.contains(": |"), "{s:?}: {text}");
            }
        }
    }

    #[test]
    fn nesting_keys_and_scalars() {
        let doc: Value = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: T, version: "2021-12-01", x-n: 1.5, x-b: false, x-null: null}
paths:
  /a:
    get:
      parameters:
        - {name: p, in: query, schema: {type: string, enum: ["yes", "no"]}}
        - name: q
          in: query
      responses:
        "200": {description: ok, content: {}}
list: [[1, 2], [], {}, [{a: 1}]]
"#,
        )
        .unwrap();
        let text = round_trip(&doc);
        assert!(text.contains("version: \"2021-12-01\"\n"), "{text}");
        assert!(text.contains("\"200\":\n"), "{text}");
        assert!(
            text.starts_with("openapi: \"3.0.3\"\ninfo:\n  title: T\n"),
            "{text}"
        );
    }
}
