//! `--dry-run`: the signed request that would have been sent, on stdout, in the output format asked
//! for (`-o json|yaml|table|text`, `--query`): `method`, `url`, `headers` and `body`.

use idtok_client::UnsentRequest;

use crate::body::RequestBody;
use crate::output::{Ordered, Output};

/// Prints method and URL, the headers (the client redacted the secret ones) and the body (the
/// fields the document marks secret redacted).
pub fn print(
    output: &Output,
    request: &UnsentRequest,
    body: Option<&RequestBody>,
) -> Result<(), String> {
    let mut headers = serde_yaml::Mapping::new();
    for (name, value) in &request.headers {
        let key = Ordered::String(name.clone());
        // A header sent twice is shown as HTTP would fold it.
        let value = match headers.get(&key).and_then(Ordered::as_str) {
            Some(earlier) => format!("{earlier}, {value}"),
            None => value.clone(),
        };
        headers.insert(key, Ordered::String(value));
    }
    let mut shown = serde_yaml::Mapping::new();
    shown.insert("method".into(), request.method.clone().into());
    shown.insert("url".into(), request.url.clone().into());
    shown.insert("headers".into(), Ordered::Mapping(headers));
    if let Some(bytes) = &request.body {
        shown.insert(
            "body".into(),
            crate::body::shown(body, bytes.expose_secret()),
        );
    }
    // The request is idtok's own value, not an answer: no operation's table applies.
    let output = Output {
        table: None,
        ..output.clone()
    };
    output.print(Ordered::Mapping(shown), false)
}
