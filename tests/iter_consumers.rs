//! The consumers of checklist B.3/B.4 (find_*, position_*, any/all, min_by/max_by,
//! cmp/eq family, try_* family, for_each_with/init) against std's sequential iterators.

mod common;

use proptest::prelude::*;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use veda::prelude::*;

fn in_pool<R: Send>(threads: usize, op: impl FnOnce() -> R + Send) -> R {
    common::pool(threads).install(op)
}

/// Random inputs with few distinct values (so matches and ties are common), pool sizes and
/// split limits.
fn setup() -> impl Strategy<Value = (Vec<u8>, usize, usize, usize)> {
    (
        prop::collection::vec(0u8..16, 0..300),
        1usize..=4,
        1usize..=8,
        1usize..=64,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn find_first_and_last_match_std((v, threads, min, max) in setup(), target in 0u8..16) {
        // Pair each value with its index so that equal values are told apart.
        let pairs: Vec<(u8, usize)> = v.iter().copied().zip(0..).collect();
        let (first, last, first_unindexed, last_unindexed) = in_pool(threads, || {
            let base = || pairs.par_iter().with_min_len(min).with_max_len(max);
            (
                base().find_first(|p| p.0 == target),
                base().find_last(|p| p.0 == target),
                base().filter(|p| p.0 % 2 == target % 2).find_first(|p| p.0 == target),
                base().filter(|p| p.0 % 2 == target % 2).find_last(|p| p.0 == target),
            )
        });
        let expected_first = pairs.iter().find(|p| p.0 == target);
        let expected_last = pairs.iter().rfind(|p| p.0 == target);
        prop_assert_eq!(first, expected_first);
        prop_assert_eq!(last, expected_last);
        prop_assert_eq!(first_unindexed, expected_first);
        prop_assert_eq!(last_unindexed, expected_last);
    }

    #[test]
    fn find_any_finds_a_match_iff_there_is_one((v, threads, min, max) in setup(), target in 0u8..16) {
        let found = in_pool(threads, || {
            v.par_iter().with_min_len(min).with_max_len(max).find_any(|&&x| x == target)
        });
        prop_assert_eq!(found, v.iter().find(|&&x| x == target));
        let found = in_pool(threads, || {
            v.par_iter().enumerate().with_max_len(max).find_any(|&(_, &x)| x >= target)
        });
        match found {
            Some((i, &x)) => prop_assert!(x >= target && v[i] == x),
            None => prop_assert!(v.iter().all(|&x| x < target)),
        }
    }

    #[test]
    fn find_map_family_matches_std((v, threads, min, max) in setup(), target in 0u8..16) {
        let op = |(i, &x): (usize, &u8)| (x == target).then_some(i);
        let (first, last, any) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max).enumerate();
            (base().find_map_first(op), base().find_map_last(op), base().find_map_any(op))
        });
        prop_assert_eq!(first, v.iter().enumerate().find_map(op));
        prop_assert_eq!(last, v.iter().enumerate().rev().find_map(op));
        prop_assert_eq!(any.is_some(), first.is_some());
        if let Some(i) = any {
            prop_assert_eq!(v[i], target);
        }
    }

    #[test]
    fn position_family_matches_std((v, threads, min, max) in setup(), target in 0u8..16) {
        let (first, last, any) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max);
            (
                base().position_first(|&x| x == target),
                base().position_last(|&x| x == target),
                base().position_any(|&x| x == target),
            )
        });
        prop_assert_eq!(first, v.iter().position(|&x| x == target));
        prop_assert_eq!(last, v.iter().rposition(|&x| x == target));
        prop_assert_eq!(any.is_some(), first.is_some());
        if let Some(i) = any {
            prop_assert_eq!(v[i], target);
        }
        #[allow(deprecated)]
        let old = in_pool(threads, || v.par_iter().position(|&x| x == target));
        prop_assert_eq!(old.map(|i| v[i]), first.map(|i| v[i]));
    }

    #[test]
    fn any_and_all_match_std((v, threads, min, max) in setup(), bound in 0u8..17) {
        let (any, all, any_filtered) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max);
            (
                base().any(|&x| x >= bound),
                base().all(|&x| x < bound),
                base().filter(|&&x| x % 2 == 0).any(|&x| x == bound),
            )
        });
        prop_assert_eq!(any, v.iter().any(|&x| x >= bound));
        prop_assert_eq!(all, v.iter().all(|&x| x < bound));
        prop_assert_eq!(any_filtered, v.iter().filter(|&&x| x % 2 == 0).any(|&x| x == bound));
    }

    #[test]
    fn min_max_by_keep_std_tie_order((v, threads, min, max) in setup()) {
        // Compare by value only: the index shows which of equal items was chosen.
        let pairs: Vec<(u8, usize)> = v.iter().copied().zip(0..).collect();
        let by_value = |a: &&(u8, usize), b: &&(u8, usize)| a.0.cmp(&b.0);
        let got = in_pool(threads, || {
            let base = || pairs.par_iter().with_min_len(min).with_max_len(max);
            (
                base().min_by(by_value),
                base().max_by(by_value),
                base().min_by_key(|p| p.0 / 4),
                base().max_by_key(|p| p.0 / 4),
                base().filter(|p| p.0 != 3).min_by(by_value),
                base().filter(|p| p.0 != 3).max_by(by_value),
            )
        });
        let expected = (
            pairs.iter().min_by(by_value),
            pairs.iter().max_by(by_value),
            pairs.iter().min_by_key(|p| p.0 / 4),
            pairs.iter().max_by_key(|p| p.0 / 4),
            pairs.iter().filter(|p| p.0 != 3).min_by(by_value),
            pairs.iter().filter(|p| p.0 != 3).max_by(by_value),
        );
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn comparisons_match_std(
        a in prop::collection::vec(0u8..3, 0..40),
        b in prop::collection::vec(0u8..3, 0..40),
        threads in 1usize..=4,
        max in 1usize..=16,
    ) {
        let got = in_pool(threads, || {
            let pa = || a.par_iter().with_max_len(max);
            (
                pa().cmp(&b),
                pa().partial_cmp(&b),
                pa().eq(&b),
                pa().ne(&b),
                pa().lt(&b),
                pa().le(&b),
                pa().gt(&b),
                pa().ge(&b),
                pa().eq(&a),
            )
        });
        let expected = (
            a.iter().cmp(&b),
            a.iter().partial_cmp(&b),
            a.iter().eq(&b),
            a.iter().ne(&b),
            a.iter().lt(&b),
            a.iter().le(&b),
            a.iter().gt(&b),
            a.iter().ge(&b),
            true,
        );
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn partial_comparisons_with_nan_match_std(
        a in prop::collection::vec(prop_oneof![Just(f64::NAN), Just(0.0), Just(1.0)], 0..20),
        b in prop::collection::vec(prop_oneof![Just(f64::NAN), Just(0.0), Just(1.0)], 0..20),
        threads in 1usize..=4,
    ) {
        let got = in_pool(threads, || {
            (
                a.par_iter().partial_cmp(&b),
                a.par_iter().eq(&b),
                a.par_iter().lt(&b),
                a.par_iter().ge(&b),
            )
        });
        let expected = (a.iter().partial_cmp(&b), a.iter().eq(&b), a.iter().lt(&b), a.iter().ge(&b));
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn try_for_each_returns_a_failure_iff_there_is_one((v, threads, min, max) in setup(), bad in 0u8..16) {
        let (result, option, flow) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max);
            (
                base().try_for_each(|&x| if x == bad { Err(x) } else { Ok(()) }),
                base().try_for_each(|&x| (x != bad).then_some(())),
                base().try_for_each(|&x| if x == bad { ControlFlow::Break(x) } else { ControlFlow::Continue(()) }),
            )
        });
        let has_bad = v.contains(&bad);
        prop_assert_eq!(result, if has_bad { Err(bad) } else { Ok(()) });
        prop_assert_eq!(option, if has_bad { None } else { Some(()) });
        prop_assert_eq!(flow, if has_bad { ControlFlow::Break(bad) } else { ControlFlow::Continue(()) });
    }

    #[test]
    fn try_reduce_matches_checked_fold((v, threads, min, max) in setup(), limit in 0u32..3000) {
        let checked = |a: u32, b: u32| a.checked_add(b).filter(|&s| s <= limit);
        let (reduced, reduced_with) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max).map(|&x| Some(u32::from(x)));
            (base().try_reduce(|| 0, checked), base().try_reduce_with(checked))
        });
        // The sum of non-negative numbers exceeds the limit iff some partial sum does.
        let total: u32 = v.iter().map(|&x| u32::from(x)).sum();
        let expected = (total <= limit).then_some(total);
        prop_assert_eq!(reduced, expected);
        let expected_with = if v.is_empty() { None } else { Some(expected) };
        prop_assert_eq!(reduced_with, expected_with);
    }

    #[test]
    fn for_each_with_and_init_see_every_item((v, threads, min, max) in setup()) {
        let seen = Mutex::new(Vec::new());
        let states = AtomicUsize::new(0);
        in_pool(threads, || {
            v.par_iter().with_min_len(min).with_max_len(max).for_each_with(&seen, |s, &x| {
                s.lock().unwrap().push(x);
            });
            v.par_iter().with_min_len(min).with_max_len(max).for_each_init(
                || {
                    states.fetch_add(1, Ordering::Relaxed);
                    Vec::new()
                },
                |local: &mut Vec<u8>, &x| {
                    local.push(x);
                    seen.lock().unwrap().push(x);
                },
            );
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort_unstable();
        let mut expected: Vec<u8> = v.iter().chain(&v).copied().collect();
        expected.sort_unstable();
        prop_assert_eq!(seen, expected);
        prop_assert!(states.into_inner() >= 1);
    }

    #[test]
    fn try_for_each_with_and_init_match_std((v, threads, min, max) in setup(), bad in 0u8..16) {
        let (with, init) = in_pool(threads, || {
            let base = || v.par_iter().with_min_len(min).with_max_len(max);
            (
                base().try_for_each_with(bad, |bad, &x| if x == *bad { Err(x) } else { Ok(()) }),
                base().try_for_each_init(|| bad, |bad, &x| if x == *bad { Err(x) } else { Ok(()) }),
            )
        });
        let expected = if v.contains(&bad) { Err(bad) } else { Ok(()) };
        prop_assert_eq!(with, expected);
        prop_assert_eq!(init, expected);
    }
}

#[test]
fn try_for_each_stops_early() {
    const N: usize = 1_000_000;
    for threads in 1..=4 {
        let calls = AtomicUsize::new(0);
        let result = in_pool(threads, || {
            (0..N).into_par_iter().try_for_each(|x| {
                calls.fetch_add(1, Ordering::Relaxed);
                if x < 1000 {
                    Err(x)
                } else {
                    Ok(())
                }
            })
        });
        assert!(matches!(result, Err(x) if x < 1000));
        assert!(
            calls.into_inner() < N / 2,
            "try_for_each did not stop early"
        );
    }
}

#[test]
fn find_first_stops_early_and_finds_the_first() {
    const N: usize = 1_000_000;
    for threads in 1..=4 {
        let calls = AtomicUsize::new(0);
        let found = in_pool(threads, || {
            (0..N).into_par_iter().find_first(|&x| {
                calls.fetch_add(1, Ordering::Relaxed);
                x % 1000 == 7
            })
        });
        assert_eq!(found, Some(7));
        assert!(calls.into_inner() < N / 2, "find_first did not stop early");
        let found = in_pool(threads, || {
            (0..N).into_par_iter().find_last(|&x| x % 1000 == 7)
        });
        assert_eq!(found, Some(N - 1000 + 7));
    }
}

#[test]
fn find_any_stops_early() {
    const N: usize = 1_000_000;
    let calls = AtomicUsize::new(0);
    let found = in_pool(4, || {
        (0..N).into_par_iter().find_any(|&x| {
            calls.fetch_add(1, Ordering::Relaxed);
            x % 100 == 0
        })
    });
    assert!(matches!(found, Some(x) if x % 100 == 0));
    assert!(calls.into_inner() < N / 2);
}

#[test]
fn try_types_poll_and_control_flow() {
    use std::task::Poll;
    let items = |bad: Option<u8>| {
        (0..10u8).into_par_iter().map(move |x| {
            if Some(x) == bad {
                Poll::Ready(Err(x))
            } else {
                Poll::Ready(Ok(u32::from(x)))
            }
        })
    };
    let add = |a: Poll<u32>, b: Poll<u32>| match (a, b) {
        (Poll::Ready(a), Poll::Ready(b)) => Poll::Ready(Ok(a + b)),
        _ => Poll::Pending,
    };
    assert_eq!(
        items(None).try_reduce(|| Poll::Ready(0), add),
        Poll::Ready(Ok(45))
    );
    assert_eq!(
        items(Some(4)).try_reduce(|| Poll::Ready(0), add),
        Poll::Ready(Err(4))
    );
    assert_eq!(items(None).try_reduce(|| Poll::Pending, add), Poll::Pending);

    let streamed = |bad: Option<u8>| {
        (0..10u8).into_par_iter().map(move |x| match x {
            _ if Some(x) == bad => Poll::Ready(Some(Err(x))),
            0 => Poll::Ready(None),
            _ => Poll::Ready(Some(Ok(u32::from(x)))),
        })
    };
    let add_some = |a: Poll<Option<u32>>, b: Poll<Option<u32>>| match (a, b) {
        (Poll::Ready(a), Poll::Ready(b)) => Poll::Ready(Some(Ok(a.unwrap_or(0) + b.unwrap_or(0)))),
        _ => Poll::Pending,
    };
    assert_eq!(
        streamed(None).try_reduce_with(add_some),
        Some(Poll::Ready(Some(Ok(45))))
    );
    assert_eq!(
        streamed(Some(7)).try_reduce_with(add_some),
        Some(Poll::Ready(Some(Err(7))))
    );
    let nothing: Poll<Option<Result<(), u8>>> = veda::iter::once(Poll::Ready(None))
        .try_reduce(|| Poll::Ready(None), |_, _| Poll::Ready(None));
    assert_eq!(nothing, Poll::Ready(None));

    let flow = (0..10u8)
        .into_par_iter()
        .map(|x| {
            if x == 3 {
                ControlFlow::Break("stop")
            } else {
                ControlFlow::Continue(u32::from(x))
            }
        })
        .try_reduce(|| 0, |a, b| ControlFlow::Continue(a + b));
    assert_eq!(flow, ControlFlow::Break("stop"));
}

#[test]
fn empty_inputs() {
    let empty: Vec<i32> = Vec::new();
    assert_eq!(empty.par_iter().find_first(|_| true), None);
    assert_eq!(empty.par_iter().find_last(|_| true), None);
    assert_eq!(empty.par_iter().min_by(|a, b| a.cmp(b)), None);
    assert_eq!(empty.par_iter().max_by_key(|&&x| x), None);
    assert!(empty.par_iter().all(|_| false));
    assert!(!empty.par_iter().any(|_| true));
    assert_eq!(empty.par_iter().try_for_each(|_| Err(())), Ok(()));
    assert_eq!(
        empty
            .par_iter()
            .map(|&x| Some(x))
            .try_reduce_with(|a, b| Some(a + b)),
        None
    );
    assert_eq!(
        empty
            .par_iter()
            .map(|&x| Some(x))
            .try_reduce(|| 5, |a, b| Some(a + b)),
        Some(5)
    );
    assert_eq!(empty.par_iter().cmp(&empty), std::cmp::Ordering::Equal);
}

/// Counts drops, to check that consumers that keep or discard owned items neither leak nor
/// drop twice, also when a closure panics.
struct Counted<'a>(usize, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn owned_items_are_dropped_exactly_once() {
    const N: usize = 10_000;
    for threads in 1..=4 {
        let drops = AtomicUsize::new(0);
        let items: Vec<Counted<'_>> = (0..N).map(|i| Counted(i, &drops)).collect();
        let found = in_pool(threads, || {
            items.into_par_iter().find_first(|c| c.0 % 1000 == 999)
        });
        assert_eq!(found.as_ref().map(|c| c.0), Some(999));
        assert_eq!(drops.load(Ordering::Relaxed), N - 1);
        drop(found);
        assert_eq!(drops.load(Ordering::Relaxed), N);

        let drops = AtomicUsize::new(0);
        let items: Vec<Counted<'_>> = (0..N).map(|i| Counted(i, &drops)).collect();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_pool(threads, || {
                items.into_par_iter().find_last(|c| {
                    assert!(c.0 != 4321, "predicate panics");
                    false
                })
            })
        }));
        assert!(outcome.is_err());
        assert_eq!(drops.load(Ordering::Relaxed), N);

        let drops = AtomicUsize::new(0);
        let items: Vec<Counted<'_>> = (0..N).map(|i| Counted(i, &drops)).collect();
        let best = in_pool(threads, || items.into_par_iter().max_by_key(|c| c.0 % 100));
        assert_eq!(best.as_ref().map(|c| c.0), Some(N - 1));
        drop(best);
        assert_eq!(drops.load(Ordering::Relaxed), N);
    }
}

