//! The nearest names offered for a misspelt one.

use idtok::suggest::nearest;

#[test]
fn the_nearest_names_come_first_and_far_ones_not_at_all() {
    let names = [
        "list-applications",
        "list-application-tokens",
        "list-instances",
        "get-application",
        "create-application-token",
    ];
    assert_eq!(
        nearest("list-aplication-tokens", names.into_iter()),
        [
            "list-application-tokens",
            "create-application-token",
            "list-applications"
        ]
    );
    assert_eq!(
        nearest("lsit-instances", names.into_iter()),
        ["list-instances"]
    );
    assert!(nearest("zzz", names.into_iter()).is_empty());
}
