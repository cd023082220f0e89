//! Gathering items: every `FromParallelIterator` and `ParallelExtend` target, `unzip`,
//! `partition`, `partition_map`, `unzip_into_vecs` and `collect_vec_list`, checked against
//! std's sequential `collect`/`extend`/`unzip`/`partition` on random inputs, split sizes and
//! pool sizes; `Option`/`Result` collection semantics; and drop counting when a closure panics
//! part-way through.

mod common;

use common::pool;
use proptest::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::{OsStr, OsString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use veda::iter::Either;
use veda::prelude::*;

/// Random input: values, split bounds and a thread count.
fn setup() -> impl Strategy<Value = (Vec<u16>, usize, usize, usize)> {
    (
        prop::collection::vec(0u16..500, 0..300),
        1usize..40,
        1usize..80,
        1usize..=4,
    )
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(48)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn vec_and_slices_match_std((values, min, max, threads) in setup()) {
        pool(threads).install(|| {
            let expected: Vec<u32> = values.iter().map(|&v| u32::from(v) * 3).collect();
            let indexed = || values.par_iter().with_min_len(min).with_max_len(max).map(|&v| u32::from(v) * 3);
            let unindexed = || values.par_iter().with_max_len(max).filter(|_| true).map(|&v| u32::from(v) * 3);
            let vec: Vec<u32> = indexed().collect();
            prop_assert_eq!(&vec, &expected);
            let vec: Vec<u32> = unindexed().collect();
            prop_assert_eq!(&vec, &expected);
            let boxed: Box<[u32]> = unindexed().collect();
            prop_assert_eq!(&*boxed, &expected[..]);
            let rc: Rc<[u32]> = indexed().collect();
            prop_assert_eq!(&*rc, &expected[..]);
            let arc: Arc<[u32]> = unindexed().collect();
            prop_assert_eq!(&*arc, &expected[..]);
            let cow: Cow<'_, [u32]> = indexed().collect();
            prop_assert!(matches!(cow, Cow::Owned(_)));
            prop_assert_eq!(&*cow, &expected[..]);
            let deque: VecDeque<u32> = unindexed().collect();
            prop_assert_eq!(deque, expected.iter().copied().collect::<VecDeque<_>>());
            let list: LinkedList<u32> = indexed().collect();
            prop_assert_eq!(&list, &expected.iter().copied().collect::<LinkedList<_>>());
            let list: LinkedList<u32> = unindexed().collect();
            prop_assert_eq!(&list, &expected.iter().copied().collect::<LinkedList<_>>());
            let heap: BinaryHeap<u32> = unindexed().collect();
            prop_assert_eq!(heap.into_sorted_vec(), expected.iter().copied().collect::<BinaryHeap<_>>().into_sorted_vec());
            Ok(())
        })?;
    }

    #[test]
    fn maps_and_sets_match_std((values, min, max, threads) in setup()) {
        pool(threads).install(|| {
            // Keys repeat, so which value wins is visible.
            let pairs: Vec<(u16, usize)> = values.iter().enumerate().map(|(i, &v)| (v % 37, i)).collect();
            let hash: HashMap<u16, usize> = pairs.par_iter().with_min_len(min).copied().collect();
            prop_assert_eq!(&hash, &pairs.iter().copied().collect::<HashMap<_, _>>());
            let tree: BTreeMap<u16, usize> = pairs.par_iter().with_max_len(max).filter(|_| true).copied().collect();
            prop_assert_eq!(&tree, &pairs.iter().copied().collect::<BTreeMap<_, _>>());
            let set: HashSet<u16> = values.par_iter().with_max_len(max).copied().collect();
            prop_assert_eq!(&set, &values.iter().copied().collect::<HashSet<_>>());
            let set: BTreeSet<u16> = values.par_iter().filter(|_| true).copied().collect();
            prop_assert_eq!(&set, &values.iter().copied().collect::<BTreeSet<_>>());
            Ok(())
        })?;
    }

    #[test]
    fn strings_match_std((values, _min, max, threads) in setup()) {
        pool(threads).install(|| {
            let chars: Vec<char> = values.iter().map(|&v| char::from_u32(u32::from(v) + 0x60).unwrap()).collect();
            let words: Vec<String> = values.iter().map(|v| format!("{v},")).collect();
            let expected_chars: String = chars.iter().collect();
            let expected_words: String = words.concat();

            let s: String = chars.par_iter().with_max_len(max).copied().collect();
            prop_assert_eq!(&s, &expected_chars);
            let s: String = chars.par_iter().filter(|_| true).collect();
            prop_assert_eq!(&s, &expected_chars);
            let s: Box<str> = chars.par_iter().copied().filter(|_| true).collect();
            prop_assert_eq!(&*s, &expected_chars[..]);
            let s: Box<str> = chars.par_iter().collect();
            prop_assert_eq!(&*s, &expected_chars[..]);
            let s: String = words.par_iter().with_max_len(max).map(String::as_str).collect();
            prop_assert_eq!(&s, &expected_words);
            let s: Box<str> = words.par_iter().map(String::as_str).collect();
            prop_assert_eq!(&*s, &expected_words[..]);
            let s: String = words.par_iter().cloned().filter(|_| true).collect();
            prop_assert_eq!(&s, &expected_words);
            let s: Box<str> = words.par_iter().cloned().collect();
            prop_assert_eq!(&*s, &expected_words[..]);
            let s: String = words.par_iter().map(|w| w.clone().into_boxed_str()).collect();
            prop_assert_eq!(&s, &expected_words);
            let s: Box<str> = words.par_iter().map(|w| w.clone().into_boxed_str()).collect();
            prop_assert_eq!(&*s, &expected_words[..]);
            let s: String = words.par_iter().map(|w| Cow::Borrowed(w.as_str())).collect();
            prop_assert_eq!(&s, &expected_words);
            let s: Box<str> = words.par_iter().map(|w| Cow::<str>::Owned(w.clone())).collect();
            prop_assert_eq!(&*s, &expected_words[..]);
            let s: Cow<'_, str> = chars.par_iter().copied().collect();
            prop_assert_eq!(&*s, &expected_chars[..]);

            let expected_os = OsString::from(&expected_words);
            let s: OsString = words.par_iter().map(OsStr::new).collect();
            prop_assert_eq!(&s, &expected_os);
            let s: OsString = words.par_iter().map(OsString::from).filter(|_| true).collect();
            prop_assert_eq!(&s, &expected_os);
            let s: OsString = words.par_iter().map(|w| Cow::Borrowed(OsStr::new(w))).collect();
            prop_assert_eq!(&s, &expected_os);
            Ok(())
        })?;
    }

    #[test]
    fn par_extend_matches_extend((values, min, max, threads) in setup(), head in prop::collection::vec(0u16..500, 0..10)) {
        pool(threads).install(|| {
            let par = || values.par_iter().with_min_len(min).with_max_len(max);

            let mut vec = head.clone();
            vec.par_extend(par().copied());
            vec.par_extend(par().filter(|_| true));
            let mut expected = head.clone();
            expected.extend(values.iter().copied());
            expected.extend(values.iter());
            prop_assert_eq!(&vec, &expected);

            let mut deque: VecDeque<u16> = head.iter().copied().collect();
            deque.par_extend(par().copied().filter(|_| true));
            deque.par_extend(par());
            let mut expected: VecDeque<u16> = head.iter().copied().collect();
            expected.extend(values.iter().copied());
            expected.extend(values.iter());
            prop_assert_eq!(&deque, &expected);

            let mut list: LinkedList<u16> = head.iter().copied().collect();
            list.par_extend(par().copied());
            list.par_extend(par().filter(|_| true));
            let mut expected: LinkedList<u16> = head.iter().copied().collect();
            expected.extend(values.iter().copied());
            expected.extend(values.iter());
            prop_assert_eq!(&list, &expected);

            let mut heap: BinaryHeap<u16> = head.iter().copied().collect();
            heap.par_extend(par().copied());
            heap.par_extend(par());
            let mut expected: BinaryHeap<u16> = head.iter().copied().collect();
            expected.extend(values.iter().copied());
            expected.extend(values.iter());
            prop_assert_eq!(heap.into_sorted_vec(), expected.into_sorted_vec());

            let mut hash: HashSet<u16> = head.iter().copied().collect();
            hash.par_extend(par().map(|&v| v / 2));
            hash.par_extend(par());
            let mut expected: HashSet<u16> = head.iter().copied().collect();
            expected.extend(values.iter().map(|&v| v / 2));
            expected.extend(values.iter());
            prop_assert_eq!(&hash, &expected);

            let mut tree: BTreeSet<u16> = head.iter().copied().collect();
            tree.par_extend(par().map(|&v| v / 2).filter(|_| true));
            tree.par_extend(par());
            let mut expected: BTreeSet<u16> = head.iter().copied().collect();
            expected.extend(values.iter().map(|&v| v / 2));
            expected.extend(values.iter());
            prop_assert_eq!(&tree, &expected);

            let pairs: Vec<(u16, usize)> = values.iter().enumerate().map(|(i, &v)| (v % 11, i)).collect();
            let start: Vec<(u16, usize)> = head.iter().map(|&v| (v % 11, 9999)).collect();
            let mut map: HashMap<u16, usize> = start.iter().copied().collect();
            map.par_extend(pairs.par_iter().with_max_len(max).copied());
            map.par_extend(pairs.par_iter().filter(|_| true).map(|(k, v)| (k, v)));
            let mut expected: HashMap<u16, usize> = start.iter().copied().collect();
            expected.extend(pairs.iter().copied());
            expected.extend(pairs.iter().map(|(k, v)| (k, v)));
            prop_assert_eq!(&map, &expected);

            let mut map: BTreeMap<u16, usize> = start.iter().copied().collect();
            map.par_extend(pairs.par_iter().copied().filter(|_| true));
            map.par_extend(pairs.par_iter().with_min_len(min).map(|(k, v)| (k, v)));
            let mut expected: BTreeMap<u16, usize> = start.iter().copied().collect();
            expected.extend(pairs.iter().copied());
            expected.extend(pairs.iter().map(|(k, v)| (k, v)));
            prop_assert_eq!(&map, &expected);

            let words: Vec<String> = values.iter().map(|v| format!("<{v}>")).collect();
            let chars: Vec<char> = words.concat().chars().collect();
            let mut s = String::from("head");
            s.par_extend(chars.par_iter().with_max_len(max).copied());
            s.par_extend(chars.par_iter().filter(|_| true));
            s.par_extend(words.par_iter().map(String::as_str));
            s.par_extend(words.par_iter().cloned());
            s.par_extend(words.par_iter().map(|w| w.clone().into_boxed_str()));
            s.par_extend(words.par_iter().map(|w| Cow::Borrowed(w.as_str())));
            let mut expected = String::from("head");
            expected.extend(chars.iter().copied());
            expected.extend(chars.iter());
            expected.extend(words.iter().map(String::as_str));
            expected.extend(words.iter().cloned());
            expected.extend(words.iter().map(|w| w.clone().into_boxed_str()));
            expected.extend(words.iter().map(|w| Cow::Borrowed(w.as_str())));
            prop_assert_eq!(&s, &expected);

            let mut os = OsString::from("head");
            os.par_extend(words.par_iter().map(OsStr::new));
            os.par_extend(words.par_iter().map(OsString::from));
            os.par_extend(words.par_iter().map(|w| Cow::Borrowed(OsStr::new(w))));
            let mut expected = OsString::from("head");
            for _ in 0..3 {
                expected.push(words.concat());
            }
            prop_assert_eq!(&os, &expected);

            let mut either: Either<Vec<u16>, BTreeSet<u16>> = Either::Left(head.clone());
            either.par_extend(par().copied());
            let mut expected = head.clone();
            expected.extend(values.iter().copied());
            prop_assert_eq!(either, Either::Left(expected));
            let mut either: Either<Vec<u16>, BTreeSet<u16>> = Either::Right(BTreeSet::new());
            either.par_extend(par().copied());
            prop_assert_eq!(either, Either::Right(values.iter().copied().collect()));
            Ok(())
        })?;
    }

    #[test]
    fn unzip_and_partitions_match_std((values, min, max, threads) in setup()) {
        pool(threads).install(|| {
            let pairs = || values.par_iter().with_min_len(min).with_max_len(max).map(|&v| (v, u32::from(v) * 7));
            let expected: (Vec<u16>, Vec<u32>) = values.iter().map(|&v| (v, u32::from(v) * 7)).unzip();

            let got: (Vec<u16>, Vec<u32>) = pairs().unzip();
            prop_assert_eq!(&got, &expected);
            let got: (Vec<u16>, Vec<u32>) = pairs().filter(|_| true).unzip();
            prop_assert_eq!(&got, &expected);
            let got: (Vec<u16>, Vec<u32>) = pairs().collect();
            prop_assert_eq!(&got, &expected);
            let got: (VecDeque<u16>, BTreeSet<u32>) = pairs().filter(|_| true).unzip();
            prop_assert_eq!(got.0, expected.0.iter().copied().collect::<VecDeque<_>>());
            prop_assert_eq!(got.1, expected.1.iter().copied().collect::<BTreeSet<_>>());
            let got: (String, LinkedList<u32>) = pairs().map(|(v, w)| (char::from(b'a' + (v % 26) as u8), w)).collect();
            prop_assert_eq!(got.0, expected.0.iter().map(|v| char::from(b'a' + (v % 26) as u8)).collect::<String>());
            prop_assert_eq!(got.1, expected.1.iter().copied().collect::<LinkedList<_>>());

            // Nested pairs unzip into nested collections.
            let nested: (Vec<u16>, (Vec<u32>, Vec<bool>)) = pairs().map(|(v, w)| (v, (w, v % 2 == 0))).unzip();
            let expected_nested: (Vec<u16>, (Vec<u32>, Vec<bool>)) = values.iter().map(|&v| (v, (u32::from(v) * 7, v % 2 == 0))).unzip();
            prop_assert_eq!(&nested, &expected_nested);

            // Extending an existing pair.
            let mut target = (vec![1u16], vec![2u32]);
            target.par_extend(pairs());
            let mut expected_target = (vec![1u16], vec![2u32]);
            expected_target.extend(values.iter().map(|&v| (v, u32::from(v) * 7)));
            prop_assert_eq!(&target, &expected_target);

            let mut left = vec![5u16; 3];
            let mut right = vec![6u32; 9];
            pairs().unzip_into_vecs(&mut left, &mut right);
            prop_assert_eq!(&(left, right), &expected);

            let expected: (Vec<u16>, Vec<u16>) = values.iter().partition(|&&v| v % 3 == 0);
            let got: (Vec<u16>, Vec<u16>) = values.par_iter().with_max_len(max).copied().partition(|v| v % 3 == 0);
            prop_assert_eq!(&got, &expected);
            let got: (BTreeSet<u16>, HashSet<u16>) = values.par_iter().copied().filter(|_| true).partition(|v| v % 3 == 0);
            prop_assert_eq!(got.0, expected.0.iter().copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(got.1, expected.1.iter().copied().collect::<HashSet<_>>());

            let split = |v: u16| if v.is_multiple_of(4) { Either::Left(u32::from(v)) } else { Either::Right(format!("{v}")) };
            let expected_left: Vec<u32> = values.iter().filter(|&&v| v % 4 == 0).map(|&v| u32::from(v)).collect();
            let expected_right: Vec<String> = values.iter().filter(|&&v| v % 4 != 0).map(|v| format!("{v}")).collect();
            let got: (Vec<u32>, Vec<String>) = values.par_iter().with_min_len(min).map(|&v| v).partition_map(split);
            prop_assert_eq!(&got.0, &expected_left);
            prop_assert_eq!(&got.1, &expected_right);
            let got: (Vec<u32>, Vec<String>) = values.par_iter().map(|&v| split(v)).collect();
            prop_assert_eq!(&got.0, &expected_left);
            prop_assert_eq!(&got.1, &expected_right);
            let mut target = (vec![1u32], vec![String::from("x")]);
            target.par_extend(values.par_iter().filter(|_| true).map(|&v| split(v)));
            prop_assert_eq!(&target.0[1..], &expected_left[..]);
            prop_assert_eq!(&target.1[1..], &expected_right[..]);
            Ok(())
        })?;
    }

    #[test]
    fn collect_vec_list_keeps_order((values, min, max, threads) in setup()) {
        pool(threads).install(|| {
            let list = values.par_iter().with_max_len(max).filter(|&&v| v % 2 == 0).collect_vec_list();
            prop_assert!(list.iter().all(|piece| !piece.is_empty()));
            let flat: Vec<&u16> = list.into_iter().flatten().collect();
            prop_assert_eq!(flat, values.iter().filter(|&&v| v % 2 == 0).collect::<Vec<_>>());

            // An iterator that knows its length gathers a single vector.
            let list = values.par_iter().with_min_len(min).copied().collect_vec_list();
            prop_assert_eq!(list.len(), usize::from(!values.is_empty()));
            prop_assert_eq!(list.into_iter().flatten().collect::<Vec<_>>(), values.clone());
            Ok(())
        })?;
    }

    #[test]
    fn option_and_result_match_std((values, max, threads) in (prop::collection::vec(0u16..500, 0..300), 1usize..80, 1usize..=4)) {
        pool(threads).install(|| {
            let opt = |v: u16| if v == 7 { None } else { Some(u32::from(v)) };
            let res = |v: u16| if v % 50 == 7 { Err(v) } else { Ok(u32::from(v)) };

            let got: Option<Vec<u32>> = values.par_iter().with_max_len(max).map(|&v| opt(v)).collect();
            prop_assert_eq!(got, values.iter().map(|&v| opt(v)).collect::<Option<Vec<_>>>());
            let got: Option<BTreeSet<u32>> = values.par_iter().filter(|_| true).map(|&v| opt(v)).collect();
            prop_assert_eq!(got, values.iter().map(|&v| opt(v)).collect::<Option<BTreeSet<_>>>());

            let expected = values.iter().map(|&v| res(v)).collect::<Result<Vec<_>, _>>();
            let got: Result<Vec<u32>, u16> = values.par_iter().with_max_len(max).map(|&v| res(v)).collect();
            match (&got, &expected) {
                (Ok(got), Ok(expected)) => prop_assert_eq!(got, expected),
                // Any of the errors may be reported; on one thread, the first.
                (Err(err), Err(first)) => {
                    prop_assert_eq!(err % 50, 7);
                    prop_assert!(values.contains(err));
                    if threads == 1 {
                        prop_assert_eq!(err, first);
                    }
                }
                _ => prop_assert!(false, "got {:?}, std gives {:?}", got, expected),
            }
            let got: Result<(), u16> = values.par_iter().filter(|_| true).map(|&v| res(v).map(drop)).collect();
            prop_assert_eq!(got.is_ok(), expected.is_ok());
            Ok(())
        })?;
    }
}

#[test]
fn option_and_result_stop_early() {
    // Once a failure is seen, the remaining work stops taking items.
    let seen = AtomicUsize::new(0);
    let got: Option<Vec<u64>> = pool(2).install(|| {
        (0..1_000_000u64)
            .into_par_iter()
            .map(|x| {
                seen.fetch_add(1, Ordering::Relaxed);
                (x != 10).then_some(x)
            })
            .collect()
    });
    assert_eq!(got, None);
    assert!(seen.load(Ordering::Relaxed) < 1_000_000);

    let seen = AtomicUsize::new(0);
    let got: Result<Vec<u64>, String> = pool(1).install(|| {
        (0..100_000u64)
            .into_par_iter()
            .map(|x| {
                seen.fetch_add(1, Ordering::Relaxed);
                if x % 1000 == 999 {
                    Err(format!("bad {x}"))
                } else {
                    Ok(x)
                }
            })
            .collect()
    });
    assert_eq!(got, Err(String::from("bad 999")));
    assert!(seen.load(Ordering::Relaxed) < 100_000);
}

#[test]
fn unit_targets_run_every_item() {
    let seen = AtomicUsize::new(0);
    let () = (0..1000)
        .into_par_iter()
        .map(|_| {
            seen.fetch_add(1, Ordering::Relaxed);
        })
        .collect();
    assert_eq!(seen.load(Ordering::Relaxed), 1000);
    let mut unit = ();
    unit.par_extend((0..500).into_par_iter().filter(|_| true).map(|_| {
        seen.fetch_add(1, Ordering::Relaxed);
    }));
    assert_eq!(seen.load(Ordering::Relaxed), 1500);
}

/// Counts its own creations and drops.
struct Tracked<'c> {
    counts: &'c Counts,
}

#[derive(Default)]
struct Counts {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Counts {
    fn make(&self) -> Tracked<'_> {
        self.made.fetch_add(1, Ordering::Relaxed);
        Tracked { counts: self }
    }

    fn assert_all_dropped_once(&self) {
        let made = self.made.load(Ordering::Relaxed);
        assert!(made > 0);
        assert_eq!(made, self.dropped.load(Ordering::Relaxed));
    }
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        self.counts.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `body` on pools of 1 to 4 threads, expecting it to panic with the message "boom".
fn expect_boom(body: impl Fn(&Counts) + Sync) {
    for threads in 1..=4 {
        let counts = Counts::default();
        let result = catch_unwind(AssertUnwindSafe(|| pool(threads).install(|| body(&counts))));
        let payload = result.expect_err("the closure's panic should reach the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        counts.assert_all_dropped_once();
    }
}

fn maker<'c>(counts: &'c Counts) -> impl Fn(usize) -> Tracked<'c> + Sync + 'c {
    move |i| {
        if i == 700 {
            panic!("boom");
        }
        counts.make()
    }
}

#[test]
fn panic_during_collect_drops_each_item_once() {
    expect_boom(|c| drop((0..1000).into_par_iter().map(maker(c)).collect::<Vec<_>>()));
    expect_boom(|c| {
        drop(
            (0..1000)
                .into_par_iter()
                .filter(|_| true)
                .map(maker(c))
                .collect::<Vec<_>>(),
        )
    });
    expect_boom(|c| {
        let mut v: Vec<_> = (0..10).map(|_| c.make()).collect();
        v.par_extend((0..1000).into_par_iter().with_max_len(3).map(maker(c)));
    });
    expect_boom(|c| {
        let mut v = Vec::new();
        (0..1000)
            .into_par_iter()
            .map(maker(c))
            .collect_into_vec(&mut v);
    });
    expect_boom(|c| {
        drop(
            (0..1000)
                .into_par_iter()
                .map(maker(c))
                .collect::<LinkedList<_>>(),
        )
    });
    expect_boom(|c| {
        drop(
            (0..1000)
                .into_par_iter()
                .filter(|_| true)
                .map(maker(c))
                .collect::<VecDeque<_>>(),
        )
    });
    expect_boom(|c| drop((0..1000).into_par_iter().map(maker(c)).collect_vec_list()));
    expect_boom(|c| {
        drop(
            (0..1000)
                .into_par_iter()
                .map(|i| Some(maker(c)(i)))
                .collect::<Option<Vec<_>>>(),
        )
    });
    expect_boom(|c| {
        drop(
            (0..1000)
                .into_par_iter()
                .map(|i| Ok::<_, ()>(maker(c)(i)))
                .collect::<Result<Vec<_>, _>>(),
        )
    });
}

#[test]
fn panic_during_unzip_drops_each_item_once() {
    fn pair(c: &Counts, i: usize) -> (Tracked<'_>, Tracked<'_>) {
        (maker(c)(i), c.make())
    }

    expect_boom(|c| {
        let (mut a, mut b) = (vec![c.make()], vec![c.make()]);
        (0..1000)
            .into_par_iter()
            .map(|i| pair(c, i))
            .unzip_into_vecs(&mut a, &mut b);
    });
    expect_boom(|c| {
        let _: (Vec<_>, Vec<_>) = (0..1000).into_par_iter().map(|i| pair(c, i)).unzip();
    });
    expect_boom(|c| {
        let _: (Vec<_>, LinkedList<_>) = (0..1000)
            .into_par_iter()
            .filter(|_| true)
            .map(|i| pair(c, i))
            .unzip();
    });
    expect_boom(|c| {
        let _: (Vec<_>, Vec<_>) = (0..1000)
            .into_par_iter()
            .map(maker(c))
            .partition(|_| rand_bit());
    });
    expect_boom(|c| {
        let _: (Vec<_>, Vec<_>) = (0..1000).into_par_iter().partition_map(|i| {
            if i % 2 == 0 {
                Either::Left(maker(c)(i))
            } else {
                Either::Right(c.make())
            }
        });
    });
}

/// A cheap pseudo-random bit, so that partitions are uneven.
fn rand_bit() -> bool {
    static STATE: AtomicUsize = AtomicUsize::new(12345);
    let next = STATE
        .fetch_add(0x9E37_79B9, Ordering::Relaxed)
        .wrapping_mul(0x2545_F491);
    next & 0x100 != 0
}

#[test]
fn unzip_into_vecs_reuses_the_vectors_memory() {
    let mut left: Vec<u32> = Vec::with_capacity(4096);
    let mut right: Vec<u32> = Vec::with_capacity(4096);
    left.push(1);
    let (left_ptr, right_ptr) = (left.as_ptr(), right.as_ptr());
    (0..4096u32)
        .into_par_iter()
        .map(|x| (x, x + 1))
        .unzip_into_vecs(&mut left, &mut right);
    assert_eq!((left.as_ptr(), right.as_ptr()), (left_ptr, right_ptr));
    assert_eq!(left, (0..4096).collect::<Vec<_>>());
    assert_eq!(right, (1..4097).collect::<Vec<_>>());
}

/// Every collect and extend target of Rayon's API, with its exact bounds: a hasher without
/// `Default` is enough to extend a map or set, `Default` is needed to collect one.
#[test]
fn every_target_exists() {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, RandomState};

    struct NoDefault(RandomState);
    impl BuildHasher for NoDefault {
        type Hasher = DefaultHasher;
        fn build_hasher(&self) -> DefaultHasher {
            self.0.build_hasher()
        }
    }

    fn from<T: Send, C: FromParallelIterator<T>>() {}
    fn extend<T: Send, C: ParallelExtend<T>>() {}
    type Hasher = BuildHasherDefault<DefaultHasher>;

    from::<u8, Vec<u8>>();
    from::<u8, Box<[u8]>>();
    from::<u8, Rc<[u8]>>();
    from::<u8, Arc<[u8]>>();
    from::<u8, VecDeque<u8>>();
    from::<u8, BinaryHeap<u8>>();
    from::<u8, LinkedList<u8>>();
    from::<(u8, i8), HashMap<u8, i8, Hasher>>();
    from::<(u8, i8), BTreeMap<u8, i8>>();
    from::<u8, HashSet<u8, Hasher>>();
    from::<u8, BTreeSet<u8>>();
    from::<char, String>();
    from::<char, Box<str>>();
    from::<&char, String>();
    from::<&char, Box<str>>();
    from::<&str, String>();
    from::<&str, Box<str>>();
    from::<Cow<'_, str>, String>();
    from::<Cow<'_, str>, Box<str>>();
    from::<Box<str>, String>();
    from::<Box<str>, Box<str>>();
    from::<String, String>();
    from::<String, Box<str>>();
    from::<&OsStr, OsString>();
    from::<OsString, OsString>();
    from::<Cow<'_, OsStr>, OsString>();
    from::<u8, Cow<'_, [u8]>>();
    from::<&OsStr, Cow<'_, OsStr>>();
    from::<(), ()>();
    from::<(u8, char), (Vec<u8>, String)>();
    from::<Either<u8, char>, (Vec<u8>, String)>();
    from::<Option<u8>, Option<Vec<u8>>>();
    from::<Result<u8, String>, Result<Vec<u8>, String>>();

    extend::<u8, BinaryHeap<u8>>();
    extend::<&u8, BinaryHeap<u8>>();
    extend::<(u8, i8), BTreeMap<u8, i8>>();
    extend::<(&u8, &i8), BTreeMap<u8, i8>>();
    extend::<u8, BTreeSet<u8>>();
    extend::<&u8, BTreeSet<u8>>();
    extend::<(u8, i8), HashMap<u8, i8, NoDefault>>();
    extend::<(&u8, &i8), HashMap<u8, i8, NoDefault>>();
    extend::<u8, HashSet<u8, NoDefault>>();
    extend::<&u8, HashSet<u8, NoDefault>>();
    extend::<u8, LinkedList<u8>>();
    extend::<&u8, LinkedList<u8>>();
    extend::<&OsStr, OsString>();
    extend::<OsString, OsString>();
    extend::<Cow<'_, OsStr>, OsString>();
    extend::<char, String>();
    extend::<&char, String>();
    extend::<&str, String>();
    extend::<String, String>();
    extend::<Box<str>, String>();
    extend::<Cow<'_, str>, String>();
    extend::<u8, VecDeque<u8>>();
    extend::<&u8, VecDeque<u8>>();
    extend::<u8, Vec<u8>>();
    extend::<&u8, Vec<u8>>();
    extend::<(), ()>();
    extend::<(u8, char), (Vec<u8>, String)>();
    extend::<Either<u8, char>, (Vec<u8>, String)>();
    extend::<u8, Either<Vec<u8>, BTreeSet<u8>>>();
}

/// An indexed iterator over `0..real` that reports `claimed` items: a buggy user iterator.
struct WrongLength {
    real: i32,
    claimed: usize,
}

impl ParallelIterator for WrongLength {
    type Item = i32;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: veda::iter::plumbing::UnindexedConsumer<i32>,
    {
        veda::iter::plumbing::bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.claimed)
    }
}

