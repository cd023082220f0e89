//! `par_bridge`: every item of the sequential iterator is processed exactly once (in no
//! particular order), nested parallel work inside the iterator does not deadlock, and a
//! panic in the iterator reaches the caller.

mod common;

use common::pool;
use proptest::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::iter::ParallelBridge;
use veda::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn bridged_items_match_std(values in prop::collection::vec(any::<u32>(), 0..500), threads in 1usize..=4) {
        pool(threads).install(|| {
            let mut got: Vec<u64> = values.clone().into_iter().par_bridge().map(u64::from).collect();
            got.sort_unstable();
            let mut expected: Vec<u64> = values.iter().copied().map(u64::from).collect();
            expected.sort_unstable();
            prop_assert_eq!(got, expected);

            let sum: u64 = values.iter().par_bridge().map(|&v| u64::from(v)).sum();
            prop_assert_eq!(sum, values.iter().map(|&v| u64::from(v)).sum::<u64>());
            prop_assert_eq!(values.iter().par_bridge().filter(|&&v| v % 3 == 0).count(), values.iter().filter(|&&v| v % 3 == 0).count());
            Ok(())
        })?;
    }
}

#[test]
fn bridge_is_debug_and_clone() {
    let bridge = (0..3).par_bridge();
    assert_eq!(format!("{bridge:?}"), "IterBridge { iter: 0..3 }");
    let mut items: Vec<i32> = bridge.clone().collect();
    items.sort_unstable();
    assert_eq!(items, [0, 1, 2]);
}

#[test]
fn parallel_work_inside_the_iterator_does_not_deadlock() {
    const N: usize = 20_000;
    let expected: Vec<(usize, String)> = (0..N).map(|i| (i, i.to_string())).collect();
    pool(8).broadcast(|_| {
        // Many small bridges, each of whose `next` joins: a thread waiting in that join, with
        // the bridge's lock held, may pick up another piece of the same bridge. (The window
        // is narrow; this mirrors Rayon's own regression test.)
        let got: Vec<Vec<(usize, String)>> = (0..N)
            .into_par_iter()
            .map(|i| {
                std::iter::once_with(move || veda::join(move || i, move || i.to_string()))
                    .par_bridge()
                    .collect()
            })
            .collect();
        let got: Vec<(usize, String)> = got.into_iter().flatten().collect();
        assert_eq!(got, expected);
    });
}

#[test]
fn a_panic_in_the_iterator_reaches_the_caller() {
    for threads in 1..=4 {
        let taken = AtomicUsize::new(0);
        let result = catch_unwind(AssertUnwindSafe(|| {
            pool(threads).install(|| {
                (0..1000)
                    .inspect(|&i| {
                        taken.fetch_add(1, Ordering::Relaxed);
                        if i == 500 {
                            panic!("boom");
                        }
                    })
                    .par_bridge()
                    .for_each(|_| {});
            })
        }));
        let payload = result.expect_err("the iterator's panic should reach the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        // The iterator is retired after its panic: nothing past the panicking item is taken.
        assert_eq!(taken.load(Ordering::Relaxed), 501);
    }
}
