//! What `idtok` prints on success: the answer's body exactly as the service sent it (every field,
//! keys in the server's order, numbers as written), re-indented for reading or made compact.
//! Only whitespace between JSON tokens changes; nothing is decoded and written again.

use std::io::Write;

/// Prints answers. Secrets in an answer (an Obtain operation's token) are printed: that is what
/// the user asked for, and stdout is the only place one appears.
#[derive(Clone, Copy, Debug, Default)]
pub struct Output {
    /// One line per answer, no spaces (`--compact`); else indented by two spaces.
    pub compact: bool,
}

impl Output {
    /// Prints a JSON answer as received, re-indented (or compacted), with a final newline.
    pub fn print_answer(&self, body: &[u8]) {
        self.write(&layout(body, self.compact));
    }

    /// Prints bytes exactly as received: an answer that is not the documented JSON.
    pub fn print_raw(&self, body: &[u8]) {
        let mut bytes = body.to_vec();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        self.write(&bytes);
    }

    /// Prints a value idtok made itself (a JSON line of `--all`, a template).
    pub fn print_json<T: serde::Serialize + ?Sized>(&self, value: &T) {
        let text = if self.compact {
            serde_json::to_vec(value)
        } else {
            serde_json::to_vec_pretty(value)
        };
        if let Ok(mut text) = text {
            text.push(b'\n');
            self.write(&text);
        }
    }

    fn write(&self, bytes: &[u8]) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (`idtok ... | head`) is not worth a panic.
        let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    }
}

/// `body` (JSON) with its whitespace between tokens replaced: two-space indentation, one member
/// per line, `": "` after keys; or none at all. Strings are copied byte for byte. Empty arrays and
/// objects stay `[]` and `{}`. Ends with a newline.
pub fn layout(body: &[u8], compact: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // After `{` or `[`: the line break waits until we know the container is not empty.
    let mut opened = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    for &byte in body {
        if in_string {
            out.push(byte);
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if byte.is_ascii_whitespace() {
            continue;
        }
        if opened {
            opened = false;
            if byte != b'}' && byte != b']' && !compact {
                newline(&mut out, depth);
            }
        }
        match byte {
            b'{' | b'[' => {
                out.push(byte);
                depth += 1;
                opened = true;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if !compact && !matches!(out.last(), Some(b'{' | b'[')) {
                    newline(&mut out, depth);
                }
                out.push(byte);
            }
            b',' => {
                out.push(byte);
                if !compact {
                    newline(&mut out, depth);
                }
            }
            b':' => {
                out.push(byte);
                if !compact {
                    out.push(b' ');
                }
            }
            b'"' => {
                out.push(byte);
                in_string = true;
            }
            _ => out.push(byte),
        }
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::layout;

    fn text(body: &str, compact: bool) -> String {
        String::from_utf8(layout(body.as_bytes(), compact)).unwrap()
    }

    #[test]
    fn keys_keep_the_servers_order_and_numbers_their_text() {
        let body =
            r#" {"z":1754277891140.0, "a" : [ ], "m":{},"s":"a, \"b\": {c}","n":[1,{"x":null}]}"#;
        assert_eq!(
            text(body, false),
            "{\n  \"z\": 1754277891140.0,\n  \"a\": [],\n  \"m\": {},\n  \"s\": \"a, \\\"b\\\": {c}\",\n  \"n\": [\n    1,\n    {\n      \"x\": null\n    }\n  ]\n}\n"
        );
        assert_eq!(
            text(body, true),
            "{\"z\":1754277891140.0,\"a\":[],\"m\":{},\"s\":\"a, \\\"b\\\": {c}\",\"n\":[1,{\"x\":null}]}\n"
        );
    }

    #[test]
    fn the_layout_is_the_same_json() {
        let body = r#"{"entities":[],"b":{"c":[true,false,-1.5e3,"é\u00e9\\"]},"nextToken":""}"#;
        for compact in [false, true] {
            let laid: serde_json::Value =
                serde_json::from_slice(&layout(body.as_bytes(), compact)).unwrap();
            assert_eq!(
                laid,
                serde_json::from_str::<serde_json::Value>(body).unwrap()
            );
        }
    }
}
