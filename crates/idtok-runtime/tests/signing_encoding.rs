//! Edge cases of the signing encodings: every character the two schemes treat specially, the
//! orderings, header canonicalisation, the date formats, and inputs that must not panic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idtok_runtime::signing::{
    acs3, acs3_date, hex_sha256, percent_encode_rfc3986, sdk_date, sdk_hmac, EMPTY_PAYLOAD_SHA256,
};

fn encode(input: &str) -> String {
    let mut encoded = String::new();
    percent_encode_rfc3986(input, &mut encoded);
    encoded
}

/// Both schemes must give the same canonical query; returns it.
fn canonical_query_of_both_schemes(query: &[(&str, &str)]) -> String {
    let acs3_query = acs3::canonical_query(query);
    assert_eq!(
        sdk_hmac::canonical_query(query),
        acs3_query,
        "query {query:?}"
    );
    acs3_query
}

fn at(unix_seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

#[test]
fn percent_encoding_keeps_only_unreserved_characters() {
    let cases = [
        ("", ""),
        ("AZaz09-_.~", "AZaz09-_.~"),
        ("a b", "a%20b"),
        ("+", "%2B"),
        ("/", "%2F"),
        ("*", "%2A"),
        ("=", "%3D"),
        ("&", "%26"),
        ("%", "%25"),
        ("é", "%C3%A9"),
        ("密钥", "%E5%AF%86%E9%92%A5"),
        ("😀", "%F0%9F%98%80"),
        ("\0\n\u{7f}", "%00%0A%7F"),
    ];
    for (input, expected) in cases {
        assert_eq!(encode(input), expected, "input {input:?}");
    }
}

#[test]
fn percent_encoding_appends_to_what_is_there() {
    let mut out = String::from("k=");
    percent_encode_rfc3986("a b", &mut out);
    assert_eq!(out, "k=a%20b");
}

#[test]
fn canonical_query_encodes_each_tricky_character_in_both_schemes() {
    let cases: [(&[(&str, &str)], &str); 13] = [
        (&[("q", "a b")], "q=a%20b"),
        (&[("q", "a+b")], "q=a%2Bb"),
        (&[("q", "/v1/x")], "q=%2Fv1%2Fx"),
        (&[("q", "~tilde~")], "q=~tilde~"),
        (&[("q", "*")], "q=%2A"),
        (&[("q", "a=b&c=d")], "q=a%3Db%26c%3Dd"),
        (&[("q", "é")], "q=%C3%A9"),
        (&[("名", "密钥")], "%E5%90%8D=%E5%AF%86%E9%92%A5"),
        (&[("q", "😀")], "q=%F0%9F%98%80"),
        (&[("a b+c", "x")], "a%20b%2Bc=x"),
        (&[("Empty", ""), ("A", "")], "A=&Empty="),
        (&[("", "")], "="),
        (&[], ""),
    ];
    for (query, expected) in cases {
        assert_eq!(canonical_query_of_both_schemes(query), expected);
    }
}

#[test]
fn canonical_query_sorts_by_raw_key_then_raw_value() {
    // Duplicate keys: values ordered too.
    assert_eq!(
        canonical_query_of_both_schemes(&[("b", "2"), ("a", "z"), ("b", "1"), ("a", "y")]),
        "a=y&a=z&b=1&b=2"
    );
    // Byte order, so upper case sorts before lower case.
    assert_eq!(
        canonical_query_of_both_schemes(&[("a", "1"), ("B", "2"), ("A", "3")]),
        "A=3&B=2&a=1"
    );
    // Raw bytes, not encoded ones: '~' (0x7E) sorts before 'é' (0xC3), although "%C3" would sort
    // before "~".
    assert_eq!(
        canonical_query_of_both_schemes(&[("xé", "1"), ("x~", "2")]),
        "x~=2&x%C3%A9=1"
    );
    assert_eq!(
        canonical_query_of_both_schemes(&[("k", "aé"), ("k", "a~"), ("k", "a b"), ("k", "a")]),
        "k=a&k=a%20b&k=a~&k=a%C3%A9"
    );
    // A key that is a prefix of another sorts first, whatever its value.
    assert_eq!(
        canonical_query_of_both_schemes(&[("ab", "1"), ("a", "9")]),
        "a=9&ab=1"
    );
}

#[test]
fn canonical_path_decodes_then_encodes_each_segment() {
    let cases = [
        ("/v1/a b/c+d/é", "/v1/a%20b/c%2Bd/%C3%A9"),
        ("/v1/a%20b", "/v1/a%20b"),
        ("/v1/a%2Fb/c", "/v1/a%2Fb/c"),
        ("/v1/a%2fb", "/v1/a%2Fb"),
        ("/v1/%C3%A9/%c3%a9", "/v1/%C3%A9/%C3%A9"),
        ("/v1/%7E%41", "/v1/~A"),
        ("/v1/~user/*", "/v1/~user/%2A"),
        ("/v1/a=b&c", "/v1/a%3Db%26c"),
        ("/v1/密钥/😀", "/v1/%E5%AF%86%E9%92%A5/%F0%9F%98%80"),
        // Invalid escapes are a literal '%', encoded as such.
        ("/v1/%zz", "/v1/%25zz"),
        ("/v1/100%", "/v1/100%25"),
        ("/v1/%4", "/v1/%254"),
        ("/v1/%%41", "/v1/%25A"),
        // Decoded bytes need not be UTF-8.
        ("/v1/%FF", "/v1/%FF"),
        ("", ""),
        ("/", "/"),
        ("//", "//"),
        ("/v1/x/", "/v1/x/"),
        ("relative", "relative"),
    ];
    for (path, expected) in cases {
        assert_eq!(sdk_hmac::canonical_path(path), expected, "path {path:?}");
    }
}

fn sdk_request<'a>(
    path: &'a str,
    headers: &'a [(&'a str, &'a str)],
) -> sdk_hmac::SdkHmacRequest<'a> {
    sdk_hmac::SdkHmacRequest {
        method: "GET",
        path,
        query: &[],
        headers,
        hashed_payload: EMPTY_PAYLOAD_SHA256,
        sdk_date: "20191115T033655Z",
    }
}