impl IndexedParallelIterator for WrongLength {
    fn drive<C: veda::iter::plumbing::Consumer<i32>>(self, consumer: C) -> C::Result {
        veda::iter::plumbing::bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.claimed
    }

    fn with_producer<CB: veda::iter::plumbing::ProducerCallback<i32>>(
        self,
        callback: CB,
    ) -> CB::Output {
        (0..self.real).into_par_iter().with_producer(callback)
    }
}

fn panic_text(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    common::panic_message(&*payload)
        .unwrap_or_default()
        .to_owned()
}

/// Collecting an iterator whose `len` is wrong panics with Rayon's messages: "too many values
/// pushed to consumer" when it yields more, "expected N total writes, but got M" when fewer.
#[test]
fn wrong_lengths_panic_with_rayons_messages() {
    pool(1).install(|| {
        let too_many = || {
            drop(
                WrongLength {
                    real: 3,
                    claimed: 2,
                }
                .collect::<Vec<_>>(),
            )
        };
        assert_eq!(panic_text(too_many), "too many values pushed to consumer");
        let too_few = || {
            drop(
                WrongLength {
                    real: 3,
                    claimed: 4,
                }
                .collect::<Vec<_>>(),
            )
        };
        assert_eq!(panic_text(too_few), "expected 4 total writes, but got 3");
    });
}

/// A collection whose `par_extend` drops its iterator unused.
#[derive(Default)]
struct IgnoresItems;

impl ParallelExtend<i32> for IgnoresItems {
    fn par_extend<I: IntoParallelIterator<Item = i32>>(&mut self, _items: I) {}
}

/// As in Rayon, `unzip` panics with "unzip consumers didn't execute!" when the second
/// collection's `par_extend` never drives its iterator; when the first one does not, nothing
/// runs at all.
#[test]
fn unzip_into_a_collection_that_ignores_its_items() {
    let pairs = || (0..4).into_par_iter().map(|x| (x, x));
    let second_ignores = || drop(pairs().unzip::<i32, i32, Vec<i32>, IgnoresItems>());
    assert_eq!(
        panic_text(second_ignores),
        "unzip consumers didn't execute!"
    );
    let (_, second): (IgnoresItems, Vec<i32>) = pairs().unzip();
    assert!(second.is_empty());
}
