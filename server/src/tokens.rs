//! Bearer tokens: `pw_<user id>_<32 hex digits>` from the operating system's random source.
//! Nothing about a token can be derived from the source code or the user.

/// `bytes` random bytes as hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    hex::encode(buf)
}

/// A new token for a user.
pub fn new_token(user_id: u64) -> String {
    format!("pw_{user_id}_{}", random_hex(16))
}
