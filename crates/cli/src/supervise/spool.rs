//! The events between a supervised child's readers and the classifier: in memory up to
//! a bound, then in an unlinked temporary file. A reader never waits for the classifier
//! (the child's output reaches the terminal as it arrives, and the child is never
//! slowed), and memory stays bounded however far classification falls behind: it
//! catches up from the file, in order. Only if no file can be made does a reader wait.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::child::{Ended, Event, Stream};

/// Bytes of chunks held in memory before the rest goes to the file.
const MEMORY: usize = 4 << 20;

/// Why no event came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Empty {
    /// None within the wait.
    Timeout,
    /// None will: every producer is done and everything was taken.
    Done,
}

/// Events in order, in memory first, then on disk.
pub(crate) struct Spool {
    inner: Mutex<Inner>,
    /// Signalled when an event is added, or the last producer is done.
    added: Condvar,
    /// Signalled when memory frees up (for producers that have no file to spill to).
    taken: Condvar,
}

struct Inner {
    memory: VecDeque<Event>,
    memory_bytes: usize,
    disk: Option<Disk>,
    /// No file could be made: producers wait for memory instead.
    no_disk: bool,
    producers: usize,
}

/// The spill file: records are written at `end` and read at `start`.
struct Disk {
    file: File,
    start: u64,
    end: u64,
}

