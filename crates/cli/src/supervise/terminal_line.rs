//! Whether a line we drew is still the last on the terminal: the heartbeat redraws its
//! line in place only then. Every write that reaches the terminal — the command's output
//! passed through, our own words — is counted, and nothing here waits on a write: a
//! reader blocked on a stalled stdout holds nobody else up.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Writes begun so far.
static WRITES: AtomicU64 = AtomicU64::new(0);
/// Writes under way.
static WRITING: AtomicUsize = AtomicUsize::new(0);

/// A write under way, counted from before it starts until it has ended.
pub(crate) struct Writing(());

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts a write about to reach the terminal; hold it until the write has ended.
pub(crate) fn writing() -> Writing {
    WRITING.fetch_add(1, Ordering::SeqCst);
    WRITES.fetch_add(1, Ordering::SeqCst);
    Writing(())
}

/// Where the terminal's output stands, when no write is under way: a line drawn now is
/// the last one for as long as [`now`] says the same.
pub(crate) fn now() -> Option<u64> {
    let writes = WRITES.load(Ordering::SeqCst);
    (WRITING.load(Ordering::SeqCst) == 0).then_some(writes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_under_way_or_since_means_the_line_is_no_longer_last() {
        let before = now().expect("nothing under way");
        let write = writing();
        assert_eq!(now(), None, "a write under way");
        drop(write);
        let after = now().expect("nothing under way");
        assert_ne!(before, after, "a write since");
        assert_eq!(now(), Some(after), "nothing since");
    }
}
