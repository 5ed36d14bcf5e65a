//! The vendor extensions of the documents that code reads: each name once, with what it says. The
//! lint (`lint/`) checks them and the generator (`gen/`) reads them; nothing else spells them.
//! (`x-modelling-note` is for people and only linted.)

/// Operation-level extension of an RPC family: what is really sent (`action`, `version`,
/// `method`, `path`); the operation itself sits on a pseudo-path `/{Action}` because OpenAPI
/// cannot put several operations on one path.
pub const RPC: &str = "x-acs-rpc";

/// Operation-level extension, on every operation whose success answer holds a secret
/// (`format: password`): `true` when the operation creates or obtains that secret and hands it to
/// the caller (Create*, Obtain*, Generate*, AssumeRole*: the answer may be the only place it ever
/// appears), `false` when it lists or reads items that merely carry one. idtok masks secrets in
/// its tables only in the answers of the second kind.
pub const ISSUES_SECRET: &str = "x-issues-secret";

/// Schema-level extension of an integer or number that is a point in time: `milliseconds` or
/// `seconds` since the UNIX epoch, or `unknown` where the vendor leaves the unit open. idtok's
/// tables show the first two as RFC 3339.
pub const UNIX_TIME: &str = "x-unix-time";

pub const UNIX_TIME_UNITS: [&str; 3] = ["milliseconds", "seconds", "unknown"];

/// Parameter-level extension: the parameter is the operation's idempotency token (smithy's
/// `@idempotencyToken`): a value unique to one logical request, sent again unchanged on a retry.
/// idtok fills in a fresh one when the user gives none.
pub const IDEMPOTENCY_TOKEN: &str = "x-idempotency-token";

/// Operation-level extension, on every operation: whether sending it twice is as good as once
/// (smithy's `@idempotent`, which `@readonly` implies). The clients retry only these.
pub const IDEMPOTENT: &str = "x-idempotent";

/// Operation-level extension: the operation pages, as smithy's `@paginated` says it. By token:
/// the query parameter that asks for a page (`inputToken`) and the answer's field that names the
/// next one (`outputToken`, a dotted path where it sits in a nested object, as smithy writes it:
/// `page_info.next_marker`); or by number: the query parameter that numbers pages from 1
/// (`pageNumber`) and, optionally, the answer's total count (`totalCount`, a dotted path too).
/// Either way the answer's top-level array of items (`items`) and optionally the query parameter of the page size
/// (`pageSize`).
pub const PAGINATED: &str = "x-paginated";

pub const PAGINATED_KEYS: [&str; 6] = [
    "inputToken",
    "outputToken",
    "pageNumber",
    "totalCount",
    "items",
    "pageSize",
];

/// Document-level extension: every request carries `x-acs-action` and `x-acs-version`.
pub const ACTION_HEADERS: &str = "x-acs-action-headers";

/// Operation-level extension of an RPC family: `query` when the operation carries the RPC
/// common parameters (`Action`, `Format`, `Version`, `Timestamp`, `SignatureNonce`) in its query
/// string, as the official SDK's `do_rpcrequest` sends an anonymous operation (STS's
/// AssumeRoleWithOIDC and AssumeRoleWithSAML). Only on an operation sent without a signature
/// (`security: []`): the clients sign every other RPC operation with ACS3-HMAC-SHA256, as the
/// SDK's default `do_request` does, and that form has no common parameters. The operation cannot
/// have a parameter of one of their names, which the client sets.
pub const RPC_COMMON_PARAMETERS: &str = "x-acs-rpc-common-parameters";

/// How the document models something, kept out of the descriptions that callers read.
pub const MODELLING_NOTE: &str = "x-modelling-note";

/// Parameter-level extension: why a secret travels in the URL (the service takes it nowhere
/// else). Without it the lint refuses a secret in a path or query; with it, idtok's logs and
/// dry runs still redact the value.
pub const SECRET_IN_URL: &str = "x-secret-in-url";

/// Parameter-level extension of an RPC query parameter that is an array (`repeatList`:
/// `Name.1=a&Name.2=b`) or an object (`flat`: `Name.Key=v`), as the vendor's API metadata names
/// the styles.
pub const QUERY_STYLE: &str = "x-acs-style";