#[test]
fn sdk_hmac_canonical_uri_ends_in_exactly_one_added_slash() {
    let headers = [("host", "example.com"), ("x-sdk-date", "20191115T033655Z")];
    let cases = [
        ("/v1/x", "/v1/x/"),
        ("/v1/x/", "/v1/x/"),
        ("", "/"),
        ("/", "/"),
        ("/v1/a b/c+d/é", "/v1/a%20b/c%2Bd/%C3%A9/"),
        ("/v1/a%2Fb", "/v1/a%2Fb/"),
    ];
    for (path, expected) in cases {
        let request = sdk_request(path, &headers);
        assert_eq!(
            sdk_hmac::sign("ak", "sk", &request).canonical_uri,
            expected,
            "path {path:?}"
        );
        let canonical_request = sdk_hmac::canonical_request(&request);
        assert_eq!(
            canonical_request.lines().nth(1),
            Some(expected),
            "path {path:?}"
        );
    }
}

#[test]
fn headers_are_lower_cased_trimmed_and_sorted_in_both_schemes() {
    let headers = [
        ("X-Sdk-Date", " 20191115T033655Z "),
        ("Host", "\texample.com  "),
        ("Content-Type", "application/json"),
        ("X-Custom", "inner  spaces kept"),
    ];
    let expected_block = "content-type:application/json\n\
                          host:example.com\n\
                          x-custom:inner  spaces kept\n\
                          x-sdk-date:20191115T033655Z\n";
    let expected_signed = "content-type;host;x-custom;x-sdk-date";

    let sdk_signature = sdk_hmac::sign("ak", "sk", &sdk_request("/v1/x", &headers));
    assert_eq!(sdk_signature.signed_headers, expected_signed);
    assert_eq!(
        sdk_hmac::canonical_request(&sdk_request("/v1/x", &headers)),
        format!("GET\n/v1/x/\n\n{expected_block}\n{expected_signed}\n{EMPTY_PAYLOAD_SHA256}")
    );

    let acs3_request = acs3::Acs3Request {
        method: "POST",
        canonical_uri: "/",
        query: &[("Action", "x")],
        headers: &headers,
        hashed_payload: EMPTY_PAYLOAD_SHA256,
    };
    assert_eq!(
        acs3::sign("id", "secret", &acs3_request).signed_headers,
        expected_signed
    );
    assert_eq!(
        acs3::canonical_request(&acs3_request),
        format!("POST\n/\nAction=x\n{expected_block}\n{expected_signed}\n{EMPTY_PAYLOAD_SHA256}")
    );
}

