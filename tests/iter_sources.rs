//! Equivalence of veda's parallel sources over std types with their sequential twins:
//! `Option`, `Result`, arrays, boxed slices, std's collections, inclusive and character
//! ranges, and the draining iterators (including what they leave behind after a panic).

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ops::Bound::{self, Excluded, Included, Unbounded};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::prelude::*;

fn pool(threads: usize) -> veda::ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("failed to build a thread pool")
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

/// Collects an indexed iterator with random split limits, after checking its length.
fn collect_indexed<I>(iter: I, min: usize, max: usize, expected_len: usize) -> Vec<I::Item>
where
    I: IndexedParallelIterator,
{
    assert_eq!(iter.len(), expected_len);
    assert_eq!(iter.opt_len(), Some(expected_len));
    iter.with_min_len(min).with_max_len(max).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn option_and_result(value in proptest::option::of(any::<i32>()), threads in 1usize..=4) {
        pool(threads).install(|| {
            let expected: Vec<i32> = value.into_iter().collect();
            let mut opt = value;
            assert_eq!(collect_indexed(opt.into_par_iter(), 1, 2, expected.len()), expected);
            assert_eq!(opt.par_iter().copied().collect::<Vec<_>>(), expected);
            opt.par_iter_mut().for_each(|v| *v = v.wrapping_add(1));
            assert_eq!(opt, value.map(|v| v.wrapping_add(1)));

            let mut res: Result<i32, String> = value.ok_or_else(|| "none".to_string());
            assert_eq!(collect_indexed(res.par_iter().copied(), 1, 2, expected.len()), expected);
            res.par_iter_mut().for_each(|v| *v = 7);
            assert_eq!(res.clone().ok(), value.map(|_| 7));
            assert_eq!(res.into_par_iter().count(), expected.len());
        });
    }

    #[test]
    fn arrays_and_boxed_slices(
        items in proptest::collection::vec(any::<u16>(), 0..300),
        min in 1usize..8,
        max in 1usize..64,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            let array: [u16; 17] = std::array::from_fn(|i| items.get(i).copied().unwrap_or(i as u16));
            prop_assert_eq!(collect_indexed(array.into_par_iter(), min, max, 17), array.to_vec());
            let strings: [String; 5] = std::array::from_fn(|i| i.to_string());
            let lens: Vec<usize> = strings.clone().into_par_iter().map(|s| s.len()).collect();
            prop_assert_eq!(lens, vec![1; 5]);

            let boxed: Box<[u16]> = items.clone().into_boxed_slice();
            prop_assert_eq!(boxed.par_iter().copied().collect::<Vec<_>>(), items.clone());
            let mut boxed = boxed;
            prop_assert_eq!(IntoParallelIterator::into_par_iter(&boxed).len(), items.len());
            prop_assert_eq!(IntoParallelIterator::into_par_iter(&mut boxed).len(), items.len());
            boxed.par_iter_mut().for_each(|x| *x = x.wrapping_mul(3));
            let tripled: Vec<u16> = items.iter().map(|x| x.wrapping_mul(3)).collect();
            prop_assert_eq!(collect_indexed(boxed.into_par_iter(), min, max, items.len()), tripled);
            Ok(())
        })?;
    }

    #[test]
    fn ordered_collections(
        items in proptest::collection::vec(any::<i16>(), 0..300),
        min in 1usize..8,
        max in 1usize..64,
        front in 0usize..40,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            // A deque whose items wrap around its buffer, so both slices are used.
            let mut deque: VecDeque<i16> = items.iter().copied().collect();
            for i in 0..front {
                deque.push_front(i as i16);
            }
            let expected: Vec<i16> = deque.iter().copied().collect();
            prop_assert_eq!(
                collect_indexed(deque.par_iter().copied(), min, max, expected.len()),
                expected.clone()
            );
            deque.par_iter_mut().for_each(|x| *x = x.wrapping_add(1));
            let bumped: Vec<i16> = expected.iter().map(|x| x.wrapping_add(1)).collect();
            prop_assert_eq!(collect_indexed(deque.into_par_iter(), min, max, bumped.len()), bumped);

            let tree: BTreeSet<i16> = items.iter().copied().collect();
            prop_assert_eq!(tree.par_iter().copied().collect::<Vec<_>>(), tree.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(tree.par_iter().opt_len(), Some(tree.len()));
            prop_assert_eq!(tree.clone().into_par_iter().collect::<Vec<_>>(), tree.into_iter().collect::<Vec<_>>());

            let mut map: BTreeMap<i16, usize> = items.iter().enumerate().map(|(i, &k)| (k, i)).collect();
            let pairs: Vec<(i16, usize)> = map.iter().map(|(&k, &v)| (k, v)).collect();
            prop_assert_eq!(map.par_iter().map(|(&k, &v)| (k, v)).collect::<Vec<_>>(), pairs.clone());
            map.par_iter_mut().for_each(|(_, v)| *v += 1);
            let bumped: Vec<(i16, usize)> = pairs.iter().map(|&(k, v)| (k, v + 1)).collect();
            prop_assert_eq!(map.into_par_iter().collect::<Vec<_>>(), bumped);

            let mut list: LinkedList<i16> = items.iter().copied().collect();
            prop_assert_eq!(list.par_iter().copied().collect::<Vec<_>>(), items.clone());
            list.par_iter_mut().for_each(|x| *x = x.wrapping_neg());
            let negated: Vec<i16> = items.iter().map(|x| x.wrapping_neg()).collect();
            prop_assert_eq!(list.into_par_iter().collect::<Vec<_>>(), negated);

            let heap: BinaryHeap<i16> = items.iter().copied().collect();
            prop_assert_eq!(
                sorted(collect_indexed(heap.par_iter().copied(), min, max, items.len())),
                sorted(items.clone())
            );
            prop_assert_eq!(
                sorted(collect_indexed(heap.into_par_iter(), min, max, items.len())),
                sorted(items.clone())
            );
            Ok(())
        })?;
    }

    #[test]
    fn hash_collections(items in proptest::collection::vec(any::<u8>(), 0..300), threads in 1usize..=4) {
        pool(threads).install(|| {
            let mut map: HashMap<u8, u32> = items.iter().map(|&k| (k, u32::from(k) * 2)).collect();
            let expected = sorted(map.iter().map(|(&k, &v)| (k, v)).collect());
            prop_assert_eq!(sorted(map.par_iter().map(|(&k, &v)| (k, v)).collect()), expected.clone());
            map.par_iter_mut().for_each(|(_, v)| *v += 1);
            let bumped: Vec<(u8, u32)> = expected.iter().map(|&(k, v)| (k, v + 1)).collect();
            prop_assert_eq!(sorted(map.clone().into_par_iter().collect()), bumped.clone());
            prop_assert_eq!(sorted(map.par_drain().collect()), bumped);
            prop_assert!(map.is_empty());

            let mut set: HashSet<u8> = items.iter().copied().collect();
            let expected = sorted(set.iter().copied().collect());
            prop_assert_eq!(sorted(set.par_iter().copied().collect()), expected.clone());
            prop_assert_eq!(sorted(set.clone().into_par_iter().collect()), expected.clone());
            prop_assert_eq!(sorted(set.par_drain().collect()), expected);
            prop_assert!(set.is_empty());
            Ok(())
        })?;
    }

    #[test]
    fn inclusive_ranges(start in any::<i16>(), span in 0u16..600, threads in 1usize..=4) {
        pool(threads).install(|| {
            let end = start.saturating_add(span as i16);
            let expected: Vec<i16> = (start..=end).collect();
            prop_assert_eq!(collect_indexed((start..=end).into_par_iter(), 1, 64, expected.len()), expected.clone());
            // Wide types are not indexed, but know their length when it fits.
            let wide: Vec<i64> = expected.iter().map(|&x| i64::from(x)).collect();
            let iter = (i64::from(start)..=i64::from(end)).into_par_iter();
            prop_assert_eq!(iter.opt_len(), Some(wide.len()));
            prop_assert_eq!(iter.collect::<Vec<_>>(), wide);
            let top: Vec<u32> = (u32::MAX - u32::from(span)..=u32::MAX).collect();
            prop_assert_eq!((u32::MAX - u32::from(span)..=u32::MAX).into_par_iter().collect::<Vec<_>>(), top);
            let low = i8::MIN.wrapping_add(span as i8);
            prop_assert_eq!(
                (low..=i8::MAX).into_par_iter().collect::<Vec<_>>(),
                (low..=i8::MAX).collect::<Vec<_>>()
            );
            Ok(())
        })?;
    }

    #[test]
    fn char_ranges(a in any::<char>(), b in any::<char>(), shift in 0u32..3000, threads in 1usize..=4) {
        pool(threads).install(|| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            // Keep the ranges short, but sometimes around the surrogates.
            let lo = if shift % 2 == 0 { lo } else { char::from_u32(0xD7FF - shift % 0x100).unwrap() };
            let hi = char::from_u32(u32::from(lo) + shift).filter(|&c| c <= hi).unwrap_or(hi);
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            let expected: Vec<char> = (lo..hi).collect();
            prop_assert_eq!(collect_indexed((lo..hi).into_par_iter(), 1, 64, expected.len()), expected);
            let expected: Vec<char> = (lo..=hi).collect();
            prop_assert_eq!(collect_indexed((lo..=hi).into_par_iter(), 1, 64, expected.len()), expected);
            let backwards: Vec<char> = (hi..lo).into_par_iter().collect();
            prop_assert_eq!(backwards.len(), 0);
            Ok(())
        })?;
    }

    #[test]
    fn vec_drain(
        items in proptest::collection::vec(any::<u32>(), 0..300),
        a in 0usize..300,
        b in 0usize..300,
        min in 1usize..8,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            let len = items.len();
            let (start, end) = (a.min(b).min(len), a.max(b).min(len));
            let mut par = items.clone();
            let mut seq = items.clone();
            let drained = collect_indexed(par.par_drain(start..end), min, usize::MAX, end - start);
            prop_assert_eq!(drained, seq.drain(start..end).collect::<Vec<_>>());
            prop_assert_eq!(par, seq);

            let mut deque: VecDeque<u32> = items.iter().copied().collect();
            let mut seq: VecDeque<u32> = items.iter().copied().collect();
            // Inclusive bounds, when the range is not empty.
            let drained = if start < end {
                collect_indexed(deque.par_drain(start..=end - 1), min, 64, end - start)
            } else {
                collect_indexed(deque.par_drain(start..), min, 64, len - start)
            };
            let expected: Vec<u32> = if start < end {
                seq.drain(start..=end - 1).collect()
            } else {
                seq.drain(start..).collect()
            };
            prop_assert_eq!(drained, expected);
            prop_assert_eq!(deque, seq);
            Ok(())
        })?;
    }

    #[test]
    fn heap_drain(items in proptest::collection::vec(any::<u32>(), 0..200), threads in 1usize..=4) {
        pool(threads).install(|| {
            let mut heap: BinaryHeap<u32> = items.iter().copied().collect();
            let drained = sorted(collect_indexed(heap.par_drain(), 1, 64, items.len()));
            prop_assert_eq!(drained, sorted(items.clone()));
            prop_assert!(heap.is_empty());
            Ok(())
        })?;
    }

    #[test]
    fn string_drain(text in "\\PC{0,60}", a in 0usize..80, b in 0usize..80, threads in 1usize..=4) {
        pool(threads).install(|| {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = bounds[a % bounds.len()];
            let end = bounds[b % bounds.len()];
            let (start, end) = (start.min(end), start.max(end));
            let mut par = text.clone();
            let mut seq = text.clone();
            let drained: Vec<char> = par.par_drain(start..end).collect();
            prop_assert_eq!(drained, seq.drain(start..end).collect::<Vec<_>>());
            prop_assert_eq!(par, seq);
            Ok(())
        })?;
    }
}

