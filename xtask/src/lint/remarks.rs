//! Text that callers read says what they need, not where the document's facts came from.
//!
//! `summary`, `description` and `title` reach `idtok --help`, the rustdoc of the generated crates
//! and the HTML reference. A remark about the document itself (which vendor page or SDK version a
//! fact comes from, that an example is made up, how the document models the API, what goes on the
//! wire) belongs in `x-modelling-note` beside the text, for the document's maintainers: the wire
//! is said by the extensions (`x-acs-rpc`, `security`, ...), from which the generator writes it.

use serde_json::{Map, Value};

use crate::document::{escape_token, Document, Problem};

/// The words that mark a remark about the document rather than the API, each with what it
/// marks. Matched without regard to case, as whole words (a letter, digit, `_` or `-` right
/// before or after a marker that starts or ends with a letter or digit makes it part of a
/// longer word: `SDK-HMAC-SHA256` is a signature version, not an SDK). In a marker, `#` stands
/// for a run of digits; a number right after `§` is a section of a standard, not a version.
pub const REMARK_MARKERS: [(&str, &str); 14] = [
    ("illustrative", "whether an example is the vendor's"),
    ("vendor", "what the vendor's pages or sources say"),
    ("vendors", "what the vendor's pages or sources say"),
    ("SDK", "what an SDK sends or reads"),
    ("SDKs", "what an SDK sends or reads"),
    ("#.#.#", "a version of a source (an SDK's)"),
    ("judging", "how a fact was inferred"),
    ("Wire:", "what is sent, which the extensions say"),
    ("security: []", "how the document models authentication"),
    ("pseudo-path", "how the document models RPC operations"),
    ("OpenAPI", "how the document models the API"),
    ("this document", "how the document models the API"),
    ("modelled", "how the document models the API"),
    ("x-modelling-note", "where maintainers' notes go"),
];

/// The keys whose string values callers read.
const TEXT_FIELDS: [&str; 3] = ["summary", "description", "title"];

/// Keys whose values are data, not text for callers.
const DATA_KEYS: [&str; 3] = ["example", "default", "enum"];

pub fn check(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    visit(&document.json, "", &mut |field, text, pointer| {
        let text = collapsed(text);
        for &(marker, marks) in &REMARK_MARKERS {
            let count = occurrences(&text, marker).len();
            if count == 0 {
                continue;
            }
            let mut places = places(document, pointer, marker).into_iter();
            for _ in 0..count {
                problems.push(Problem {
                    line: places.next().or_else(|| document.problem(pointer, "").line),
                    ..document.problem(
                        pointer,
                        format!("a {field} is for callers: move where-it-came-from remarks to x-modelling-note ({marker:?} marks {marks})"),
                    )
                });
            }
        }
    });
    problems
}

/// Calls `found` with every text field callers read: (field name, text, pointer).
fn visit(value: &Value, pointer: &str, found: &mut dyn FnMut(&str, &str, &str)) {
    let children: Box<dyn Iterator<Item = (std::borrow::Cow<str>, &Value)>> = match value {
        Value::Object(map) => {
            text_fields(map, pointer, found);
            Box::new(
                map.iter()
                    .filter(|(key, _)| {
                        // An Example Object's `value` is data too.
                        let example_value = *key == "value" && pointer.contains("/examples/");
                        !key.starts_with("x-")
                            && !DATA_KEYS.contains(&key.as_str())
                            && !example_value
                    })
                    .map(|(key, child)| (escape_token(key), child)),
            )
        }
        Value::Array(items) => Box::new(
            items
                .iter()
                .enumerate()
                .map(|(i, child)| (i.to_string().into(), child)),
        ),
        _ => return,
    };
    for (token, child) in children {
        visit(child, &format!("{pointer}/{token}"), found);
    }
}

fn text_fields(map: &Map<String, Value>, pointer: &str, found: &mut dyn FnMut(&str, &str, &str)) {
    for field in TEXT_FIELDS {
        if let Some(Value::String(text)) = map.get(field) {
            found(field, text, &format!("{pointer}/{field}"));
        }
    }
}

