//! `--dry-run`: the signed request that would have been sent, on stdout.

use idtok_client::UnsentRequest;

use crate::body::RequestBody;

/// Prints method and URL, the headers (the client redacted the secret ones) and the body (the
/// fields the document marks secret redacted).
pub fn print(request: &UnsentRequest, body: Option<&RequestBody>) {
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    if let Some(bytes) = &request.body {
        text.push('\n');
        text.push_str(&crate::body::shown(body, bytes.expose_secret()));
        text.push('\n');
    }
    print!("{text}");
}