#[test]
fn unused_drains_still_remove_their_range() {
    let mut vec: Vec<u32> = (0..10).collect();
    drop(vec.par_drain(2..5));
    assert_eq!(vec, [0, 1, 5, 6, 7, 8, 9]);
    drop(vec.par_drain(7..));
    assert_eq!(vec.len(), 7);

    let mut deque: VecDeque<u32> = (0..10).collect();
    drop(deque.par_drain(..3));
    assert_eq!(deque, (3..10).collect::<VecDeque<_>>());

    let mut text = String::from("hello world");
    drop(text.par_drain(5..));
    assert_eq!(text, "hello");

    let mut heap: BinaryHeap<u32> = (0..10).collect();
    drop(heap.par_drain());
    assert!(heap.is_empty());
}

#[test]
fn drain_that_stops_early_still_removes_its_range() {
    pool(2).install(|| {
        let mut vec: Vec<u32> = (0..1000).collect();
        let zipped: Vec<(u32, u32)> = vec.par_drain(100..900).zip(0..10u32).collect();
        assert_eq!(zipped.len(), 10);
        assert_eq!(zipped[0], (100, 0));
        assert_eq!(vec.len(), 200);
        assert!(vec.iter().copied().eq((0..100).chain(900..1000)));
    });
}

/// The message of the panic that `f` raises; fails the test if it returns.
fn panic_text<R>(f: impl FnOnce() -> R) -> String {
    let payload = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => payload,
    };
    let text = payload.downcast_ref::<&str>().map(|s| s.to_string());
    text.or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Bad drain ranges panic in `par_drain` itself, with Rayon's messages, checked in Rayon's
