//! What `idtok` prints on success: the response body as JSON on stdout.

use std::io::Write;

/// Prints responses. Secrets in a response (an Obtain operation's token) are printed: that is
/// what the user asked for, and stdout is the only place one appears.
pub struct Output;

impl Output {
    pub fn print_json<T: serde::Serialize + ?Sized>(&self, value: &T) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (`idtok ... | head`) is not worth a panic.
        let _ = serde_json::to_writer_pretty(&mut stdout, value)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout));
    }
}