impl Disk {
    fn create() -> io::Result<Disk> {
        let dir = std::env::temp_dir();
        let mut attempt = 0u32;
        loop {
            let path = dir.join(format!("sandbox-triage-spool-{}-{attempt}", std::process::id()));
            match OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path) {
                Ok(file) => {
                    // Unlinked at once: it goes away with us, whatever happens.
                    let _ = std::fs::remove_file(&path);
                    return Ok(Disk { file, start: 0, end: 0 });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Writes the record's head, then a chunk's bytes as they are: the chunk is never
    /// copied on its way to the file.
    fn write(&mut self, event: &Event) -> io::Result<()> {
        let (head, bytes) = encode(event);
        self.file.write_all_at(&head, self.end)?;
        self.file.write_all_at(bytes, self.end + HEAD as u64)?;
        self.end += (HEAD + bytes.len()) as u64;
        Ok(())
    }

    fn read(&mut self) -> io::Result<Event> {
        let mut head = [0u8; HEAD];
        self.file.read_exact_at(&mut head, self.start)?;
        let len = u64::from_le_bytes(head[1..9].try_into().unwrap_or_default());
        // Read into spare capacity: a chunk is not zeroed first. Only this side moves the
        // file's position; the other writes at offsets.
        let mut body = Vec::with_capacity(usize::try_from(len).map_err(|_| io::Error::other("a spooled record too long"))?);
        (&self.file).seek(SeekFrom::Start(self.start + HEAD as u64))?;
        if (&self.file).take(len).read_to_end(&mut body)? as u64 != len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.start += HEAD as u64 + len;
        if self.is_empty() {
            // Drained: the space goes back.
            (self.start, self.end) = (0, 0);
            let _ = self.file.set_len(0);
        }
        decode(&head, body)
    }
}

/// A record's head: a tag byte, the body's length (8 bytes, little-endian), and 8 bytes
/// more: when a chunk arrived (microseconds), or what ended (a stream, a status).
const HEAD: usize = 17;

/// A record: its head, and a chunk's bytes as its body (other events have none).
fn encode(event: &Event) -> ([u8; HEAD], &[u8]) {
    let (tag, value, body): (u8, [u8; 8], &[u8]) = match event {
        Event::Chunk(stream, bytes, at) => (u8::from(*stream == Stream::Err), (at.as_micros() as u64).to_le_bytes(), bytes),
        Event::Closed(stream, ours) => (2, [u8::from(*stream == Stream::Err), u8::from(*ours), 0, 0, 0, 0, 0, 0], &[]),
        Event::Exited(Ended::Code(code)) => (3, i64::from(*code).to_le_bytes(), &[]),
        Event::Exited(Ended::Signal(signal)) => (4, i64::from(*signal).to_le_bytes(), &[]),
    };
    let mut head = [0u8; HEAD];
    head[0] = tag;
    head[1..9].copy_from_slice(&(body.len() as u64).to_le_bytes());
    head[9..].copy_from_slice(&value);
    (head, body)
}

fn decode(head: &[u8; HEAD], body: Vec<u8>) -> io::Result<Event> {
    let value = u64::from_le_bytes(head[9..].try_into().unwrap_or_default());
    let number = || {
        i32::try_from(i64::from_le_bytes(head[9..].try_into().unwrap_or_default()))
            .map_err(|_| io::Error::other("a spooled record is damaged"))
    };
    let stream = |b: u8| if b == 1 { Stream::Err } else { Stream::Out };
    Ok(match head[0] {
        tag @ (0 | 1) => Event::Chunk(stream(tag), body, Duration::from_micros(value)),
        2 if body.is_empty() => Event::Closed(stream(head[9]), head[10] == 1),
        3 if body.is_empty() => Event::Exited(Ended::Code(number()?)),
        4 if body.is_empty() => Event::Exited(Ended::Signal(number()?)),
        _ => return Err(io::Error::other("a spooled record is damaged")),
    })
}

fn size(event: &Event) -> usize {
    match event {
        Event::Chunk(_, bytes, _) => bytes.len(),
        _ => 0,
    }
}

impl Spool {
    /// A spool that `producers` threads add to.
    pub(crate) fn new(producers: usize) -> Spool {
        Spool {
            inner: Mutex::new(Inner { memory: VecDeque::new(), memory_bytes: 0, disk: None, no_disk: false, producers }),
            added: Condvar::new(),
            taken: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an event after every earlier one. It waits only when memory is full and no
    /// spill file can be made.
    pub(crate) fn push(&self, event: Event) {
        let mut inner = self.lock();
        loop {
            // Once events are on disk, later ones follow them there: order is kept.
            let spilling = inner.disk.as_ref().is_some_and(|d| !d.is_empty());
            let fits = inner.memory.is_empty() || inner.memory_bytes + size(&event) <= MEMORY;
            if !spilling && fits {
                inner.memory_bytes += size(&event);
                inner.memory.push_back(event);
                break;
            }
            if !inner.no_disk {
                if inner.disk.is_none() {
                    match Disk::create() {
                        Ok(disk) => inner.disk = Some(disk),
                        Err(_) => inner.no_disk = true,
                    }
                }
                if let Some(disk) = inner.disk.as_mut() {
                    if disk.write(&event).is_ok() {
                        break;
                    }
                    // A full disk: from now on, wait for the classifier instead.
                    inner.no_disk = true;
                }
            }
            inner = self.taken.wait(inner).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        drop(inner);
        self.added.notify_one();
    }

    /// A producer is done; when all are, a consumer that has taken everything is told.
    pub(crate) fn producer_done(&self) {
        let mut inner = self.lock();
        inner.producers = inner.producers.saturating_sub(1);
        drop(inner);
        self.added.notify_all();
    }

    /// Whether events are waiting to be taken (the consumer is behind).
    pub(crate) fn has_backlog(&self) -> bool {
        let inner = self.lock();
        !inner.memory.is_empty() || inner.disk.as_ref().is_some_and(|d| !d.is_empty())
    }

    /// The next event, waiting at most `wait` for one.
    pub(crate) fn pop(&self, wait: Duration) -> Result<Event, Empty> {
        let mut inner = self.lock();
        let deadline = std::time::Instant::now() + wait;
        loop {
            if let Some(event) = inner.memory.pop_front() {
                inner.memory_bytes -= size(&event);
                drop(inner);
                self.taken.notify_all();
                return Ok(event);
            }
            if let Some(disk) = inner.disk.as_mut().filter(|d| !d.is_empty()) {
                if let Ok(event) = disk.read() {
                    drop(inner);
                    self.taken.notify_all();
                    return Ok(event);
                }
                // An unreadable spill loses classification of what it held, never the
                // child's output or its status: those went out already.
                inner.disk = None;
                inner.no_disk = true;
                self.taken.notify_all();
                continue;
            }
            if inner.producers == 0 {
                return Err(Empty::Done);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(Empty::Timeout);
            }
            inner = self.added.wait_timeout(inner, left).unwrap_or_else(std::sync::PoisonError::into_inner).0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_in_order_through_memory_and_disk() {
        let spool = Spool::new(1);
        let chunk = |i: u32| {
            let stream = if i % 2 == 0 { Stream::Out } else { Stream::Err };
            Event::Chunk(stream, vec![u8::try_from(i % 251).unwrap_or(0); 300_000], Duration::from_millis(7) * i)
        };
        // Far more than memory holds, with no consumer: nothing waits.
        for i in 0..40 {
            spool.push(chunk(i));
        }
        // Behind the chunks on disk, so written to the file and read back from it.
        spool.push(Event::Chunk(Stream::Out, Vec::new(), Duration::from_micros(1)));
        spool.push(Event::Closed(Stream::Out, false));
        spool.push(Event::Exited(Ended::Code(-1)));
        spool.push(Event::Closed(Stream::Err, true));
        spool.push(Event::Exited(Ended::Signal(15)));
        spool.producer_done();
        for i in 0..40u32 {
            match spool.pop(Duration::from_secs(1)) {
                Ok(Event::Chunk(stream, bytes, at)) => {
                    assert_eq!(stream == Stream::Err, i % 2 == 1);
                    assert_eq!(at, Duration::from_millis(7) * i, "chunk {i}");
                    assert_eq!((bytes.len(), bytes[0]), (300_000, u8::try_from(i % 251).unwrap_or(0)), "chunk {i}");
                }
                other => panic!("chunk {i}: {other:?}"),
            }
        }
        assert!(
            matches!(spool.pop(Duration::from_secs(1)), Ok(Event::Chunk(Stream::Out, bytes, at)) if bytes.is_empty() && at == Duration::from_micros(1))
        );
        assert!(matches!(spool.pop(Duration::from_secs(1)), Ok(Event::Closed(Stream::Out, false))));
        assert!(matches!(spool.pop(Duration::from_secs(1)), Ok(Event::Exited(Ended::Code(-1)))));
        assert!(matches!(spool.pop(Duration::from_secs(1)), Ok(Event::Closed(Stream::Err, true))));
        assert!(matches!(spool.pop(Duration::from_secs(1)), Ok(Event::Exited(Ended::Signal(15)))));
        assert_eq!(spool.pop(Duration::from_millis(10)).err(), Some(Empty::Done));
    }

    #[test]
    fn a_consumer_waits_only_as_long_as_asked() {
        let spool = Spool::new(1);
        let started = std::time::Instant::now();
        assert_eq!(spool.pop(Duration::from_millis(50)).err(), Some(Empty::Timeout));
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
