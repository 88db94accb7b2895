//! Reading an input on a second thread while this one works on what was read: the
//! kernel's copy out of the page cache or pipe overlaps the work. Three buffers
//! circulate, so memory stays bounded whatever the input's size.

use std::io::{self, ErrorKind, Read};
use std::sync::mpsc;

/// Buffers in circulation: one being filled, one passed over, one being worked on.
const POOL: usize = 3;

/// Why a read-ahead loop stopped early.
#[derive(Debug)]
pub(crate) enum Stopped<E> {
    /// Reading the input failed.
    Read(io::Error),
    /// The work on a piece failed.
    Work(E),
}

/// Reads `reader` to its end in pieces of at most `size` bytes, calling `each` with
/// every piece in order.
pub(crate) fn for_each_piece<E>(
    reader: impl Read + Send,
    size: usize,
    mut each: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(1);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || fill(reader, size, &full_tx, &empty_rx));
        let mut outcome = Ok(());
        for (buf, n) in &full_rx {
            if let Err(e) = each(&buf[..n]) {
                outcome = Err(Stopped::Work(e));
                break;
            }
            // The reader is gone only when it has ended: nothing more to hand back.
            let _ = empty_tx.send(buf);
        }
        // Dropping the receivers tells the reader to stop, if it has not.
        drop((full_rx, empty_tx));
        let read = reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed")));
        outcome.and(read.map_err(Stopped::Read))
    })
}

fn fill(
    mut reader: impl Read,
    size: usize,
    full: &mpsc::SyncSender<(Vec<u8>, usize)>,
    empties: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let mut allocated = 0;
    loop {
        let mut buf = if allocated < POOL {
            allocated += 1;
            vec![0; size]
        } else {
            match empties.recv() {
                Ok(buf) => buf,
                Err(_) => return Ok(()),
            }
        };
        let n = loop {
            match reader.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        if n == 0 || full.send((buf, n)).is_err() {
            return Ok(());
        }
    }
}
