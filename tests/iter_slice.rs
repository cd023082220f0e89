//! Behaviour of `ParallelSlice` / `ParallelSliceMut` iterators: equivalence with std's
//! sequential slice iterators on random inputs, pools and split limits; lengths of the
//! indexed ones; remainders; panics on bad arguments; and `Clone`/`Debug`.

mod common;

use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::prelude::*;

/// Small values, so that separators and runs are frequent.
fn small_vec(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(0u8..6, 0..max_len)
}

/// Runs `f` in a pool of `threads` threads.
fn in_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    common::pool(threads).install(f)
}

/// Collects an indexed iterator after applying random split limits, and checks its
/// `len()`/`opt_len()` against `expected`.
fn collect_limited<I>(iter: I, min: usize, max: usize, expected: usize) -> Vec<I::Item>
where
    I: IndexedParallelIterator,
{
    assert_eq!(iter.len(), expected);
    assert_eq!(iter.opt_len(), Some(expected));
    iter.with_min_len(min).with_max_len(max).collect()
}

/// Reverses every mutable piece and records its contents (after reversal), so that a test
/// sees both the pieces and that they really are mutable views of the slice.
fn reverse_and_record(piece: &mut [u8]) -> Vec<u8> {
    piece.reverse();
    piece.to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chunks_match_std(
        v in small_vec(300), size in 1usize..12, threads in 1usize..5,
        min in 1usize..4, max in 1usize..40,
    ) {
        in_pool(threads, || {
            let expected: Vec<&[u8]> = v.chunks(size).collect();
            let got = collect_limited(v.par_chunks(size), min, max, expected.len());
            assert_eq!(got, expected);

            let expected: Vec<&[u8]> = v.chunks_exact(size).collect();
            let exact = v.par_chunks_exact(size);
            assert_eq!(exact.remainder(), v.chunks_exact(size).remainder());
            assert_eq!(collect_limited(exact, min, max, expected.len()), expected);

            let expected: Vec<&[u8]> = v.rchunks(size).collect();
            assert_eq!(collect_limited(v.par_rchunks(size), min, max, expected.len()), expected);

            let expected: Vec<&[u8]> = v.rchunks_exact(size).collect();
            let exact = v.par_rchunks_exact(size);
            assert_eq!(exact.remainder(), v.rchunks_exact(size).remainder());
            assert_eq!(collect_limited(exact, min, max, expected.len()), expected);
        });
    }

    #[test]
    fn chunks_mut_match_std(
        v in small_vec(300), size in 1usize..12, threads in 1usize..5,
        min in 1usize..4, max in 1usize..40,
    ) {
        in_pool(threads, || {
            let mut seq = v.clone();
            let mut par = v.clone();
            let expected: Vec<Vec<u8>> = seq.chunks_mut(size).map(reverse_and_record).collect();
            let iter = par.par_chunks_mut(size).map(reverse_and_record);
            assert_eq!(collect_limited(iter, min, max, expected.len()), expected);
            assert_eq!(par, seq);

            let expected: Vec<Vec<u8>> =
                seq.rchunks_mut(size).map(reverse_and_record).collect();
            let iter = par.par_rchunks_mut(size).map(reverse_and_record);
            assert_eq!(collect_limited(iter, min, max, expected.len()), expected);
            assert_eq!(par, seq);

            let mut seq_iter = seq.chunks_exact_mut(size);
            let expected: Vec<Vec<u8>> = seq_iter.by_ref().map(reverse_and_record).collect();
            seq_iter.into_remainder().fill(9);
            let mut exact = par.par_chunks_exact_mut(size);
            exact.take_remainder().fill(9);
            assert!(exact.remainder().is_empty());
            let iter = exact.map(reverse_and_record);
            assert_eq!(collect_limited(iter, min, max, expected.len()), expected);
            assert_eq!(par, seq);

            let mut seq_iter = seq.rchunks_exact_mut(size);
            let expected: Vec<Vec<u8>> = seq_iter.by_ref().map(reverse_and_record).collect();
            seq_iter.into_remainder().fill(7);
            let mut exact = par.par_rchunks_exact_mut(size);
            exact.remainder().fill(7);
            let iter = exact.map(reverse_and_record);
            assert_eq!(collect_limited(iter, min, max, expected.len()), expected);
            assert_eq!(par, seq);
        });
    }

    #[test]
    fn windows_match_std(
        v in small_vec(200), size in 1usize..8, threads in 1usize..5,
        min in 1usize..4, max in 1usize..40,
    ) {
        in_pool(threads, || {
            let expected: Vec<&[u8]> = v.windows(size).collect();
            assert_eq!(collect_limited(v.par_windows(size), min, max, expected.len()), expected);

            let expected: Vec<&[u8; 3]> = v.windows(3).map(|w| w.try_into().unwrap()).collect();
            let got = collect_limited(v.par_array_windows::<3>(), min, max, expected.len());
            assert_eq!(got, expected);
            let expected: Vec<&[u8; 1]> = v.windows(1).map(|w| w.try_into().unwrap()).collect();
            let got = collect_limited(v.par_array_windows::<1>(), min, max, expected.len());
            assert_eq!(got, expected);
        });
    }

    #[test]
    fn split_matches_std(v in small_vec(400), threads in 1usize..5, sep in 0u8..6) {
        in_pool(threads, || {
            let is_sep = |x: &u8| *x == sep;
            let expected: Vec<&[u8]> = v.split(is_sep).collect();
            assert_eq!(v.par_split(is_sep).collect::<Vec<_>>(), expected);
            let expected: Vec<&[u8]> = v.split_inclusive(is_sep).collect();
            assert_eq!(v.par_split_inclusive(is_sep).collect::<Vec<_>>(), expected);
            // Separators nearly everywhere, and nowhere.
            let not_sep = |x: &u8| *x != sep;
            let expected: Vec<&[u8]> = v.split(not_sep).collect();
            assert_eq!(v.par_split(not_sep).collect::<Vec<_>>(), expected);
            let expected: Vec<&[u8]> = v.split_inclusive(not_sep).collect();
            assert_eq!(v.par_split_inclusive(not_sep).collect::<Vec<_>>(), expected);
            assert_eq!(v.par_split(|_| false).count(), 1);
            assert_eq!(v.par_split_inclusive(|_| false).count(), usize::from(!v.is_empty()));
        });
    }

    #[test]
    fn split_mut_matches_std(v in small_vec(400), threads in 1usize..5, sep in 0u8..6) {
        in_pool(threads, || {
            let is_sep = |x: &u8| *x == sep;
            let mut seq = v.clone();
            let mut par = v.clone();
            let expected: Vec<Vec<u8>> = seq.split_mut(is_sep).map(reverse_and_record).collect();
            let got: Vec<Vec<u8>> = par.par_split_mut(is_sep).map(reverse_and_record).collect();
            assert_eq!(got, expected);
            assert_eq!(par, seq);

            let expected: Vec<Vec<u8>> =
                seq.split_inclusive_mut(is_sep).map(reverse_and_record).collect();
            let got: Vec<Vec<u8>> =
                par.par_split_inclusive_mut(is_sep).map(reverse_and_record).collect();
            assert_eq!(got, expected);
            assert_eq!(par, seq);
        });
    }

    #[test]
    fn chunk_by_matches_std_and_calls_pred_once_per_pair(
        v in small_vec(400), threads in 1usize..5, modulus in 1u8..4,
    ) {
        in_pool(threads, || {
            let calls = AtomicUsize::new(0);
            let pred = |a: &u8, b: &u8| {
                calls.fetch_add(1, Ordering::Relaxed);
                a % modulus == b % modulus
            };
            let expected: Vec<&[u8]> = v.chunk_by(|a, b| a % modulus == b % modulus).collect();
            assert_eq!(v.par_chunk_by(pred).collect::<Vec<_>>(), expected);
            assert_eq!(calls.swap(0, Ordering::Relaxed), v.len().saturating_sub(1));

            let mut seq = v.clone();
            let mut par = v.clone();
            let expected: Vec<Vec<u8>> = seq
                .chunk_by_mut(|a, b| a % modulus == b % modulus)
                .map(reverse_and_record)
                .collect();
            let got: Vec<Vec<u8>> = par.par_chunk_by_mut(pred).map(reverse_and_record).collect();
            assert_eq!(got, expected);
            assert_eq!(par, seq);
            assert_eq!(calls.load(Ordering::Relaxed), v.len().saturating_sub(1));
        });
    }
}

