//! The queue between the data plane and the store, and the thread that empties it.

use crate::{Event, Store, StoreError, StoreReader};
use palisade_config::{Events, JsonlSink};
use palisade_metrics::Metrics;
use std::io::Write;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::{broadcast, mpsc};

/// Events written per store transaction at most.
const BATCH: usize = 512;
/// Live-tail subscribers that fall this far behind skip ahead (the store still has it all).
const TAIL_CAPACITY: usize = 1024;

enum Msg {
    Event(Box<Event>),
    Shutdown,
}

/// The data plane's end of the queue. Cloning is cheap; sending never waits.
#[derive(Clone)]
pub struct EventSender {
    tx: mpsc::Sender<Msg>,
    metrics: Arc<Metrics>,
}

impl EventSender {
    /// Queues an event; when the queue is full the event is dropped and counted in
    /// `palisade_events_dropped_total` — never silently, never by waiting.
    pub fn send(&self, event: Event) {
        match self.tx.try_send(Msg::Event(Box::new(event))) {
            Ok(()) => self.metrics.events_queued.fetch_add(1, Relaxed),
            Err(_) => self.metrics.events_dropped.fetch_add(1, Relaxed),
        };
    }
}

/// The writer thread's handle: readers for the admin API, and the shutdown that drains.
pub struct Writer {
    tx: mpsc::Sender<Msg>,
    thread: Option<std::thread::JoinHandle<()>>,
    reader: Option<StoreReader>,
    tail: broadcast::Sender<Arc<Event>>,
}

impl Writer {
    pub fn reader(&self) -> Option<StoreReader> {
        self.reader.clone()
    }

    /// Subscribes to events as they are written.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tail.subscribe()
    }

    /// Writes everything queued before this call, flushes the sinks and stops the thread.
    pub fn shutdown(mut self) {
        // The queue is FIFO: everything sent before Shutdown is written before the thread ends.
        let _ = self.tx.blocking_send(Msg::Shutdown);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Opens the store and the sink and starts the writer thread.
pub fn start(cfg: &Events, metrics: Arc<Metrics>) -> Result<(EventSender, Writer), StoreError> {
    let store = match &cfg.store {
        Some(s) => Some(Store::open(&s.path, s.max_age, s.max_events, s.max_bytes)?),
        None => None,
    };
    let mut sink: Option<Box<dyn Write + Send>> = match &cfg.jsonl {
        None => None,
        Some(JsonlSink::Stdout) => Some(Box::new(std::io::stdout())),
        Some(JsonlSink::File(p)) => Some(Box::new(std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| StoreError::Db(format!("jsonl sink {}: {e}", p.display())))?,
        ))),
    };
    let (tx, mut rx) = mpsc::channel::<Msg>(cfg.queue_capacity);
    let (tail, _) = broadcast::channel(TAIL_CAPACITY);
    let reader = store.as_ref().map(Store::reader);
    let writer_metrics = metrics.clone();
    let writer_tail = tail.clone();
    let mut store = store;
    let thread = std::thread::Builder::new()
        .name("palisade-events".into())
        .spawn(move || {
            let mut batch: Vec<Event> = Vec::with_capacity(BATCH);
            let mut stop = false;
            while !stop {
                match rx.blocking_recv() {
                    None | Some(Msg::Shutdown) => stop = true,
                    Some(Msg::Event(e)) => batch.push(*e),
                }
                while !stop && batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(Msg::Event(e)) => batch.push(*e),
                        Ok(Msg::Shutdown) => stop = true,
                        Err(_) => break,
                    }
                }
                if batch.is_empty() {
                    continue;
                }
                write_batch(&mut batch, store.as_mut(), sink.as_mut(), &writer_metrics);
                for e in batch.drain(..) {
                    let _ = writer_tail.send(Arc::new(e));
                }
            }
            if let Some(s) = sink.as_mut() {
                let _ = s.flush();
            }
        })
        .map_err(|e| StoreError::Db(format!("cannot start the event writer: {e}")))?;
    let sender = EventSender {
        tx: tx.clone(),
        metrics,
    };
    Ok((
        sender,
        Writer {
            tx,
            thread: Some(thread),
            reader,
            tail,
        },
    ))
}

fn write_batch(
    batch: &mut [Event],
    store: Option<&mut Store>,
    sink: Option<&mut Box<dyn Write + Send>>,
    metrics: &Metrics,
) {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    if let Some(store) = store {
        match store.append(batch, now_ms) {
            Ok(()) => {
                metrics
                    .events_written
                    .fetch_add(batch.len() as u64, Relaxed);
            }
            Err(e) => {
                metrics.events_store_errors.fetch_add(1, Relaxed);
                tracing::error!(error = %e, events = batch.len(), "event store write failed");
            }
        }
    } else {
        metrics
            .events_written
            .fetch_add(batch.len() as u64, Relaxed);
    }
    if let Some(sink) = sink {
        for e in batch.iter() {
            if let Ok(line) = serde_json::to_string(e) {
                let _ = writeln!(sink, "{line}");
            }
        }
        let _ = sink.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventQuery;
    use palisade_config::Store as StoreCfg;
    use std::time::Duration;

    fn ev(i: u64) -> Event {
        let mut e = crate::store::tests_support::event(1_700_000_000_000 + i);
        e.request_id = format!("r{i}");
        e
    }

    #[test]
    fn shutdown_flushes_everything_and_full_queue_counts_drops() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("events.jsonl");
        let cfg = Events {
            queue_capacity: 10_000,
            store: Some(StoreCfg {
                path: dir.path().join("e.redb"),
                max_age: Duration::from_secs(1 << 40),
                max_events: 1_000_000,
                max_bytes: 1 << 30,
            }),
            jsonl: Some(JsonlSink::File(jsonl.clone())),
        };
        let metrics = Arc::new(Metrics::default());
        let (tx, writer) = start(&cfg, metrics.clone()).unwrap();
        for i in 0..1000 {
            tx.send(ev(i));
        }
        let reader = writer.reader().unwrap();
        writer.shutdown();
        assert_eq!(metrics.events_written.load(Relaxed), 1000);
        assert_eq!(metrics.events_dropped.load(Relaxed), 0);
        assert_eq!(reader.len().unwrap(), 1000);
        assert_eq!(
            std::fs::read_to_string(&jsonl).unwrap().lines().count(),
            1000
        );
        let newest = reader
            .query(&EventQuery {
                limit: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(newest[0].request_id, "r999");

        // After shutdown nothing reads the queue: sends are counted as drops, not lost silently.
        tx.send(ev(5000));
        assert_eq!(metrics.events_dropped.load(Relaxed), 1);
    }
}
