//! Behaviour of the parallel sorts: equality with std's sorts on random and patterned
//! inputs of sizes that reach the parallel paths, stability, a bound on comparisons for
//! adversarial inputs, inconsistent comparisons, and panic safety (every item dropped
//! exactly once, with the changes the comparison made through interior mutability).

mod common;

use proptest::prelude::*;
use std::cell::Cell;
use std::cmp::Ordering;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use veda::prelude::*;

/// A deterministic pseudo-random sequence (splitmix64).
fn random_values(seed: u64, len: usize, modulus: u64) -> Vec<u64> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % modulus
        })
        .collect()
}

/// Inputs with structure: sorted, reversed, organ pipe, sawtooth, all equal, random runs.
fn patterned(kind: u8, len: usize, seed: u64) -> Vec<u64> {
    let n = len as u64;
    match kind {
        0 => (0..n).collect(),
        1 => (0..n).rev().collect(),
        2 => (0..n).map(|i| i.min(n - i)).collect(),
        3 => (0..n).map(|i| i % 97).collect(),
        4 => vec![7; len],
        5 => {
            let mut v: Vec<u64> = (0..n).collect();
            let cuts = random_values(seed, 10, n.max(1));
            for pair in cuts.chunks(2) {
                let (a, b) = (pair[0] as usize, pair[1] as usize);
                v[a.min(b)..a.max(b)].reverse();
            }
            v
        }
        _ => random_values(seed, len, 4),
    }
}

/// Records whose order by key alone is not total, to observe stability.
fn keyed(values: &[u64]) -> Vec<(u64, usize)> {
    values.iter().copied().zip(0..).collect()
}

fn sizes() -> impl Strategy<Value = usize> {
    prop_oneof![0usize..40, 40usize..3000, 3000usize..40_000]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn stable_sorts_match_std(
        seed in any::<u64>(), len in sizes(), modulus in 1u64..2000, threads in 1usize..5,
    ) {
        let values = random_values(seed, len, modulus);
        common::pool(threads).install(|| {
            let mut expected = keyed(&values);
            expected.sort_by_key(|r| r.0);

            let mut v = keyed(&values);
            v.par_sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(v, expected);

            let mut v = keyed(&values);
            v.par_sort_by_key(|r| r.0);
            assert_eq!(v, expected);

            let mut v = keyed(&values);
            v.par_sort_by_cached_key(|r| r.0.to_string().len() as u64 * 10_000 + r.0);
            assert_eq!(v, expected);

            let mut v = values.clone();
            v.par_sort();
            let mut sorted = values.clone();
            sorted.sort();
            assert_eq!(v, sorted);

            let mut v = keyed(&values);
            v.par_sort_by(|a, b| b.0.cmp(&a.0));
            let mut reversed = keyed(&values);
            reversed.sort_by_key(|r| std::cmp::Reverse(r.0));
            assert_eq!(v, reversed);
        });
    }

    #[test]
    fn unstable_sorts_match_std(
        seed in any::<u64>(), len in sizes(), modulus in 1u64..2000, threads in 1usize..5,
    ) {
        let values = random_values(seed, len, modulus);
        common::pool(threads).install(|| {
            let mut sorted = values.clone();
            sorted.sort_unstable();

            let mut v = values.clone();
            v.par_sort_unstable();
            assert_eq!(v, sorted);

            let mut v = values.clone();
            v.par_sort_unstable_by(|a, b| b.cmp(a));
            assert!(v.iter().eq(sorted.iter().rev()));

            // Keys alone: equal keys may be reordered, but the multiset and key order hold.
            let mut v = keyed(&values);
            v.par_sort_unstable_by_key(|r| r.0);
            assert!(v.iter().map(|r| r.0).eq(sorted.iter().copied()));
            let mut ids: Vec<usize> = v.iter().map(|r| r.1).collect();
            ids.sort_unstable();
            assert!(ids.into_iter().eq(0..len));
        });
    }

    #[test]
    fn patterned_inputs(kind in 0u8..7, len in sizes(), seed in any::<u64>()) {
        let values = patterned(kind, len, seed);
        let mut sorted = values.clone();
        sorted.sort();
        let mut v = values.clone();
        v.par_sort_unstable();
        assert_eq!(v, sorted);
        let mut expected = keyed(&values);
        expected.sort_by_key(|r| r.0);
        let mut v = keyed(&values);
        v.par_sort_by_key(|r| r.0);
        assert_eq!(v, expected);
    }
}