#[test]
fn long_inputs_split_across_threads() {
    let v: Vec<u32> = (0..100_000).map(|i| i * 7 % 1000).collect();
    in_pool(4, || {
        let expected: Vec<&[u32]> = v.split(|x| x % 97 == 0).collect();
        assert_eq!(v.par_split(|x| x % 97 == 0).collect::<Vec<_>>(), expected);
        let expected: Vec<&[u32]> = v.chunk_by(|a, b| a < b).collect();
        assert_eq!(v.par_chunk_by(|a, b| a < b).collect::<Vec<_>>(), expected);
        let total: u64 = v.par_windows(3).map(|w| u64::from(w[0] + w[2])).sum();
        let expected: u64 = v.windows(3).map(|w| u64::from(w[0] + w[2])).sum();
        assert_eq!(total, expected);
    });
}

#[test]
fn works_on_vectors_arrays_and_boxed_slices() {
    let vec = vec![1, 2, 3, 4, 5];
    let array = [1, 2, 3, 4, 5];
    let boxed: Box<[i32]> = vec.clone().into_boxed_slice();
    let expected: Vec<&[i32]> = vec.chunks(2).collect();
    assert_eq!(vec.par_chunks(2).collect::<Vec<_>>(), expected);
    assert_eq!(array.par_chunks(2).collect::<Vec<_>>(), expected);
    assert_eq!(boxed.par_chunks(2).collect::<Vec<_>>(), expected);
    let mut array = array;
    array.par_chunks_mut(2).for_each(|c| c[0] = 0);
    assert_eq!(array, [0, 2, 0, 4, 0]);
}

