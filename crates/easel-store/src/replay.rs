//! Replaying changelog entries into the state. Decoding the events' JSON costs about as much
//! as applying them, so a large replay (a cold start) decodes on a second thread while this
//! one applies: the events cross over in chunks through a short queue, and the state sees
//! them in order, exactly as a plain loop would give them.

use std::fmt;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use easel_core::State;
use easel_core::event::Event;
use serde::de::{Deserializer as _, SeqAccess, Visitor};

use crate::rows::corrupt;
use crate::{Entry, Revision, StoreError};

/// Events per chunk handed across.
const CHUNK: usize = 4096;

/// Chunks decoded ahead of the applier; bounds the memory a replay holds.
const QUEUE: usize = 8;

/// Below this much JSON, a second thread costs more than it saves.
const PARALLEL_BYTES: usize = 1 << 20;

/// What the decoding thread hands over.
enum Msg {
    /// The next events of the current entry.
    Events(Vec<Event>),
    /// The entry at this position is complete.
    EntryDone(usize),
    /// Decoding failed; nothing after this.
    Failed(StoreError),
}

/// Applies every entry's events in order, advancing `revision` past each entry once all its
/// events are applied. Returns how many events were applied. On an error (a corrupt
/// changelog, which no write of Easel's produces) `revision` names the last entry applied in
/// full; events of the failing entry may have been applied too, as they may when an event
/// itself is refused, so the caller gives up on this state rather than serve it.
pub(crate) fn apply_entries(
    state: &mut State,
    entries: &[Entry],
    revision: &mut Revision,
) -> Result<usize, StoreError> {
    apply_with(state, entries, revision, PARALLEL_BYTES, CHUNK)
}

/// `apply_entries`, decoding on a second thread from `parallel_bytes` of JSON, in chunks of
/// `chunk` events.
fn apply_with(
    state: &mut State,
    entries: &[Entry],
    revision: &mut Revision,
    parallel_bytes: usize,
    chunk: usize,
) -> Result<usize, StoreError> {
    let bytes: usize = entries.iter().map(|e| e.events_json.len()).sum();
    if bytes < parallel_bytes {
        let mut applied = 0;
        for entry in entries {
            let events = entry.events()?;
            apply(state, &events)?;
            applied += events.len();
            *revision = entry.revision;
        }
        return Ok(applied);
    }
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(QUEUE);
        scope.spawn(move || decode_all(entries, &tx, chunk.max(1)));
        apply_from(state, entries, revision, &rx)
        // Leaving the scope drops the receiver first, so a decoder still sending stops.
    })
}

/// The applying side: takes chunks until the decoder is done or fails.
fn apply_from(
    state: &mut State,
    entries: &[Entry],
    revision: &mut Revision,
    rx: &Receiver<Msg>,
) -> Result<usize, StoreError> {
    let mut applied = 0;
    for msg in rx {
        match msg {
            Msg::Events(events) => {
                apply(state, &events)?;
                applied += events.len();
            }
            Msg::EntryDone(i) => {
                if let Some(entry) = entries.get(i) {
                    *revision = entry.revision;
                }
            }
            Msg::Failed(e) => return Err(e),
        }
    }
    Ok(applied)
}

fn apply(state: &mut State, events: &[Event]) -> Result<(), StoreError> {
    for event in events {
        state
            .apply(event)
            .map_err(|e| StoreError::Corrupt(format!("{event:?}: {e}")))?;
    }
    Ok(())
}

/// The decoding side: every entry in order, each streamed in chunks.
fn decode_all(entries: &[Entry], tx: &SyncSender<Msg>, chunk: usize) {
    for (i, entry) in entries.iter().enumerate() {
        let mut de = serde_json::Deserializer::from_str(&entry.events_json);
        let sent = de
            .deserialize_seq(Chunks { tx, size: chunk })
            .and_then(|sent| de.end().map(|()| sent));
        let next = match sent {
            // The applier stopped (it met an error): nothing more is wanted.
            Ok(false) => return,
            Ok(true) => Msg::EntryDone(i),
            Err(e) => Msg::Failed(corrupt(format!("revision {}: {e}", entry.revision))),
        };
        let failed = matches!(next, Msg::Failed(_));
        if tx.send(next).is_err() || failed {
            return;
        }
    }
}

/// Streams a JSON array of events to the applier; `false` when the applier is gone.
struct Chunks<'a> {
    tx: &'a SyncSender<Msg>,
    size: usize,
}

impl<'de> Visitor<'de> for Chunks<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut chunk = Vec::with_capacity(self.size);
        while let Some(event) = seq.next_element::<Event>()? {
            chunk.push(event);
            if chunk.len() == self.size {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(self.size));
                if self.tx.send(Msg::Events(full)).is_err() {
                    return Ok(false);
                }
            }
        }
        Ok(chunk.is_empty() || self.tx.send(Msg::Events(chunk)).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use easel_core::time::Time;

    /// The events of a generated dataset, cut into entries of `per` events.
    fn entries(per: usize) -> Vec<Entry> {
        let mut data = Vec::new();
        easel_testkit::bench_data::write(
            easel_testkit::bench_data::Size::named("tiny").unwrap(),
            7,
            &mut data,
        )
        .unwrap();
        let events = crate::jsonl::import(&State::new(), data.as_slice()).unwrap();
        events
            .chunks(per)
            .enumerate()
            .map(|(i, chunk)| Entry {
                revision: i as Revision + 1,
                org: String::new(),
                at: Time::from_millis(0),
                action: "Import".into(),
                events_json: serde_json::to_string(chunk).unwrap(),
            })
            .collect()
    }

    #[test]
    fn both_paths_build_the_same_state() {
        // Chunks larger and smaller than an entry, so entries end inside and between them.
        for per in [64 * 3 + 17, 50] {
            let all = entries(per);
            let (mut plain, mut piped) = (State::new(), State::new());
            let (mut r1, mut r2) = (0, 0);
            let n1 = apply_with(&mut plain, &all, &mut r1, usize::MAX, 64).unwrap();
            let n2 = apply_with(&mut piped, &all, &mut r2, 0, 64).unwrap();
            assert!(n1 > 64 * 4, "the dataset spans several chunks");
            assert_eq!((n1, r1), (n2, r2));
            assert_eq!(r2, all.len() as Revision);
            assert!(plain == piped, "the states differ");
        }
    }

    #[test]
    fn a_corrupt_entry_stops_the_replay_after_the_entries_before_it() {
        for threshold in [0, usize::MAX] {
            let mut all = entries(100);
            assert!(all.len() > 3);
            let half = all[2].events_json.len() / 2;
            all[2].events_json.truncate(half);
            let mut state = State::new();
            let mut revision = 0;
            let err = apply_with(&mut state, &all, &mut revision, threshold, 64).unwrap_err();
            assert!(
                matches!(err, StoreError::Corrupt(ref m) if m.contains("revision 3")),
                "{err}"
            );
            assert_eq!(revision, 2, "the two entries before it are applied");
        }
    }
}