/// Whitespace runs as one space, so that a marker split over two lines is found.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line and column of each occurrence of `marker` on the lines of the value at `pointer`,
/// in order. One split over two lines is not among them.
fn places(document: &Document, pointer: &str, marker: &str) -> Vec<(usize, usize)> {
    let lines = document.value_lines(pointer);
    let mut out = Vec::new();
    for (i, (number, text)) in lines.iter().enumerate() {
        // On the key's line, only what follows the key counts.
        let skip = if i == 0 {
            text.find(':').map_or(0, |at| at + 1)
        } else {
            0
        };
        out.extend(
            occurrences(&text[skip..], marker)
                .into_iter()
                .map(|at| (*number, skip + at + 1)),
        );
    }
    out
}

/// The byte offsets at which `marker` occurs in `text` as a whole word.
fn occurrences(text: &str, marker: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let edge = |c: u8| c.is_ascii_alphanumeric() || c == b'#';
    let pattern = marker.as_bytes();
    let mut out = Vec::new();
    for start in starts(bytes, pattern[0]) {
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if edge(pattern[0]) && before.is_some_and(word) {
            continue;
        }
        if pattern[0] == b'#' && before == Some(0xa7) {
            // `§2.3.1`: the last byte of `§` in UTF-8; a section of a standard.
            continue;
        }
        let Some(end) = matches_at(bytes, start, pattern) else {
            continue;
        };
        if edge(pattern[pattern.len() - 1]) && bytes.get(end).is_some_and(|&b| word(b)) {
            continue;
        }
        out.push(start);
    }
    out
}

/// The offsets in `bytes` where a match of a pattern beginning with `p` can start. Most
/// positions fail on their first byte, and every text field of a document is scanned for every
/// marker (on every `cargo xtask gen` after an edit, and dozens of times by the lint's tests):
/// memchr finds the candidates.
fn starts(bytes: &[u8], p: u8) -> Box<dyn Iterator<Item = usize> + '_> {
    if p == b'#' {
        Box::new((0..bytes.len()).filter(move |&i| starts_like(p, bytes[i])))
    } else {
        Box::new(memchr::memchr2_iter(
            p.to_ascii_lowercase(),
            p.to_ascii_uppercase(),
            bytes,
        ))
    }
}

/// Whether the byte `b` can begin what the pattern byte `p` matches: `#` one or more digits, any
/// other byte itself without regard to ASCII case.
fn starts_like(p: u8, b: u8) -> bool {
    if p == b'#' {
        b.is_ascii_digit()
    } else {
        b.eq_ignore_ascii_case(&p)
    }
}

/// Where a match of `pattern` starting at `start` ends (each byte as [`starts_like`] says; `#`
/// takes every digit that follows).
fn matches_at(bytes: &[u8], start: usize, pattern: &[u8]) -> Option<usize> {
    let mut at = start;
    for &p in pattern {
        if !starts_like(p, *bytes.get(at)?) {
            return None;
        }
        at += if p == b'#' {
            bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        } else {
            1
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&'static str> {
        let text = collapsed(text);
        REMARK_MARKERS
            .iter()
            .flat_map(|(marker, _)| std::iter::repeat_n(*marker, occurrences(&text, marker).len()))
            .collect()
    }

    #[test]
    fn markers_are_whole_words_without_regard_to_case() {
        assert_eq!(found("The example is Illustrative."), ["illustrative"]);
        assert_eq!(found("Signed with SDK-HMAC-SHA256."), Vec::<&str>::new());
        assert_eq!(
            found("As the SDK's reader does, and the SDKs."),
            ["SDK", "SDKs"]
        );
        assert_eq!(
            found("Which `ProviderVendor`: `dingtalk`."),
            Vec::<&str>::new()
        );
        assert_eq!(found("as the\n  vendor's page says"), ["vendor"]);
        assert_eq!(found("Wire: `POST /` and Wireless: no"), ["Wire:"]);
    }

    #[test]
    fn a_version_is_three_numbers_but_not_a_section_of_a_standard() {
        assert_eq!(found("the 1.9.0 SDK"), ["SDK", "#.#.#"]);
        assert_eq!(found("RFC 6749 §2.3.1 requires"), Vec::<&str>::new());
        assert_eq!(found("version 2.3 and 2015-04-01"), Vec::<&str>::new());
    }
}
