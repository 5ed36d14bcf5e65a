//! What the library warns about (a credentials file others may read, a renewal that failed, an
//! unusable credentials cache) on stderr, one line each, without `--debug`: a person running
//! idtok needs to see these, and they never carry a secret (the library's rule for every event).

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Prints WARN and ERROR events of the client library as `idtok: warning: <message>`.
pub struct Warnings;

impl<S: Subscriber> Layer<S> for Warnings {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        *metadata.level() <= Level::WARN && metadata.target().starts_with("idtok_client")
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut line = Line::default();
        event.record(&mut line);
        let mut text = format!("idtok: warning: {}", line.message);
        // The error is the one field a reader needs besides the message; the others (file,
        // mode, source) repeat it for structured logs.
        if let Some(error) = line.error {
            let _ = write!(text, ": {error}");
        }
        eprintln!("{text}");
    }
}

#[derive(Default)]
struct Line {
    message: String,
    error: Option<String>,
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "error" => self.error = Some(format!("{value:?}")),
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message = value.to_owned(),
            "error" => self.error = Some(value.to_owned()),
            _ => {}
        }
    }
}