#[test]
fn a_repeated_header_is_signed_once_with_its_values_joined_in_order() {
    let headers = [
        ("x-acs-b", "second"),
        ("X-Acs-A", " one "),
        ("host", "example.com"),
        ("x-acs-a", "two"),
    ];
    let request = acs3::Acs3Request {
        method: "POST",
        canonical_uri: "/",
        query: &[],
        headers: &headers,
        hashed_payload: EMPTY_PAYLOAD_SHA256,
    };
    assert_eq!(
        acs3::canonical_request(&request),
        format!(
            "POST\n/\n\nhost:example.com\nx-acs-a:one,two\nx-acs-b:second\n\n\
             host;x-acs-a;x-acs-b\n{EMPTY_PAYLOAD_SHA256}"
        )
    );
}

#[test]
fn dates_format_fixed_instants_in_utc() {
    let cases = [
        (0, "1970-01-01T00:00:00Z", "19700101T000000Z"),
        (1_698_315_752, "2023-10-26T10:22:32Z", "20231026T102232Z"),
        (1_709_251_199, "2024-02-29T23:59:59Z", "20240229T235959Z"),
        (1_709_251_200, "2024-03-01T00:00:00Z", "20240301T000000Z"),
        (951_825_600, "2000-02-29T12:00:00Z", "20000229T120000Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z", "21000301T000000Z"),
        (946_684_799, "1999-12-31T23:59:59Z", "19991231T235959Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z", "99991231T235959Z"),
    ];
    for (unix_seconds, expected_acs3, expected_sdk) in cases {
        assert_eq!(acs3_date(at(unix_seconds)), expected_acs3);
        assert_eq!(sdk_date(at(unix_seconds)), expected_sdk);
    }
    // Sub-second parts are dropped, not rounded.
    let almost_two = UNIX_EPOCH + Duration::from_millis(1_999);
    assert_eq!(acs3_date(almost_two), "1970-01-01T00:00:01Z");
}

#[test]
fn dates_before_the_epoch_clamp_to_it_and_far_dates_do_not_panic() {
    if let Some(before) = UNIX_EPOCH.checked_sub(Duration::from_secs(86_400 * 365)) {
        assert_eq!(acs3_date(before), "1970-01-01T00:00:00Z");
        assert_eq!(sdk_date(before), "19700101T000000Z");
    }
    if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(1 << 40)) {
        assert!(acs3_date(far).ends_with('Z'));
        assert!(sdk_date(far).ends_with('Z'));
    }
}