/// order (start past the length, end past the length, start after end), for `Vec`,
/// `VecDeque` and `String` alike.
#[test]
fn bad_drain_ranges_panic_with_rayons_messages() {
    let cases: [(Bound<usize>, Bound<usize>, &str); 7] = [
        (
            Included(4),
            Unbounded,
            "range start Included(4) should be <= length 3",
        ),
        (
            Excluded(3),
            Unbounded,
            "range start Excluded(3) should be <= length 3",
        ),
        (
            Excluded(usize::MAX),
            Unbounded,
            "range start Excluded(18446744073709551615) should be <= length 3",
        ),
        (
            Unbounded,
            Excluded(4),
            "range end Excluded(4) should be <= length 3",
        ),
        (
            Unbounded,
            Included(3),
            "range end Included(3) should be <= length 3",
        ),
        (
            Included(5),
            Excluded(9),
            "range start Included(5) should be <= length 3",
        ),
        (
            Included(2),
            Excluded(1),
            "range start Included(2) should be <= range end Excluded(1)",
        ),
    ];
    for (start, end, expected) in cases {
        let mut vec = vec![1, 2, 3];
        assert_eq!(panic_text(|| vec.par_drain((start, end)).count()), expected);
        assert_eq!(vec, [1, 2, 3]);
        let mut deque: VecDeque<i32> = (1..4).collect();
        assert_eq!(
            panic_text(|| deque.par_drain((start, end)).count()),
            expected
        );
        let mut text = String::from("abc");
        assert_eq!(
            panic_text(|| text.par_drain((start, end)).count()),
            expected
        );
    }
    // Both ends may sit at the length; a start just past an included end is an empty range.
    let mut vec = vec![1, 2, 3];
    assert_eq!(
        vec.par_drain((Excluded(1), Excluded(3)))
            .collect::<Vec<_>>(),
        [3]
    );
    assert_eq!(vec.par_drain(2..2).count(), 0);
    assert_eq!(vec.par_drain((Excluded(1), Included(1))).count(), 0);
    assert_eq!(vec, [1, 2]);
}