#[test]
fn zip_and_enumerate_use_the_indexed_producers() {
    let v: Vec<u32> = (0..1000).collect();
    let pairs: Vec<(usize, u32)> = v
        .par_chunks(10)
        .zip(v.par_rchunks(10))
        .map(|(a, b)| a[0] + b[0])
        .enumerate()
        .collect();
    for (i, sum) in pairs {
        assert_eq!(sum as usize, i * 10 + (990 - i * 10));
    }
}

#[test]
fn remainders() {
    let v = [0, 1, 2, 3, 4];
    assert_eq!(v.par_chunks_exact(2).remainder(), &[4]);
    assert_eq!(v.par_rchunks_exact(2).remainder(), &[0]);
    assert_eq!(v.par_chunks_exact(5).remainder(), &[] as &[i32]);
    assert_eq!(v.par_chunks_exact(9).remainder(), &v);

    let mut v = [0, 1, 2, 3, 4];
    let mut c = v.par_chunks_exact_mut(2);
    assert_eq!(c.remainder(), &[4]);
    assert_eq!(c.len(), 2);
    assert_eq!(c.take_remainder(), &[4]);
    assert_eq!(c.take_remainder(), &[] as &[i32]);
    assert_eq!(c.into_remainder(), &[] as &[i32]);
    let mut c = v.par_rchunks_exact_mut(2);
    assert_eq!(c.remainder(), &[0]);
    assert_eq!(c.into_remainder(), &[0]);
}

fn panic_message_of(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).expect_err("expected a panic");
    common::panic_message(&*payload)
        .expect("a string message")
        .to_owned()
}

#[test]
fn zero_sizes_panic_with_clear_messages() {
    let v = [1, 2, 3];
    let message = "chunk_size must not be zero";
    assert_eq!(panic_message_of(|| drop(v.par_chunks(0))), message);
    assert_eq!(panic_message_of(|| drop(v.par_chunks_exact(0))), message);
    assert_eq!(panic_message_of(|| drop(v.par_rchunks(0))), message);
    assert_eq!(panic_message_of(|| drop(v.par_rchunks_exact(0))), message);
    assert_eq!(panic_message_of(|| drop([1].par_chunks_mut(0))), message);
    assert_eq!(
        panic_message_of(|| drop([1].par_chunks_exact_mut(0))),
        message
    );
    assert_eq!(panic_message_of(|| drop([1].par_rchunks_mut(0))), message);
    assert_eq!(
        panic_message_of(|| drop([1].par_rchunks_exact_mut(0))),
        message
    );
}

