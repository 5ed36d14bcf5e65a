//! `idtok whoami`'s masking of ids.

use idtok::whoami::mask;

#[test]
fn masks_all_but_the_ends_of_an_id() {
    assert_eq!(mask("LTAI5tExampleKeyId12"), "LTAI*************d12");
    assert_eq!(mask("HPUAEXAMPLE"), "HPUA****PLE");
    assert_eq!(mask("short"), "*****");
    assert_eq!(mask(""), "");
}
