//! The answer as printed: layout, --query, times.

use idtok::output::*;

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

fn keys(value: &Ordered) -> Vec<&str> {
    value
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect()
}

#[test]
fn a_query_keeps_the_order_objects_were_received_in() {
    let answer = ordered(br#"{"z":1,"items":[{"zeta":1,"alpha":2,"mid":3}],"a":2}"#).unwrap();
    let whole = search("@", &answer).unwrap();
    assert_eq!(keys(&whole), ["z", "items", "a"]);
    let item = search("items[0]", &answer).unwrap();
    assert_eq!(keys(&item), ["zeta", "alpha", "mid"]);
    // Some of an object's keys: in the order they were received.
    let some = search("items[0].{mid: mid, zeta: zeta}", &answer).unwrap();
    assert_eq!(keys(&some), ["mid", "zeta"], "the expression's order");
    let renamed = search("items[0].{b: alpha, a: zeta}", &answer).unwrap();
    assert_eq!(keys(&renamed), ["b", "a"]);
}

#[test]
fn times_read_as_rfc3339() {
    let ms = Ordered::from(1_649_830_225_000u64);
    assert_eq!(
        rfc3339(&ms, UnixTime::Milliseconds).unwrap(),
        "2022-04-13T06:10:25Z"
    );
    let ms = Ordered::from(1_649_830_225_123u64);
    assert_eq!(
        rfc3339(&ms, UnixTime::Milliseconds).unwrap(),
        "2022-04-13T06:10:25.123Z"
    );
    let s = Ordered::from(1_649_830_225u64);
    assert_eq!(
        rfc3339(&s, UnixTime::Seconds).unwrap(),
        "2022-04-13T06:10:25Z"
    );
    assert_eq!(rfc3339(&Ordered::from("x"), UnixTime::Seconds), None);
    assert_eq!(rfc3339(&Ordered::from(-1), UnixTime::Seconds), None);
}
