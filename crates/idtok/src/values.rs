//! What a request value may be, as the document says: its known values (`enum`), its length in
//! characters (`minLength`, `maxLength`) and its range (`minimum`, `maximum`). The generator
//! writes these limits for every flag whose value has them (`PARAMETER_LIMITS` in each family
//! module, `BodyField::limits`, and the leaves of a body's [`crate::body::Shape`]).
//!
//! A flag with limits gets a value parser that refuses a value out of them before anything is
//! sent (exit 2, naming the values or the limit) and that offers the known values to shell
//! completion and `--help`. A whole body (`--json-body`) and the JSON given to an object flag are
//! checked against the same limits, at any depth, by [`crate::body::typed`]. The library itself
//! takes plain strings and numbers: only the command line checks, and the service stays the judge
//! of what it accepts.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Arg, Command};
use serde_json::Value;

/// The limits of one request value; for an array, of each of its items.
#[derive(Debug)]
pub struct Limits {
    /// The values the document lists (`enum`); empty: any.
    pub values: &'static [&'static str],
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// A secret (`format: password`): a refusal says why, never the value.
    pub secret: bool,
}

/// What a flag's value is read as, as the generated CLI reads it.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    Text,
    /// A `format: password` string, which progenitor's CLI reads as a `SecretString`.
    Secret,
    I32,
    I64,
    F64,
}

/// A parameter of an operation (a query, path or header parameter of progenitor's CLI) whose
/// value the document limits.
pub struct ParameterLimits {
    /// The operationId.
    pub operation: &'static str,
    /// The flag, without `--`.
    pub flag: &'static str,
    pub kind: ValueKind,
    pub limits: Limits,
}

/// Gives the operation's limited parameters their checking parsers.
pub fn parameter_args(
    mut command: Command,
    parameters: &'static [ParameterLimits],
    operation: &str,
) -> Command {
    for parameter in parameters.iter().filter(|p| p.operation == operation) {
        command = command.mut_arg(parameter.flag, |arg| {
            parameter.limits.checked(arg, parameter.kind)
        });
    }
    command
}

impl Limits {
    /// No limit at all: the value is whatever its type allows.
    pub const NONE: Limits = Limits {
        values: &[],
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        secret: false,
    };

    pub fn is_none(&self) -> bool {
        self.values.is_empty()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.minimum.is_none()
            && self.maximum.is_none()
    }

    /// `arg` with a parser that reads its values as `kind` and refuses those out of the limits.
    pub fn checked(&'static self, arg: Arg, kind: ValueKind) -> Arg {
        if self.is_none() {
            return arg;
        }
        match kind {
            ValueKind::Text => arg.value_parser(Checked::<String>::new(self)),
            ValueKind::Secret => arg.value_parser(Checked::<idtok_secret::SecretString>::new(self)),
            ValueKind::I32 => arg.value_parser(Checked::<i32>::new(self)),
            ValueKind::I64 => arg.value_parser(Checked::<i64>::new(self)),
            ValueKind::F64 => arg.value_parser(Checked::<f64>::new(self)),
        }
    }

    /// Why `text` is not a value these limits allow, if it is not.
    pub fn misfit_text(&self, text: &str) -> Option<String> {
        if !self.values.is_empty() && !self.values.contains(&text) {
            return Some(format!("is not one of {}", self.values.join(", ")));
        }
        let length = text.chars().count() as u64;
        let short = self.min_length.is_some_and(|min| length < min);
        let long = self.max_length.is_some_and(|max| length > max);
        (short || long).then(|| {
            let said = between(
                self.min_length.map(|n| n as f64),
                self.max_length.map(|n| n as f64),
            );
            format!("is {length} characters long; it must be {said} characters")
        })
    }

    /// Why `number` is not in the range, if it is not.
    pub fn misfit_number(&self, number: f64) -> Option<String> {
        let low = self.minimum.is_some_and(|min| number < min);
        let high = self.maximum.is_some_and(|max| number > max);
        (low || high).then(|| format!("must be {}", between(self.minimum, self.maximum)))
    }

