//! Error bodies as the services and the proxies in front of them really send them.
//!
//! The documents give every error answer a JSON body, and progenitor decodes the documented
//! statuses (400, 403) into the family's `ErrorResponse`. But a gateway may answer with an HTML page,
//! Alibaba's API gateway can answer with an XML `<Error>`, a connection can cut a body short, and a
//! body may be empty. progenitor would then report only "invalid payload", without the status. So
//! before progenitor sees an error answer, the send loop reads its body (at most
//! `ERROR_BODY_LIMIT`, 64 KiB) and, when it is not a JSON object, replaces it with one:
//! - an XML `<Error>` becomes the object of its elements, under the same names (`Code`, `Message`,
//!   `RequestId`, `HostId`, `Recommend`...), so that it decodes like the JSON the vendor documents;
//! - anything else becomes `{"idtok_unreadable_body": "<short, printable excerpt>"}`, kept in the
//!   `ErrorResponse`'s `extra` and shown by `CallError`;
//! - a JSON object (or converted XML) that does not decode as the family's `ErrorResponse`, say
//!   `{"Code": 5}`, is kept whole as `{"idtok_undocumented_body": {...}}`, which `CallError` reads.
//!
//! The status and headers are kept as they came.

use serde_json::{Map, Value};

/// The key under which a body that is not the vendor's JSON is kept, as a short excerpt.
pub const UNREADABLE_BODY_KEY: &str = "idtok_unreadable_body";

/// The key under which a JSON error body is kept whole when it does not fit the family's
/// `ErrorResponse` (a field of another type than the document gives).
pub const UNDOCUMENTED_BODY_KEY: &str = "idtok_undocumented_body";

/// How much of an error answer's body is read. Vendor error bodies are a few hundred bytes.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How deep an XML error body may nest before it is treated as unreadable (no stack exhaustion on
/// hostile input).
const XML_DEPTH_LIMIT: usize = 16;

/// The body as a JSON object, and whether that object is the body as sent (`true`) or stands in
/// for it as described in the module docs (`false`).
pub(crate) fn json_object(body: &[u8], truncated: bool) -> (Value, bool) {
    if !truncated {
        if let Ok(object @ Value::Object(_)) = serde_json::from_slice::<Value>(body) {
            return (object, true);
        }
        if let Some(fields) = std::str::from_utf8(body).ok().and_then(xml_error) {
            return (Value::Object(fields), false);
        }
    }
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let text = if truncated && !empty {
        format!(
            "body (more than {} KiB, cut): {}",
            ERROR_BODY_LIMIT / 1024,
            crate::call_error::excerpt(body)
        )
    } else {
        crate::call_error::excerpt_or_empty(body)
    };
    let mut marker = Map::new();
    marker.insert(UNREADABLE_BODY_KEY.to_owned(), Value::String(text));
    (Value::Object(marker), false)
}

/// The start of a body, at most [`ERROR_BODY_LIMIT`] bytes, and whether it was cut there or by a
/// failed read (what arrived is then all there is, and is not trusted to be whole).
pub(crate) async fn read_bounded(response: &mut reqwest::Response) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = ERROR_BODY_LIMIT - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if chunk.len() > room {
                    return (body, true);
                }
            }
            Ok(None) => return (body, false),
            Err(_) => return (body, true),
        }
    }
}

/// The elements of an XML `<Error>` document, or `None` when the text is not one.
fn xml_error(text: &str) -> Option<Map<String, Value>> {
    let mut parser = XmlParser { rest: text };
    parser.skip_prolog();
    let (name, value) = parser.element(0)?;
    parser.skip_misc();
    if name != "Error" || !parser.rest.is_empty() {
        return None;
    }
    match value {
        Value::Object(fields) => Some(fields),
        _ => None,
    }
}

/// A parser for the subset of XML that error bodies use: elements without attributes that matter,
/// text, character and entity references, CDATA, comments and a prolog. Anything else is refused.
struct XmlParser<'a> {
    rest: &'a str,
}

impl<'a> XmlParser<'a> {
    fn skip_prolog(&mut self) {
        self.rest = self.rest.trim_start_matches('\u{feff}');
        loop {
            self.rest = self.rest.trim_start();
            if self.rest.starts_with("<?") {
                match self.rest.find("?>") {
                    Some(end) => self.rest = &self.rest[end + 2..],
                    None => return,
                }
            } else if !self.skip_comment() {
                return;
            }
        }
    }

    fn skip_misc(&mut self) {
        loop {
            self.rest = self.rest.trim_start();
            if !self.skip_comment() {
                return;
            }
        }
    }

    fn skip_comment(&mut self) -> bool {
        if let Some(after) = self.rest.strip_prefix("<!--")
            && let Some(end) = after.find("-->")
        {
            self.rest = &after[end + 3..];
            return true;
        }
        false
    }

