//! The lean view's number columns, read straight from their JSON text. A group's first load
//! decodes a dozen columns of 10,000 small numbers each; serde_json's per-element path (the
//! separator, the number, the visitor) was most of the load's decoding in the wasm, while these
//! arrays hold nothing but non-negative integers and `null`. The column is taken as its raw text
//! (serde_json's `RawValue`) and scanned once; the JSON is the documented one, unchanged, and
//! anything else in it (a sign, a fraction, a number too large for the column) is an error, as
//! serde_json's own decoding makes it.

use serde::de::Error;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A column's number type.
pub trait Unsigned: Copy {
    const MAX: u64;
    fn from_u64(value: u64) -> Self;
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Unsigned for $t {
            const MAX: u64 = <$t>::MAX as u64;
            fn from_u64(value: u64) -> Self {
                value as $t
            }
        }
    )*};
}
unsigned!(u8, u32, u64);

/// `#[serde(deserialize_with)]` for a column of numbers.
pub fn numbers<'de, D: Deserializer<'de>, T: Unsigned>(d: D) -> Result<Vec<T>, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let mut out = Vec::new();
    scan(raw.get(), T::MAX, |n| match n {
        Some(n) => {
            out.push(T::from_u64(n));
            Ok(())
        }
        None => Err("null where a number is required".to_string()),
    })
    .map_err(D::Error::custom)?;
    Ok(out)
}

/// `#[serde(deserialize_with)]` for a column of numbers or `null`.
pub fn optional_numbers<'de, D: Deserializer<'de>, T: Unsigned>(
    d: D,
) -> Result<Vec<Option<T>>, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let mut out = Vec::new();
    scan(raw.get(), T::MAX, |n| {
        out.push(n.map(T::from_u64));
        Ok(())
    })
    .map_err(D::Error::custom)?;
    Ok(out)
}

/// Reads `[n, null, …]`, giving each element to `each`; numbers above `max` are errors.
pub fn scan(
    text: &str,
    max: u64,
    mut each: impl FnMut(Option<u64>) -> Result<(), String>,
) -> Result<(), String> {
    let b = text.as_bytes();
    let ws = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
        }
        i
    };
    let mut i = ws(0);
    if b.get(i) != Some(&b'[') {
        return Err("expected an array of numbers".into());
    }
    i = ws(i + 1);
    if b.get(i) == Some(&b']') {
        return trailing(b, ws(i + 1));
    }
    loop {
        match b.get(i) {
            Some(b'n') if b[i..].starts_with(b"null") => {
                each(None)?;
                i += 4;
            }
            Some(d) if d.is_ascii_digit() => {
                let start = i;
                let mut n: u64 = 0;
                while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
                    n = n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(u64::from(d - b'0')))
                        .ok_or("number out of range")?;
                    i += 1;
                }
                if b[start] == b'0' && i - start > 1 {
                    return Err("invalid number: leading zero".into());
                }
                if matches!(b.get(i), Some(b'.' | b'e' | b'E')) {
                    return Err("expected an integer".into());
                }
                if n > max {
                    return Err(format!("number {n} out of range (at most {max})"));
                }
                each(Some(n))?;
            }
            _ => return Err("expected a non-negative integer or null".into()),
        }
        i = ws(i);
        match b.get(i) {
            Some(b',') => i = ws(i + 1),
            Some(b']') => return trailing(b, ws(i + 1)),
            _ => return Err("expected `,` or `]`".into()),
        }
    }
}

fn trailing(b: &[u8], i: usize) -> Result<(), String> {
    if i == b.len() {
        Ok(())
    } else {
        Err("trailing characters after the array".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, max: u64) -> Result<Vec<Option<u64>>, String> {
        let mut out = Vec::new();
        scan(text, max, |n| {
            out.push(n);
            Ok(())
        })
        .map(|()| out)
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            "[]",
            " [ ] ",
            "[0]",
            "[1,2,3]",
            "[ 1 ,\n\t2 , null ,18446744073709551615 ]",
        ] {
            let expected: Vec<Option<u64>> = serde_json::from_str(text).unwrap();
            assert_eq!(read(text, u64::MAX).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "",
            "[",
            "[1",
            "[1,]",
            "[,1]",
            "[-1]",
            "[1.0]",
            "[1e2]",
            "[01]",
            "[\"1\"]",
            "[nul]",
            "[1] x",
            "[1 2]",
            "{}",
            "[18446744073709551616]",
            "[true]",
        ] {
            assert!(read(text, u64::MAX).is_err(), "{text:?} was read");
            assert!(
                serde_json::from_str::<Vec<Option<u64>>>(text).is_err(),
                "{text:?}: serde_json reads it"
            );
        }
        assert!(read("[255, 256]", 255).unwrap_err().contains("256"));
    }

    #[derive(Debug, Deserialize)]
    struct Columns {
        #[serde(deserialize_with = "numbers")]
        small: Vec<u8>,
        #[serde(default, deserialize_with = "optional_numbers")]
        maybe: Vec<Option<u32>>,
    }

    #[test]
    fn columns_decode_through_serde_json_from_text_and_from_a_value() {
        let text = r#"{"small": [1, 255], "maybe": [null, 7]}"#;
        let c: Columns = serde_json::from_str(text).unwrap();
        assert_eq!((c.small, c.maybe), (vec![1, 255], vec![None, Some(7)]));
        let c: Columns = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(c.small, vec![1, 255]);
        let c: Columns = serde_json::from_str(r#"{"small": []}"#).unwrap();
        assert!(c.maybe.is_empty(), "a column left out is empty");
        let e = serde_json::from_str::<Columns>(r#"{"small": [256]}"#).unwrap_err();
        assert!(e.to_string().contains("out of range"), "{e}");
        let e = serde_json::from_str::<Columns>(r#"{"small": [null]}"#).unwrap_err();
        assert!(e.to_string().contains("null"), "{e}");
    }
}
