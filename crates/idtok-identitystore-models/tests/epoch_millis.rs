//! Huawei's millisecond timestamps: read as sent, written back the same way.

use idtok_identitystore_models::EpochMillis;

#[test]
fn integer_and_float_forms_are_both_read_and_written_back_as_read() {
    for text in ["1754277891140", "1754277891140.0"] {
        let value: EpochMillis = serde_json::from_str(text).unwrap();
        assert_eq!(value.as_millis(), Some(1754277891140), "{text}");
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }
}

#[test]
fn fractional_and_huge_values_are_kept_but_not_whole_millis() {
    let fractional: EpochMillis = serde_json::from_str("1.5").unwrap();
    assert_eq!(fractional.as_millis(), None);
    assert_eq!(fractional.as_f64(), Some(1.5));
    let huge: EpochMillis = serde_json::from_str("1e300").unwrap();
    assert_eq!(huge.as_millis(), None);
    assert!(serde_json::from_str::<EpochMillis>("\"1754277891140\"").is_err());
}