#[test]
fn stability_on_large_inputs() {
    for len in [50_000, 50_001, 131_073] {
        let values = random_values(len as u64, len, 10);
        let mut v = keyed(&values);
        v.par_sort_by(|a, b| a.0.cmp(&b.0));
        // With the index as a tie-break the order is total: equal keys keep their order.
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }
}

#[test]
fn unstable_sort_is_not_quadratic() {
    let len = 200_000;
    for kind in 0..7 {
        let mut v = patterned(kind, len, 42);
        let comparisons = AtomicUsize::new(0);
        v.par_sort_unstable_by(|a, b| {
            comparisons.fetch_add(1, Relaxed);
            a.cmp(b)
        });
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
        let bound = 4 * len * (usize::BITS - len.leading_zeros()) as usize;
        let count = comparisons.into_inner();
        assert!(count < bound, "pattern {kind}: {count} comparisons");
    }
}

#[test]
fn inconsistent_comparisons_keep_every_item() {
    for len in [100, 5_000, 30_000] {
        let chaos = random_values(len as u64, 4 * len * 20, 3);
        let next = AtomicUsize::new(0);
        let random_order = |_: &usize, _: &usize| {
            let i = next.fetch_add(1, Relaxed) % chaos.len();
            [Ordering::Less, Ordering::Equal, Ordering::Greater][chaos[i] as usize]
        };
        let mut v: Vec<usize> = (0..len).collect();
        v.par_sort_by(random_order);
        v.par_sort_unstable_by(random_order);
        v.par_sort();
        assert!(v.into_iter().eq(0..len));
    }
}

#[test]
fn trivial_inputs() {
    let mut empty: [u8; 0] = [];
    empty.par_sort();
    empty.par_sort_unstable();
    empty.par_sort_by_cached_key(|x| *x);
    let mut one = [0xDEAD_BEEF_u64];
    one.par_sort_by(|_, _| panic!("one item needs no comparison"));
    one.par_sort_unstable_by(|_, _| panic!("one item needs no comparison"));
    assert_eq!(one, [0xDEAD_BEEF]);
    let mut units = [(); 100_000];
    units.par_sort();
    units.par_sort_unstable();
    units.par_sort_by_cached_key(|_| 0);
    assert_eq!(units.len(), 100_000);
}

/// An item that counts its drops and how often it was compared (through a `Cell`, which the
/// comparison updates through a shared reference).
struct Tracked {
    key: u64,
    id: usize,
    compared: Cell<usize>,
    drops: Arc<Vec<AtomicUsize>>,
    seen: Arc<AtomicUsize>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops[self.id].fetch_add(1, Relaxed);
        // Once every item has dropped, `seen` is 0 only if each dropped copy carried the
        // latest comparison count.
        self.seen.fetch_sub(self.compared.get(), Relaxed);
    }
}

fn compare_tracked(a: &Tracked, b: &Tracked) -> Ordering {
    for item in [a, b] {
        item.compared.set(item.compared.get() + 1);
        item.seen.fetch_add(1, Relaxed);
    }
    a.key.cmp(&b.key)
}

type SortFn = fn(&mut [Tracked], &(dyn Fn(&Tracked, &Tracked) -> Ordering + Sync));

