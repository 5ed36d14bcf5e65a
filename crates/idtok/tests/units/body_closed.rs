//! A JSON body checked against the fields the document gives it.

use idtok::body::closed::*;
use serde_json::json;

const INNER: Shape = Shape::Object {
    open: false,
    fields: &[("apiKey", &Shape::Any)],
};
const BODY: Shape = Shape::Object {
    open: false,
    fields: &[
        ("expiration", &Shape::Any),
        ("subject", &Shape::Any),
        ("inner", &INNER),
        ("list", &Shape::Array(&INNER)),
        (
            "claims",
            &Shape::Object {
                open: true,
                fields: &[],
            },
        ),
    ],
};

fn check(value: serde_json::Value) -> Option<String> {
    first_misfit(&BODY, &value)
}

#[test]
fn unknown_keys_are_found_at_any_depth_with_the_nearest_name() {
    assert_eq!(check(json!({"subject": "a", "expiration": 1})), None);
    assert_eq!(
        check(json!({"subject": "a", "expiraton": 900})).unwrap(),
        "has no field `expiraton` (the nearest is `expiration`); nothing was sent"
    );
    assert_eq!(
        check(json!({"inner": {"apikey": "x"}})).unwrap(),
        "has no field `apikey` at `inner` (the nearest is `apiKey`); nothing was sent"
    );
    assert_eq!(
        check(json!({"list": [{"apiKey": "x"}, {"api_key": "y"}]})).unwrap(),
        "has no field `api_key` at `list[1]` (the nearest is `apiKey`); nothing was sent"
    );
}

const TYPES: idtok::values::Limits = idtok::values::Limits {
    values: &["api_key", "oauth_client"],
    ..idtok::values::Limits::NONE
};
const FILTERS: Shape = Shape::Object {
    open: false,
    fields: &[("types", &Shape::Array(&Shape::Limited(&TYPES)))],
};

#[test]
fn values_out_of_their_limits_are_found_at_any_depth_with_what_is_allowed() {
    assert_eq!(first_misfit(&FILTERS, &json!({"types": ["api_key"]})), None);
    assert_eq!(
        first_misfit(&FILTERS, &json!({"types": ["api_key", "apikey"]})).unwrap(),
        "has `types[1]` \"apikey\", which is not one of api_key, oauth_client; nothing was sent"
    );
}

#[test]
fn open_objects_take_any_key() {
    assert_eq!(check(json!({"claims": {"anything": {"at": "all"}}})), None);
}

#[test]
fn distances() {
    assert_eq!(distance("expiraton", "expiration"), 1);
    assert_eq!(distance("", "abc"), 3);
    assert_eq!(distance("kitten", "sitting"), 3);
}
