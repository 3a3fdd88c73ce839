//! Where in a JSON text a parse error happened, as a field path
//! (`people.<id>.hire_date`, `stages[2].name`).
//!
//! The reader parses a file's data straight into the typed document with
//! `serde_json`; only when that fails does it need the path of the bad
//! field, and it gets it from the error's line and column by reading the
//! text up to that point. Wrapping the deserialiser to track the path on
//! every parse (what `serde_path_to_error` does) costs a second copy of the
//! whole document's deserialiser in the wasm (an eighth of it) and slows
//! every good file down to tell something only a bad one needs.
//!
//! The path follows `serde_path_to_error`'s notation (the tests compare the
//! two): object keys joined by `.`, array positions as `[i]`, `.` for the
//! top level.

/// The field path at `line` / `column` of `text`, as `serde_json` reports
/// an error's position: lines from 1, the column counting the bytes read
/// on that line.
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
    render(&frames_before(text.as_bytes(), (start + column).min(text.len())))
}

enum Frame {
    /// An object: the key being read or last read (None right after `{`
    /// or a `,`), and whether its `:` has been passed.
    Object { key: Option<String>, value: bool },
    /// An array: the position of the value being read or last read.
    Array { index: usize },
}

/// The containers open at byte `end`, each with where in it `end` is.
fn frames_before(bytes: &[u8], end: usize) -> Vec<Frame> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, value: false }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { value, .. }) = stack.last_mut() {
                    *value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, value }) => {
                    *key = None;
                    *value = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let close = string_end(bytes, i);
                if close >= end {
                    // The error is inside this string: a key being read
                    // belongs to no field yet, a value to its key.
                    break;
                }
                if let Some(Frame::Object { key, value: false }) = stack.last_mut() {
                    *key = Some(serde_json::from_slice::<String>(&bytes[i..=close]).unwrap_or_else(|_| "?".to_string()));
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

/// The index of the quote closing the string that opens at `open` (the
/// text's length when it is not closed).
pub(crate) fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn render(frames: &[Frame]) -> String {
    let mut out = String::new();
    for f in frames {
        match f {
            // A key whose `:` is not passed yet is not a field yet (an
            // unknown field or enum variant is its object's error).
            Frame::Object { key: Some(k), value: true } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Doc {
        people: BTreeMap<String, Person>,
        stages: Vec<Stage>,
    }
    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Person {
        name: String,
        age: u32,
    }
    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Stage {
        name: String,
        weight: u8,
    }

    fn path_of(text: &str) -> String {
        let e = serde_json::from_str::<Doc>(text).err().expect("the text is bad");
        path_at(text, e.line(), e.column())
    }

    #[test]
    fn a_bad_value_is_placed_at_its_key_in_maps_and_arrays() {
        assert_eq!(path_of(r#"{"people":{"a":{"name":"A","age":"x"}},"stages":[]}"#), "people.a.age");
        assert_eq!(
            path_of("{\n  \"people\": {},\n  \"stages\": [\n    {\"name\": \"s\", \"weight\": 1},\n    {\"name\": \"t\", \"weight\": 900}\n  ]\n}"),
            "stages[1].weight"
        );
        // A missing field: the object that lacks it.
        assert_eq!(path_of(r#"{"people":{"b":{"name":"B"}},"stages":[]}"#), "people.b");
        // Keys with escapes and non-ASCII are read as JSON strings.
        assert_eq!(path_of(r#"{"people":{"\"q\" 张":{"name":"A","age":-1}},"stages":[]}"#), "people.\"q\" 张.age");
        // Nothing read yet: the top level.
        assert_eq!(path_of(r#"[]"#), ".");
    }
}
