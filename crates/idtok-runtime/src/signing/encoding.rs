//! The byte-level pieces both signing schemes share: RFC 3986 percent-encoding, lower-case hex
//! and SHA-256.

use sha2::{Digest, Sha256};

/// hex(sha256("")), lower-case.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `input` percent-encoded per RFC 3986: A-Z a-z 0-9 - _ . ~ kept, every other byte of the
/// UTF-8 as upper-case %XX (space -> %20, '+' -> %2B, '/' -> %2F, '*' -> %2A, '=' -> %3D,
/// '&' -> %26, 'é' -> %C3%A9).
pub fn percent_encode_rfc3986(input: &str, out: &mut String) {
    percent_encode_bytes(input.as_bytes(), out);
}

/// [`percent_encode_rfc3986`] over raw bytes: a percent-decoded path segment need not be UTF-8
/// (`%FF`), and it must still encode back to what was sent.
pub(crate) fn percent_encode_bytes(input: &[u8], out: &mut String) {
    out.reserve(input.len());
    // Copy runs of unreserved bytes in one go: most keys and values have nothing to escape.
    let mut run_start = 0;
    for (index, &byte) in input.iter().enumerate() {
        if is_unreserved(byte) {
            continue;
        }
        push_ascii(&input[run_start..index], out);
        out.push('%');
        out.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
        out.push(char::from(UPPER_HEX[usize::from(byte & 0x0f)]));
        run_start = index + 1;
    }
    push_ascii(&input[run_start..], out);
}

/// Decodes every well-formed `%XX` (either case) in `input`; a '%' not followed by two hex digits
/// is kept as it is, so no input is an error.
pub(crate) fn percent_decode_lenient(input: &str) -> Vec<u8> {
    let bytes = input.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match (bytes[index], bytes.get(index + 1), bytes.get(index + 2)) {
            (b'%', Some(&high), Some(&low)) => hex_value(high).zip(hex_value(low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                decoded.push(high << 4 | low);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    decoded
}

/// Lower-case hex SHA-256.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    push_lower_hex(&Sha256::digest(bytes), &mut hex);
    hex
}

/// Appends `bytes` as lower-case hex.
pub(crate) fn push_lower_hex(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(LOWER_HEX[usize::from(byte >> 4)]));
        out.push(char::from(LOWER_HEX[usize::from(byte & 0x0f)]));
    }
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Appends a run of unreserved bytes, which are ASCII by construction.
fn push_ascii(run: &[u8], out: &mut String) {
    out.extend(run.iter().map(|&byte| char::from(byte)));
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}
