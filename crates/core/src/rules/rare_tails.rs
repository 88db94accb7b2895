//! Tuning the chunk search to one output: how common each anchor's 3-byte sequences are
//! in a sample of it, and each anchor's tail that starts rarest.

/// A literal's tail is at least this long (or the whole literal, when shorter).
pub(super) const TAIL_MIN: usize = 4;

/// How often each wanted 3-byte sequence occurs in a sample.
pub(super) struct Trigrams {
    /// Which 2-byte starts any wanted sequence has: most positions end here.
    starts: Vec<bool>,
    /// Wanted sequences (as `u32`), sorted, and their counts.
    keys: Vec<u32>,
    counts: Vec<u32>,
}

fn key(bytes: &[u8]) -> u32 {
    u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2])
}

impl Trigrams {
    pub(super) fn count(literals: &[String], sample: &[u8]) -> Trigrams {
        let mut keys: Vec<u32> = literals.iter().flat_map(|l| l.as_bytes().windows(3).map(key)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut starts = vec![false; 1 << 16];
        for k in &keys {
            starts[(k >> 8) as usize] = true;
        }
        let mut counts = vec![0u32; keys.len()];
        for window in sample.windows(3) {
            if starts[(usize::from(window[0]) << 8) | usize::from(window[1])] {
                if let Ok(i) = keys.binary_search(&key(window)) {
                    counts[i] += 1;
                }
            }
        }
        Trigrams { starts, keys, counts }
    }

    pub(super) fn of(&self, bytes: &[u8]) -> u32 {
        if !self.starts[(usize::from(bytes[0]) << 8) | usize::from(bytes[1])] {
            return 0;
        }
        self.keys.binary_search(&key(bytes)).map_or(0, |i| self.counts[i])
    }
}

/// The longest tail of `literal` (at least [`TAIL_MIN`] bytes) whose first three bytes
/// are rarest in the sample.
pub(super) fn rarest_tail<'a>(literal: &'a str, counts: &Trigrams) -> &'a str {
    let bytes = literal.as_bytes();
    if bytes.len() <= TAIL_MIN {
        return literal;
    }
    let start = (0..=bytes.len() - TAIL_MIN).filter(|&p| literal.is_char_boundary(p)).min_by_key(|&p| (counts.of(&bytes[p..]), p));
    &literal[start.unwrap_or(0)..]
}