    /// One element: its name, and its text (a leaf) or the object of its children.
    fn element(&mut self, depth: usize) -> Option<(&'a str, Value)> {
        if depth > XML_DEPTH_LIMIT {
            return None;
        }
        let after = self.rest.strip_prefix('<')?;
        let tag_end = after.find('>')?;
        let tag = &after[..tag_end];
        let self_closing = tag.ends_with('/');
        let name = tag.trim_end_matches('/').split_whitespace().next()?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.:".contains(c))
        {
            return None;
        }
        self.rest = &after[tag_end + 1..];
        if self_closing {
            return Some((name, Value::String(String::new())));
        }
        let mut text = String::new();
        let mut children = Map::new();
        loop {
            let next = self.rest.find('<')?;
            text.push_str(&decode_entities(&self.rest[..next])?);
            self.rest = &self.rest[next..];
            if let Some(after) = self.rest.strip_prefix("</") {
                let end = after.find('>')?;
                if after[..end].trim() != name {
                    return None;
                }
                self.rest = &after[end + 1..];
                break;
            } else if let Some(after) = self.rest.strip_prefix("<![CDATA[") {
                let end = after.find("]]>")?;
                text.push_str(&after[..end]);
                self.rest = &after[end + 3..];
            } else if self.skip_comment() {
            } else {
                let (child, value) = self.element(depth + 1)?;
                // A repeated element becomes a list, in order.
                match children.get_mut(child) {
                    Some(Value::Array(items)) => items.push(value),
                    Some(first) => {
                        let first = first.take();
                        children.insert(child.to_owned(), Value::Array(vec![first, value]));
                    }
                    None => {
                        children.insert(child.to_owned(), value);
                    }
                }
            }
        }
        if children.is_empty() {
            Some((name, Value::String(text.trim().to_owned())))
        } else {
            Some((name, Value::Object(children)))
        }
    }
}

/// Text with XML's five entities and numeric character references decoded; `None` on a broken
/// reference.
fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';')?;
        let reference = &after[..end];
        let decoded = match reference {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = reference.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    reference.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(decoded);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_json_object_goes_on_unchanged() {
        assert_eq!(
            json_object(br#"{"Code":"X"}"#, false),
            (json!({"Code": "X"}), true)
        );
    }

    #[test]
    fn an_alibaba_xml_error_becomes_its_fields() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- gateway -->
<Error>
  <RequestId>0441BD79-92F3-53AA-8657-F8CE4A2B912A</RequestId>
  <HostId>eiam.cn-hangzhou.aliyuncs.com</HostId>
  <Code>Throttling.User</Code>
  <Message>Request was denied due to user flow control &amp; &#x4E2D;&#25991;.</Message>
  <Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Eiam]]></Recommend>
  <AccessDeniedDetail><AuthAction>eiam:List</AuthAction><NoPermissionType/></AccessDeniedDetail>
</Error>
"#;
        assert_eq!(
            json_object(xml.as_bytes(), false),
            (
                json!({
                "RequestId": "0441BD79-92F3-53AA-8657-F8CE4A2B912A",
                "HostId": "eiam.cn-hangzhou.aliyuncs.com",
                "Code": "Throttling.User",
                "Message": "Request was denied due to user flow control & 中文.",
                "Recommend": "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Eiam",
                "AccessDeniedDetail": {"AuthAction": "eiam:List", "NoPermissionType": ""},
                }),
                false
            )
        );
    }

    #[test]
    fn html_empty_truncated_and_broken_xml_keep_a_safe_excerpt() {
        let cases: [(&[u8], bool, &str); 6] = [
            (
                b"<html><body>502 Bad Gateway</body></html>",
                false,
                "body: <html><body>502 Bad Gateway</body></html>",
            ),
            (b"", false, "the body is empty"),
            (b" \r\n", false, "the body is empty"),
            (br#"{"Code":"Thrott"#, false, r#"body: {"Code":"Thrott"#),
            (
                b"<Error><Code>X</Cod></Error>",
                false,
                "body: <Error><Code>X</Cod></Error>",
            ),
            (
                br#"{"Code":"X"}"#,
                true,
                r#"body (more than 64 KiB, cut): {"Code":"X"}"#,
            ),
        ];
        for (body, truncated, expected) in cases {
            assert_eq!(
                json_object(body, truncated),
                (json!({ UNREADABLE_BODY_KEY: expected }), false),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn deep_or_hostile_xml_is_refused_without_overflowing() {
        let deep = format!(
            "{}{}",
            "<Error>".repeat(100_000),
            "</Error>".repeat(100_000)
        );
        assert!(xml_error(&deep).is_none());
        for text in [
            "<",
            "<Error",
            "<Error>&",
            "<Error>&#xFFFFFFFF;</Error>",
            "<Error></Other>",
            "<>x</>",
        ] {
            assert!(xml_error(text).is_none(), "{text}");
        }
    }
}