    /// Why a JSON value is not one these limits allow (a string, or a number), if it is not.
    pub fn misfit(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(text) => self.misfit_text(text),
            Value::Number(number) => number.as_f64().and_then(|n| self.misfit_number(n)),
            _ => None,
        }
    }
}

/// A range as a reader says it: "900 to 43200", "at least 1", "at most 64".
fn between(least: Option<f64>, most: Option<f64>) -> String {
    match (least, most) {
        (Some(least), Some(most)) => format!("{} to {}", shown(least), shown(most)),
        (Some(least), None) => format!("at least {}", shown(least)),
        (None, Some(most)) => format!("at most {}", shown(most)),
        (None, None) => "anything".to_owned(),
    }
}

/// A bound as the document writes it: `900`, not `900.0`.
fn shown(bound: f64) -> String {
    if bound.fract() == 0.0 && bound.abs() < 1e15 {
        format!("{}", bound as i64)
    } else {
        bound.to_string()
    }
}

/// A value parser that reads a flag's value as `T` and refuses one out of the limits.
#[derive(Clone)]
struct Checked<T> {
    limits: &'static Limits,
    read: PhantomData<fn() -> T>,
}

impl<T> Checked<T> {
    fn new(limits: &'static Limits) -> Self {
        Checked {
            limits,
            read: PhantomData,
        }
    }
}

/// How a flag's text becomes its value, and what of the limits applies to it.
trait Read: Sized + Clone + Send + Sync + 'static {
    fn read(text: &str, limits: &Limits) -> Result<Self, String>;
}

impl Read for String {
    fn read(text: &str, limits: &Limits) -> Result<Self, String> {
        // A repeated flag also takes one JSON array: its items are checked with the whole
        // value (`crate::body::typed`), not as one text here.
        if text.trim_start().starts_with('[') {
            return Ok(text.to_owned());
        }
        if limits.minimum.is_some() || limits.maximum.is_some() {
            // The text of a number, as an array of integers takes it.
            if let Ok(number) = text.parse::<f64>() {
                if let Some(why) = limits.misfit_number(number) {
                    return Err(why);
                }
            }
        }
        match limits.misfit_text(text) {
            Some(why) => Err(why),
            None => Ok(text.to_owned()),
        }
    }
}

impl Read for idtok_secret::SecretString {
    fn read(text: &str, limits: &Limits) -> Result<Self, String> {
        String::read(text, limits).map(idtok_secret::SecretString::from)
    }
}

macro_rules! read_number {
    ($($type:ty => $what:literal),*) => {$(
        impl Read for $type {
            fn read(text: &str, limits: &Limits) -> Result<Self, String> {
                let number: $type = text.parse().map_err(|_| format!("is not {}", $what))?;
                match limits.misfit_number(number as f64) {
                    Some(why) => Err(why),
                    None => Ok(number),
                }
            }
        }
    )*};
}

read_number!(i32 => "a 32-bit integer", i64 => "an integer", f64 => "a number");

impl<T: Read> TypedValueParser for Checked<T> {
    type Value = T;

    fn parse_ref(
        &self,
        command: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let flag = arg
            .and_then(Arg::get_long)
            .map(|long| format!("--{long}"))
            .unwrap_or_else(|| "the value".to_owned());
        let Some(text) = value.to_str() else {
            return Err(clap::Error::raw(
                ErrorKind::InvalidUtf8,
                format!("the value of {flag} is not UTF-8\n"),
            )
            .with_cmd(command));
        };
        T::read(text, self.limits).map_err(|why| {
            let (value, not_shown) = if self.limits.secret {
                (String::new(), " (a secret, not shown)")
            } else {
                (format!(" '{text}'"), "")
            };
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("invalid value{value} for {flag}{not_shown}: it {why}; nothing was sent\n"),
            )
            .with_cmd(command)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        (!self.limits.values.is_empty())
            .then(|| Box::new(self.limits.values.iter().map(PossibleValue::new)) as _)
    }
}