/// Sorts copies of `keys` with `sort`, making the comparison panic after `panic_after`
/// comparisons, and checks that every item dropped exactly once with its latest state.
fn check_panic_safety(keys: &[u64], sort: SortFn, panic_after: usize) {
    let drops: Arc<Vec<AtomicUsize>> = Arc::new(keys.iter().map(|_| AtomicUsize::new(0)).collect());
    let seen = Arc::new(AtomicUsize::new(0));
    let mut v: Vec<Tracked> = keys
        .iter()
        .enumerate()
        .map(|(id, &key)| Tracked {
            key,
            id,
            compared: Cell::new(0),
            drops: Arc::clone(&drops),
            seen: Arc::clone(&seen),
        })
        .collect();
    let countdown = AtomicUsize::new(panic_after);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        sort(&mut v, &|a, b| {
            if countdown.fetch_sub(1, Relaxed) == 0 {
                panic!("comparison failed on purpose");
            }
            compare_tracked(a, b)
        });
    }));
    let panicked = result.is_err();
    drop(v);
    for (id, count) in drops.iter().enumerate() {
        assert_eq!(
            count.load(Relaxed),
            1,
            "item {id} dropped wrongly (panicked: {panicked})"
        );
    }
    assert_eq!(seen.load(Relaxed), 0, "a stale copy of an item was kept");
}

const SORT_FNS: [(&str, SortFn); 2] = [
    ("par_sort_by", |v, cmp| v.par_sort_by(cmp)),
    ("par_sort_unstable_by", |v, cmp| v.par_sort_unstable_by(cmp)),
];

#[test]
fn sorts_are_panic_safe() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    for len in [1, 2, 20, 500, 6_000, 20_000] {
        for (modulus, seed) in [(5, 1), (1_000_000, 2)] {
            let keys = random_values(seed, len, modulus);
            for (name, sort) in SORT_FNS {
                // Count the comparisons a full sort makes, then panic at points across it.
                let total = AtomicUsize::new(0);
                let counting = |a: &u64, b: &u64| {
                    total.fetch_add(1, Relaxed);
                    a.cmp(b)
                };
                let mut probe = keys.clone();
                if name == "par_sort_by" {
                    probe.par_sort_by(counting);
                } else {
                    probe.par_sort_unstable_by(counting);
                }
                let total = total.into_inner();
                let step = (total / 7).max(1);
                for panic_after in (0..=total).step_by(step) {
                    check_panic_safety(&keys, sort, panic_after);
                }
            }
        }
    }
    panic::set_hook(hook);
}

#[test]
fn cached_key_sort_is_panic_safe() {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let drops = Arc::new((0..10_000).map(|_| AtomicUsize::new(0)).collect::<Vec<_>>());
    let seen = Arc::new(AtomicUsize::new(0));
    let mut v: Vec<Tracked> = (0..10_000)
        .map(|id| Tracked {
            key: (id * 7919 % 10_000) as u64,
            id,
            compared: Cell::new(0),
            drops: Arc::clone(&drops),
            seen: Arc::clone(&seen),
        })
        .collect();
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        v.par_sort_by_cached_key(|item| {
            assert!(item.key != 1234, "key failed on purpose");
            item.key
        })
    }));
    panic::set_hook(hook);
    assert!(result.is_err());
    drop(v);
    assert!(drops.iter().all(|count| count.load(Relaxed) == 1));
}

#[test]
fn cached_key_sort_with_every_index_width() {
    // Narrow keys make `(key, index)` pairs with u8, u16 and u32 indices smaller than with
    // usize ones; these lengths reach each width.
    for len in [0, 1, 2, 255, 256, 65_535, 65_536, 70_000] {
        let values = random_values(len as u64 + 1, len, 256);
        let mut expected = keyed(&values);
        expected.sort_by_cached_key(|r| r.0 as u8);
        let mut v = keyed(&values);
        v.par_sort_by_cached_key(|r| r.0 as u8);
        assert_eq!(v, expected, "len {len}");
        let mut v = keyed(&values);
        v.par_sort_by_cached_key(|r| r.0 as u16);
        assert_eq!(v, expected, "len {len}");
    }
}

#[test]
fn sorts_of_owned_strings() {
    let words: Vec<String> = random_values(9, 30_000, 5_000)
        .into_iter()
        .map(|x| format!("w{}", x * 37 % 5_000))
        .collect();
    let mut expected = words.clone();
    expected.sort_by_key(|w| w.len());
    let mut v = words.clone();
    v.par_sort_by_key(|w| w.len());
    assert_eq!(v, expected);
    let mut expected = words.clone();
    expected.sort_unstable();
    let mut v = words.clone();
    v.par_sort_unstable();
    assert_eq!(v, expected);
    let mut v = words;
    v.par_sort();
    assert_eq!(v, expected);
}