#[test]
fn consecutive_days_from_1970_to_2101_follow_the_gregorian_calendar() {
    fn days_in_month(year: u32, month: u32) -> u32 {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
    let (mut year, mut month, mut day) = (1970, 1, 1);
    for days in 0..(131 * 366) {
        let expected = format!("{year:04}{month:02}{day:02}T120000Z");
        assert_eq!(sdk_date(at(days * 86_400 + 43_200)), expected);
        day += 1;
        if day > days_in_month(year, month) {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
    assert!(year >= 2101);
}

/// Decodes a strict RFC 3986 encoding, or says why it is not one: only unreserved characters and
/// upper-case %XX of a reserved byte may appear.
fn decode_strict(encoded: &str) -> Result<Vec<u8>, String> {
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if is_unreserved(byte) {
            decoded.push(byte);
            index += 1;
        } else if byte == b'%' {
            let escape = bytes.get(index + 1..index + 3).ok_or("truncated escape")?;
            if !escape
                .iter()
                .all(|d| d.is_ascii_digit() || (b'A'..=b'F').contains(d))
            {
                return Err(format!("escape {escape:?} is not upper-case hex"));
            }
            let hex = std::str::from_utf8(escape).map_err(|e| e.to_string())?;
            let escaped = u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            if is_unreserved(escaped) {
                return Err(format!("unreserved {:?} is escaped", char::from(escaped)));
            }
            decoded.push(escaped);
            index += 3;
        } else {
            return Err(format!(
                "byte {byte:#04x} is neither unreserved nor an escape"
            ));
        }
    }
    Ok(decoded)
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte)
}

/// A deterministic string generator (xorshift64) over the characters that matter.
struct Generator(u64);

impl Generator {
    const ALPHABET: &'static [char] = &[
        'a',
        'Z',
        '0',
        '9',
        '-',
        '_',
        '.',
        '~',
        ' ',
        '+',
        '/',
        '*',
        '=',
        '&',
        '%',
        '?',
        '#',
        '!',
        '\'',
        '(',
        ')',
        ',',
        ';',
        ':',
        '@',
        '$',
        '[',
        ']',
        '"',
        '\\',
        '\0',
        '\n',
        '\t',
        '\u{7f}',
        '\u{80}',
        'é',
        '密',
        '钥',
        '😀',
        '\u{FFFF}',
        '\u{10FFFF}',
    ];

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn string(&mut self) -> String {
        let len = self.next() % 17;
        (0..len)
            .map(|_| Self::ALPHABET[(self.next() % Self::ALPHABET.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn generated_strings_encode_to_unreserved_and_escapes_and_decode_back() {
    let mut generator = Generator(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3_000 {
        let input = generator.string();
        let encoded = encode(&input);
        match decode_strict(&encoded) {
            Ok(decoded) => assert_eq!(decoded, input.as_bytes(), "input {input:?}"),
            Err(reason) => panic!("{input:?} encoded as {encoded:?}: {reason}"),
        }
        // An encoded string is already canonical, as a path segment too.
        assert_eq!(sdk_hmac::canonical_path(&encoded), encoded);
        // Any raw path canonicalises without panicking, to something that stays put.
        let path = sdk_hmac::canonical_path(&input);
        assert_eq!(sdk_hmac::canonical_path(&path), path, "input {input:?}");
    }
}

#[test]
fn signing_odd_inputs_does_not_panic() {
    let odd = ["", "%", "%%", "%zz", "%F", "/", "//%2", "é", "😀", " \t "];
    for text in odd {
        let pairs = [(text, text), (text, "")];
        let headers = [(text, text)];
        let acs3_signature = acs3::sign(
            text,
            text,
            &acs3::Acs3Request {
                method: text,
                canonical_uri: text,
                query: &pairs,
                headers: &headers,
                hashed_payload: text,
            },
        );
        assert_eq!(acs3_signature.signature.len(), 64);
        let sdk_signature = sdk_hmac::sign(
            text,
            text,
            &sdk_hmac::SdkHmacRequest {
                method: text,
                path: text,
                query: &pairs,
                headers: &headers,
                hashed_payload: text,
                sdk_date: text,
            },
        );
        assert!(sdk_signature.canonical_uri.ends_with('/'));
        assert_eq!(sdk_signature.signature.len(), 64);
    }
}

#[test]
fn signatures_and_their_debug_output_never_hold_the_secret() {
    const SECRET: &str = "VerySecretKeyThatMustNotLeak";
    let headers = [("host", "example.com"), ("x-sdk-date", "20191115T033655Z")];
    let sdk_signature = sdk_hmac::sign("ak", SECRET, &sdk_request("/v1/x", &headers));
    let acs3_signature = acs3::sign(
        "id",
        SECRET,
        &acs3::Acs3Request {
            method: "POST",
            canonical_uri: "/",
            query: &[],
            headers: &headers,
            hashed_payload: EMPTY_PAYLOAD_SHA256,
        },
    );
    let printed = format!("{sdk_signature:?} {acs3_signature:?}");
    assert!(!printed.contains(SECRET));
    // A different secret gives a different signature: the key is really used.
    let other = sdk_hmac::sign("ak", "another", &sdk_request("/v1/x", &headers));
    assert_ne!(other.signature, sdk_signature.signature);
}

#[test]
fn hex_sha256_is_lower_case_and_the_empty_payload_constant_matches() {
    assert_eq!(hex_sha256(b""), EMPTY_PAYLOAD_SHA256);
    assert_eq!(
        hex_sha256(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
