//! Results of the last assembly, reused by the next (`lockgen serve`).
//!
//! The steps know nothing of it: `assemble_with` asks the memo for a step's
//! result under a hash of everything the step reads (each step's module
//! has its `key` beside it), and the memo either hands back the value it
//! made under that key last time or runs the step. Every assembly still runs
//! every step in order, the sensitive filter included; only identical
//! results are reused. Each assembly keeps only its own results, so the memo
//! never outgrows one site.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::page::Processed;
use crate::audit::{Audit, TitleCheck};
use crate::diag::Diagnostic;
use crate::links::Targets;

/// What `assemble_with` keeps between assemblies.
#[derive(Debug, Default)]
pub struct Memo {
    /// `urls::page_path`, per doc.
    pub(super) paths: Table<Arc<Result<String, Diagnostic>>>,
    pub(super) targets: Slot<Targets>,
    pub(super) titles: Slot<TitleCheck>,
    /// The output audit: compiling its matcher was half of an edit's assembly at 10k entries.
    pub(super) audit: Slot<Audit>,
    /// `page::process`, per kept page.
    pub(super) pages: Table<Arc<Processed>>,
    /// The order of the kept pages, which most edits leave as it was. At
    /// 10k entries the sort took 3.2-3.7 ms of an edit and its key 1.9-3.2 ms
    /// (whichever runs first reads the pages from a cold cache): the memo
    /// saves about 1.3 ms an edit.
    pub(super) sequence: Slot<super::order::Sequence>,
    /// The location tree and the lock type groups: two fifths of an edit's
    /// assembly at 10k entries, and unchanged by most edits.
    pub(super) locations: Slot<super::Locations>,
    pub(super) types: Slot<super::Types>,
}

/// One value, under the key of its inputs.
#[derive(Debug)]
pub(super) struct Slot<T>(Option<(u64, Arc<T>)>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(None)
    }
}

impl<T> Slot<T> {
    /// The value last made under `key`, or `make`'s, which is kept instead.
    pub fn get_or(&mut self, key: u64, make: impl FnOnce() -> T) -> Arc<T> {
        match self.try_get_or(key, || Ok::<T, std::convert::Infallible>(make())) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    /// `get_or` for a `make` that may fail (a failure leaves the slot as it was).
    pub fn try_get_or<E>(
        &mut self,
        key: u64,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        if let Some((k, v)) = &self.0
            && *k == key
        {
            return Ok(Arc::clone(v));
        }
        let v = Arc::new(make()?);
        self.0 = Some((key, Arc::clone(&v)));
        Ok(v)
    }
}

/// One value per item (a doc, a page), each under the key of its inputs,
/// in the order of the last call's items.
#[derive(Debug)]
pub(super) struct Table<T>(Vec<(u64, T)>);

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table(Vec::new())
    }
}

/// Past this many items whose key differs from the last call's at the same
/// place (an added or removed page shifts every later one), the last call's
/// values are looked up by key instead of made again.
const LOOKUP_PAST: usize = 16;

impl<T: Clone + Send + Sync> Table<T> {
    /// `make` of every item, in parallel and in order, reusing the values
    /// last made under equal keys; keeps this call's values only.
    ///
    /// An edit keeps every other item where it was, so a value is first
    /// sought at its item's place: an edit's call then clones `T` twice per
    /// item (`T` should be cheap to clone: an `Arc`) and builds no map.
    pub fn map<I: Sync>(
        &mut self,
        items: &[I],
        key: impl Fn(&I) -> u64 + Sync,
        make: impl Fn(&I) -> T + Sync,
    ) -> Vec<T> {
        let old = std::mem::take(&mut self.0);
        let keys: Vec<u64> = items.par_iter().map(&key).collect();
        let in_place = |i: usize| old.get(i).filter(|(k, _)| *k == keys[i]).map(|(_, v)| v);
        let moved = (0..keys.len()).filter(|&i| in_place(i).is_none()).count();
        let by_key: HashMap<u64, &T> = if moved > LOOKUP_PAST {
            old.iter().map(|(k, v)| (*k, v)).collect()
        } else {
            HashMap::default()
        };
        let values: Vec<T> = items
            .par_iter()
            .enumerate()
            .map(
                |(i, item)| match in_place(i).or_else(|| by_key.get(&keys[i]).copied()) {
                    Some(v) => v.clone(),
                    None => make(item),
                },
            )
            .collect();
        drop(by_key);
        self.0 = keys.into_iter().zip(values.iter().cloned()).collect();
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_slot_makes_again_only_under_another_key() {
        let mut slot = Slot::default();
        let made = AtomicUsize::new(0);
        let make = |v: u32| {
            made.fetch_add(1, Ordering::Relaxed);
            v
        };
        assert_eq!(*slot.get_or(1, || make(10)), 10);
        assert_eq!(*slot.get_or(1, || make(11)), 10, "reused");
        assert_eq!(*slot.get_or(2, || make(12)), 12);
        assert_eq!(made.load(Ordering::Relaxed), 2);
        assert!(slot.try_get_or(3, || Err::<u32, ()>(())).is_err());
        assert_eq!(
            *slot.get_or(2, || make(13)),
            12,
            "a failure changes nothing"
        );
    }

    #[test]
    fn a_table_reuses_equal_keys_in_place_keeps_order_and_forgets_the_rest() {
        let mut table = Table::default();
        let made = AtomicUsize::new(0);
        let make = |s: &&str| {
            made.fetch_add(1, Ordering::Relaxed);
            s.to_uppercase()
        };
        let key = |s: &&str| s.len() as u64;
        assert_eq!(table.map(&["a", "bb"], key, make), ["A", "BB"]);
        assert_eq!(made.load(Ordering::Relaxed), 2);
        // "cc" has the key of "bb" at its place: its value is reused, as a
        // key must cover every input.
        assert_eq!(
            table.map(&["a", "cc", "ddd"], key, make),
            ["A", "BB", "DDD"]
        );
        assert_eq!(made.load(Ordering::Relaxed), 3);
        assert_eq!(table.0.len(), 3);
        table.map(&["a"], key, make);
        assert_eq!(table.0.len(), 1, "only the last call's values");
    }

    #[test]
    fn past_a_few_moved_items_a_table_finds_values_by_key() {
        let mut table = Table::default();
        let made = AtomicUsize::new(0);
        let make = |n: &u64| {
            made.fetch_add(1, Ordering::Relaxed);
            n * 10
        };
        let items: Vec<u64> = (1..=100).collect();
        table.map(&items, |n| *n, make);
        assert_eq!(made.load(Ordering::Relaxed), 100);
        // One item in front shifts every other one from its place.
        let shifted: Vec<u64> = std::iter::once(0).chain(1..=100).collect();
        let values = table.map(&shifted, |n| *n, make);
        assert_eq!(values, shifted.iter().map(|n| n * 10).collect::<Vec<_>>());
        assert_eq!(made.load(Ordering::Relaxed), 101, "only the new item made");
        // A few moved items are made again: the same value under the same key.
        let swapped: Vec<u64> = (0..=100).map(|n| if n < 2 { 1 - n } else { n }).collect();
        let values = table.map(&swapped, |n| *n, make);
        assert_eq!(values, swapped.iter().map(|n| n * 10).collect::<Vec<_>>());
        assert_eq!(made.load(Ordering::Relaxed), 103);
    }
}