#[test]
fn find_first_and_last_win_over_matches_found_sooner_elsewhere() {
    // The items near the wanted end are slow, so other threads find their (worse) matches
    // first: the result must still be the sequential one.
    let slow = |x: usize, slow_part: bool| {
        if slow_part {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        x % 8 == 3
    };
    for threads in 2..=4 {
        let (first, last, position) = in_pool(threads, || {
            (
                (0..64usize)
                    .into_par_iter()
                    .with_max_len(1)
                    .find_first(|&x| slow(x, x < 32)),
                (0..64usize)
                    .into_par_iter()
                    .with_max_len(1)
                    .find_last(|&x| slow(x, x >= 32)),
                (0..64usize)
                    .into_par_iter()
                    .with_max_len(1)
                    .position_first(|x| slow(x, x < 32)),
            )
        });
        assert_eq!(first, Some(3));
        assert_eq!(last, Some(59));
        assert_eq!(position, Some(3));
    }
}

/// A search must stop every piece of work once something is found, even a piece whose items
/// are all filtered out before they reach the search (it would otherwise walk 2^126 items).
#[test]
fn a_search_behind_a_filter_stops_the_pieces_that_find_nothing() {
    // A deterministic pool answers `find_any` with the first match (`veda::deterministic`),
    // which lies behind 2^127 filtered-out items here: this search needs a racing policy.
    if std::env::var("VEDA_SCHEDULING_POLICY").is_ok_and(|policy| policy.contains("deterministic"))
    {
        return;
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let pool = veda::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let half = u128::MAX / 2;
        let filtered = pool.install(|| {
            (0..u128::MAX)
                .into_par_iter()
                .filter(|&x| x > half)
                .find_any(|_| true)
        });
        let filter_mapped = pool.install(|| {
            (0..u128::MAX)
                .into_par_iter()
                .filter_map(|x| (x > half).then_some(x))
                .find_any(|_| true)
        });
        sender.send((filtered, filter_mapped)).unwrap();
    });
    let (filtered, filter_mapped) = receiver
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the search did not stop the pieces that find nothing");
    assert!(filtered.unwrap() > u128::MAX / 2);
    assert!(filter_mapped.unwrap() > u128::MAX / 2);
}
