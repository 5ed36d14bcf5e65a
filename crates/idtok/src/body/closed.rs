//! Request values are closed: every key of a JSON object given on the command line must be one
//! the document names, at any depth, unless the document leaves that object open
//! (`additionalProperties`, such as the developer API's `customClaims`), and every value the
//! document limits (`enum`, lengths, ranges) must be within its limits. The generator writes what
//! the document says as a [`Shape`] per body and per structured parameter.

/// What the document says of a request value's keys.
#[derive(Debug)]
pub enum Shape {
    /// A string, number or boolean, or an object the document says nothing of: any value.
    Any,
    /// An object: the keys the document names and what each holds; open: other keys too.
    Object {
        open: bool,
        fields: &'static [(&'static str, &'static Shape)],
    },
    /// An array, and what each item is.
    Array(&'static Shape),
    /// A string or number the document limits.
    Limited(&'static crate::values::Limits),
}

/// The first key of `value` that its shape does not name, or the first value out of its limits,
/// as a sentence: where it is, and the nearest name the shape has there, or what is allowed.
pub fn first_misfit(shape: &Shape, value: &serde_json::Value) -> Option<String> {
    walk(shape, value, &mut Vec::new())
}

fn walk(shape: &Shape, value: &serde_json::Value, path: &mut Vec<String>) -> Option<String> {
    use serde_json::Value;
    match (shape, value) {
        (Shape::Object { open, fields }, Value::Object(object)) => {
            for (key, field) in object {
                match fields.iter().find(|(name, _)| name == key) {
                    Some((_, field_shape)) => {
                        path.push(key.clone());
                        let found = walk(field_shape, field, path);
                        path.pop();
                        if found.is_some() {
                            return found;
                        }
                    }
                    None if *open => {}
                    None => return Some(unknown(key, fields, path)),
                }
            }
            None
        }
        (Shape::Array(item_shape), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                let found = walk(item_shape, item, path);
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Shape::Limited(limits), value) => limits.misfit(value).map(|why| {
            let place = place(path);
            let place = if place.is_empty() {
                String::new()
            } else {
                format!(" `{place}`")
            };
            // A secret is never repeated, not even when it is wrong.
            let shown = if limits.secret {
                "a secret value".to_owned()
            } else {
                value.to_string()
            };
            format!("has{place} {shown}, which {why}; nothing was sent")
        }),
        // A value of another type: deserializing it says what is wrong.
        _ => None,
    }
}

/// "has no field `expiraton` (the nearest is `expiration`)", with where, when not at the top.
fn unknown(key: &str, fields: &[(&str, &Shape)], path: &[String]) -> String {
    let place = match place(path) {
        place if place.is_empty() => place,
        place => format!(" at `{place}`"),
    };
    let nearest = fields
        .iter()
        .map(|(name, _)| *name)
        .min_by_key(|name| (distance(&key.to_lowercase(), &name.to_lowercase()), *name));
    match nearest {
        Some(name) => {
            format!("has no field `{key}`{place} (the nearest is `{name}`); nothing was sent")
        }
        None => format!("has no field `{key}`{place}: it takes none; nothing was sent"),
    }
}

/// A path as a reader writes it: `config.issuers[1]`.
fn place(path: &[String]) -> String {
    let mut place = String::new();
    for step in path {
        if !step.starts_with('[') && !place.is_empty() {
            place.push('.');
        }
        place.push_str(step);
    }
    place
}

/// Levenshtein distance, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