/// Rayon's `par_windows(0)` is accepted; the zero size fails its `len` assertion when the
/// length is asked for or the iterator is driven. (`par_array_windows::<0>` fails to build
/// once used, which the compile_fail example of its docs pins.)
#[test]
fn zero_sized_windows_panic_on_use_not_on_creation() {
    let v = [1, 2, 3];
    let windows = v.par_windows(0);
    drop(v.par_array_windows::<0>());
    let message = "assertion failed: self.window_size >= 1";
    assert_eq!(
        panic_message_of(|| {
            let _ = windows.clone().len();
        }),
        message
    );
    assert_eq!(
        panic_message_of(|| {
            let _ = windows.opt_len();
        }),
        message
    );
    assert_eq!(
        panic_message_of(|| {
            let _ = windows.clone().count();
        }),
        message
    );
    assert_eq!(
        panic_message_of(|| drop(windows.zip(0..3).collect::<Vec<_>>())),
        message
    );
}

#[test]
fn chunk_by_on_short_slices_never_calls_the_predicate() {
    let v = [1, 2];
    assert_eq!(v[..0].par_chunk_by(|_, _| panic!("called")).count(), 0);
    assert_eq!(v[..1].par_chunk_by(|_, _| panic!("called")).count(), 1);
    assert_eq!(v.par_chunk_by(|_, _| true).count(), 1);
    assert_eq!(v.par_chunk_by(|_, _| false).count(), 2);
    let mut v = [1, 2];
    assert_eq!(v[..1].par_chunk_by_mut(|_, _| panic!("called")).count(), 1);
}

#[test]
fn clone_and_debug() {
    let v = [1, 2, 3, 4, 5];
    let sep = |x: &i32| *x == 3;
    let chunks = v.par_chunks(2);
    assert_eq!(chunks.clone().count(), chunks.count());
    assert_eq!(v.par_chunks_exact(2).clone().count(), 2);
    assert_eq!(v.par_rchunks(2).clone().count(), 3);
    assert_eq!(v.par_rchunks_exact(2).clone().count(), 2);
    assert_eq!(v.par_windows(2).clone().count(), 4);
    assert_eq!(v.par_array_windows::<2>().clone().count(), 4);
    assert_eq!(v.par_split(sep).clone().count(), 2);
    assert_eq!(v.par_split_inclusive(sep).clone().count(), 2);
    assert_eq!(v.par_chunk_by(|a, b| a < b).clone().count(), 1);

    let debug = format!("{:?}", v.par_split(sep));
    assert!(
        debug.starts_with("Split") && debug.contains("[1, 2, 3, 4, 5]"),
        "{debug}"
    );
    let debug = format!("{:?}", v.par_chunk_by(|a, b| a < b));
    assert!(debug.starts_with("ChunkBy"), "{debug}");
    let debug = format!("{:?}", v.par_chunks(2));
    assert!(
        debug.starts_with("Chunks") && debug.contains("chunk_size: 2"),
        "{debug}"
    );
    let mut m = [1, 2, 3];
    assert!(format!("{:?}", m.par_split_inclusive_mut(|_| true)).starts_with("SplitInclusiveMut"));
    assert!(format!("{:?}", m.par_chunk_by_mut(|_, _| true)).starts_with("ChunkByMut"));
    assert!(format!("{:?}", m.par_rchunks_exact_mut(2)).contains("rem: [1]"));
}

/// A clone yields the same items as the original.
fn check_clone<I>(iter: I)
where
    I: ParallelIterator<Item: std::fmt::Debug + PartialEq> + Clone,
{
    let a: Vec<_> = iter.clone().collect();
    let b: Vec<_> = iter.collect();
    assert_eq!(a, b);
}

#[test]
fn clones_yield_the_same_items() {
    let v: Vec<i32> = (0..1000).map(|x| x / 3).collect();
    check_clone(v.par_chunk_by(i32::eq));
    check_clone(v.par_chunks(42));
    check_clone(v.par_chunks_exact(42));
    check_clone(v.par_rchunks(42));
    check_clone(v.par_rchunks_exact(42));
    check_clone(v.par_windows(42));
    check_clone(v.par_array_windows::<42>());
    check_clone(v.par_split(|x| x % 3 == 0));
    check_clone(v.par_split_inclusive(|x| x % 3 == 0));
}
