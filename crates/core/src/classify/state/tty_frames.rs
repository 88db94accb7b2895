//! BuildKit's terminal progress draws every step again on each frame, ten times a
//! second, with only its timer changed (`=> [stage-1 3/24] RUN pip install …  4.2s`): a
//! step drawn again is no new step. Lines so repeated are recognised by a fingerprint of
//! their text without the timer, and examined once.

/// How many progress lines are remembered, by their fingerprint's low bits: many more
/// than a frame ever shows, so lines of one frame rarely displace each other (when they
/// do, a line is only examined once more).
const SLOTS: usize = 1024;

/// The fingerprints of the progress lines drawn lately.
#[derive(Debug, Clone)]
pub(super) struct Frames {
    seen: Vec<u64>,
}

impl Default for Frames {
    fn default() -> Self {
        Frames { seen: vec![0; SLOTS] }
    }
}

impl Frames {
    /// Whether `lower`, a line as the terminal showed it (lowercased), is a BuildKit
    /// progress line drawn before (recorded otherwise).
    pub(super) fn drawn_again(&mut self, lower: &[u8]) -> bool {
        let trimmed = lower.trim_ascii();
        if !trimmed.starts_with(b"=> ") {
            return false;
        }
        let print = fingerprint(without_timer(trimmed));
        // The low bits are the slot; the whole fingerprint is what is compared.
        #[allow(clippy::cast_possible_truncation)]
        let slot = &mut self.seen[print as usize % SLOTS];
        if *slot == print {
            return true;
        }
        *slot = print;
        false
    }
}

/// `line` without a trailing timer (`4.2s`, `12s`, `0.0s done`'s timer stays).
fn without_timer(line: &[u8]) -> &[u8] {
    let Some(body) = line.strip_suffix(b"s") else { return line };
    let digits = body.iter().rev().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
    let rest = &body[..body.len() - digits];
    if digits == 0 || !rest.last().is_some_and(u8::is_ascii_whitespace) {
        return line;
    }
    rest.trim_ascii_end()
}

/// A word-at-a-time hash (`FxHash`'s mixing, in two lanes that run side by side): cheap
/// on short lines, and never 0 for a non-empty one in practice (0 marks an empty slot; a
/// collision with it would only examine a line once more).
fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
    let mut pairs = bytes.chunks_exact(16);
    let (mut a, mut b) = (bytes.len() as u64, K);
    for pair in pairs.by_ref() {
        a = mix(a, word(&pair[..8]));
        b = mix(b, word(&pair[8..]));
    }
    let mut tail = [0u8; 16];
    tail[..pairs.remainder().len()].copy_from_slice(pairs.remainder());
    a = mix(a, word(&tail[..8]));
    b = mix(b, word(&tail[8..]));
    mix(a, b)
}

#[cfg(test)]
mod tests {
    use super::Frames;

    #[test]
    fn a_step_drawn_again_with_another_timer_is_a_repeat() {
        let mut frames = Frames::default();
        assert!(!frames.drawn_again(b" => [stage-1 3/24] run pip install -r requirements.txt     0.2s"));
        assert!(frames.drawn_again(b" => [stage-1 3/24] run pip install -r requirements.txt     1.2s"));
        assert!(frames.drawn_again(b"=> [stage-1 3/24] run pip install -r requirements.txt  12s"));
        // Another step, a failure drawn on the same step, other output: new.
        assert!(!frames.drawn_again(b" => [stage-1 4/24] run pip install -r requirements.txt     1.2s"));
        assert!(!frames.drawn_again(b" => error [stage-1 3/24] run pip install -r requirements.txt     1.3s"));
        assert!(!frames.drawn_again(b"#5 [stage-1 3/24] run pip install -r requirements.txt"));
        assert!(!frames.drawn_again(b"#5 [stage-1 3/24] run pip install -r requirements.txt"));
    }

    #[test]
    fn a_log_line_drawn_again_is_a_repeat_and_a_timer_needs_its_space() {
        let mut frames = Frames::default();
        assert!(!frames.drawn_again(b"=> => # downloading 12s"));
        assert!(frames.drawn_again(b"=> => # downloading 13s"));
        assert!(!frames.drawn_again(b"=> => # took:12s"));
        assert!(!frames.drawn_again(b"=> => # took:13s"));
        assert!(!frames.drawn_again(b"=> => # tests passed"));
        assert!(frames.drawn_again(b"=> => # tests passed"));
    }
}