/// Rayon's `String::par_drain` accepts a range that cuts a character; it panics only once
/// used: when driven (slicing the string), or when dropped unused (draining it).
#[test]
fn string_drain_inside_a_character_panics_on_use() {
    let mut text = String::from("é");
    let drained = text.par_drain(1..);
    let message = panic_text(|| drained.count());
    assert!(message.contains("not a char boundary"), "{message}");
    assert_eq!(text, "é");

    let mut text = String::from("é");
    let drained = text.par_drain(..1);
    let message = panic_text(move || drop(drained));
    assert!(message.contains("is_char_boundary"), "{message}");
}

/// Counts live instances, to catch leaks and double drops.
struct Counted<'a> {
    live: &'a AtomicUsize,
    value: usize,
}

impl<'a> Counted<'a> {
    fn new(live: &'a AtomicUsize, value: usize) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        Counted { live, value }
    }
}

impl PartialEq for Counted<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Counted<'_> {}

impl PartialOrd for Counted<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Counted<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn vec_drain_panic_leaks_nothing_and_removes_the_range() {
    for threads in 1..=4 {
        let live = AtomicUsize::new(0);
        let mut vec: Vec<Counted<'_>> = (0..1000).map(|i| Counted::new(&live, i)).collect();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            pool(threads).install(|| {
                vec.par_drain(200..800).for_each(|item| {
                    if item.value == 500 {
                        panic!("boom");
                    }
                })
            })
        }));
        assert!(result.is_err());
        assert_eq!(vec.len(), 400);
        assert!(vec.iter().map(|c| c.value).eq((0..200).chain(800..1000)));
        assert_eq!(live.load(Ordering::SeqCst), 400);
        drop(vec);
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn owning_sources_drop_everything_once_after_a_panic() {
    let live = AtomicUsize::new(0);
    let make = |n: usize| (0..n).map(|i| Counted::new(&live, i)).collect::<Vec<_>>();
    let boom = |item: Counted<'_>| {
        if item.value == 37 {
            panic!("boom");
        }
    };
    pool(3).install(|| {
        let deque: VecDeque<Counted<'_>> = make(100).into();
        assert!(
            panic::catch_unwind(AssertUnwindSafe(|| deque.into_par_iter().for_each(boom))).is_err()
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);

        let mut deque: VecDeque<Counted<'_>> = make(100).into();
        let drained =
            panic::catch_unwind(AssertUnwindSafe(|| deque.par_drain(10..90).for_each(boom)));
        assert!(drained.is_err());
        assert_eq!(deque.len(), 20);
        drop(deque);
        assert_eq!(live.load(Ordering::SeqCst), 0);

        let array: [Counted<'_>; 64] = make(64).try_into().unwrap_or_else(|_| unreachable!());
        assert!(
            panic::catch_unwind(AssertUnwindSafe(|| array.into_par_iter().for_each(boom))).is_err()
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);

        let list: LinkedList<Counted<'_>> = make(100).into_iter().collect();
        assert!(
            panic::catch_unwind(AssertUnwindSafe(|| list.into_par_iter().for_each(boom))).is_err()
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);

        let mut heap: BinaryHeap<Counted<'_>> = make(100).into();
        let drained = panic::catch_unwind(AssertUnwindSafe(|| heap.par_drain().for_each(boom)));
        assert!(drained.is_err());
        assert!(heap.is_empty());
        assert_eq!(live.load(Ordering::SeqCst), 0);

        let mut text = String::from("abcdéfgh");
        let drained = panic::catch_unwind(AssertUnwindSafe(|| {
            text.par_drain(2..7).for_each(|c| assert_ne!(c, 'é'))
        }));
        assert!(drained.is_err());
        assert_eq!(text, "abgh");

        let boxed: Box<[Counted<'_>]> = make(100).into_boxed_slice();
        assert!(
            panic::catch_unwind(AssertUnwindSafe(|| boxed.into_par_iter().for_each(boom))).is_err()
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn full_width_inclusive_ranges() {
    assert_eq!((u8::MIN..=u8::MAX).into_par_iter().len(), 256);
    assert_eq!((i16::MIN..=i16::MAX).into_par_iter().len(), 65_536);
    assert_eq!(
        (i16::MIN..=i16::MAX)
            .into_par_iter()
            .map(i64::from)
            .sum::<i64>(),
        -32_768
    );
    assert_eq!(
        (u32::MIN..=u32::MAX).into_par_iter().opt_len(),
        usize::try_from(1u64 << 32).ok()
    );
    assert_eq!((u64::MIN..=u64::MAX).into_par_iter().opt_len(), None);
    assert_eq!((i128::MIN..=i128::MAX).into_par_iter().opt_len(), None);
    // Only the ends of a range too long to walk.
    let ends: Vec<u64> = (u64::MAX - 3..=u64::MAX).into_par_iter().collect();
    assert_eq!(ends, [u64::MAX - 3, u64::MAX - 2, u64::MAX - 1, u64::MAX]);
    let mut exhausted = 3..=5u64;
    exhausted.by_ref().for_each(drop);
    assert_eq!(exhausted.clone().into_par_iter().count(), 0);
    assert_eq!(exhausted.into_par_iter().opt_len(), Some(0));
    let chars = ('\u{D7FF}'..='\u{E000}').into_par_iter();
    assert_eq!(chars.len(), 2);
    assert_eq!(chars.collect::<Vec<_>>(), ['\u{D7FF}', '\u{E000}']);
    assert_eq!(
        (char::MIN..=char::MAX).into_par_iter().len(),
        (char::MIN..=char::MAX).count()
    );
}

fn clone_and_debug<T: Clone + std::fmt::Debug>(_: &T) {}
fn debug<T: std::fmt::Debug>(_: &T) {}

#[test]
fn clone_and_debug_impls() {
    let (vec, deque) = (vec![1u8], VecDeque::from([1u8]));
    let (heap, list) = (BinaryHeap::from([1u8]), LinkedList::from([1u8]));
    let (bset, hset) = (BTreeSet::from([1u8]), HashSet::from([1u8]));
    let (bmap, hmap) = (BTreeMap::from([(1u8, 2u8)]), HashMap::from([(1u8, 2u8)]));
    clone_and_debug(&vec.clone().into_par_iter());
    clone_and_debug(&deque.clone().into_par_iter());
    clone_and_debug(&deque.par_iter());
    clone_and_debug(&heap.clone().into_par_iter());
    clone_and_debug(&heap.par_iter());
    clone_and_debug(&list.clone().into_par_iter());
    clone_and_debug(&list.par_iter());
    clone_and_debug(&bset.par_iter());
    clone_and_debug(&hset.par_iter());
    clone_and_debug(&bmap.par_iter());
    clone_and_debug(&hmap.par_iter());
    clone_and_debug(&Some(1).into_par_iter());
    clone_and_debug(&Some(1).par_iter());
    clone_and_debug(&Ok::<u8, ()>(1).into_par_iter());
    clone_and_debug(&Ok::<u8, ()>(1).par_iter());
    clone_and_debug(&[1u8; 3].into_par_iter());
    clone_and_debug(&(1..=3u64).into_par_iter());
    clone_and_debug(&('a'..'c').into_par_iter());
    debug(&bset.into_par_iter());
    debug(&hset.clone().into_par_iter());
    debug(&bmap.clone().into_par_iter());
    debug(&hmap.clone().into_par_iter());
    let (mut deque, mut list, mut bmap, mut hmap) = (deque, list, bmap, hmap);
    debug(&deque.par_iter_mut());
    debug(&list.par_iter_mut());
    debug(&bmap.par_iter_mut());
    debug(&hmap.par_iter_mut());
    let (mut opt, mut res) = (Some(1u8), Ok::<u8, ()>(1));
    debug(&opt.par_iter_mut());
    debug(&res.par_iter_mut());
    let (mut vec, mut text, mut heap, mut hset) = (vec, String::from("ab"), heap, hset);
    debug(&vec.par_drain(..));
    debug(&deque.par_drain(..));
    debug(&text.par_drain(..));
    debug(&heap.par_drain());
    debug(&hmap.par_drain());
    debug(&hset.par_drain());
}

#[test]
#[cfg(target_pointer_width = "64")]
fn inclusive_range_lengths_at_the_limits() {
    assert_eq!(
        (0..=u32::MAX - 1).into_par_iter().opt_len(),
        Some(u32::MAX as usize)
    );
    assert_eq!(
        (0..=u32::MAX).into_par_iter().opt_len(),
        Some(u32::MAX as usize + 1)
    );
    assert_eq!(
        (0..=usize::MAX as u64 - 1).into_par_iter().opt_len(),
        Some(usize::MAX)
    );
    assert_eq!((0..=usize::MAX as u64).into_par_iter().opt_len(), None);
    assert_eq!(
        (0..=usize::MAX as u128 - 1).into_par_iter().opt_len(),
        Some(usize::MAX)
    );
    assert_eq!((0..=usize::MAX as u128).into_par_iter().opt_len(), None);
    assert_eq!(
        (-2..=i64::MAX).into_par_iter().opt_len(),
        Some(i64::MAX as usize + 3)
    );
    assert_eq!((isize::MIN..=isize::MAX).into_par_iter().opt_len(), None);
    // A length that fits but whose offsets pass i64::MAX: only count a short tail.
    let tail: Vec<i64> = (i64::MAX - 2..=i64::MAX).into_par_iter().collect();
    assert_eq!(tail, [i64::MAX - 2, i64::MAX - 1, i64::MAX]);
}

#[test]
fn inclusive_range_item_type_is_inferred() {
    fn is_even(n: i64) -> bool {
        n % 2 == 0
    }
    let evens: Vec<_> = (1..=100).into_par_iter().filter(|&x| is_even(x)).collect();
    assert!(evens.into_iter().eq((2..=100).step_by(2)));
    let pairs: Vec<_> = (0..=100).into_par_iter().zip(0..=100).collect();
    assert!(pairs.iter().all(|&(a, b)| i16::eq(&a, &b)));
    assert_eq!(pairs.len(), 101);
}
