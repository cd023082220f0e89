//! Collecting an indexed iterator straight into a vector's memory.
//!
//! The vector reserves room for every item; each piece of the split work writes its items
//! into its own sub-slice of that room ([`consumer::CollectConsumer`]); adjacent pieces'
//! results are merged as the reductions come back up; only when all items are written does
//! the vector's length grow. A panic anywhere drops exactly the items written so far.

mod consumer;

use super::unzip::unzip_indexed;
use super::IndexedParallelIterator;
use consumer::{CollectConsumer, CollectResult};

/// `collect_into_vec`: replaces the contents of `target` with the iterator's items.
pub(super) fn collect_into_vec<I>(pi: I, target: &mut Vec<I::Item>)
where
    I: IndexedParallelIterator,
{
    target.truncate(0);
    let len = pi.len();
    collect_with_consumer(target, len, |consumer| pi.drive(consumer));
}

/// `unzip_into_vecs`: replaces the contents of `left` and `right` with the two halves of the
/// iterator's pairs, each written directly into its final place.
pub(super) fn unzip_into_vecs<I, A, B>(pi: I, left: &mut Vec<A>, right: &mut Vec<B>)
where
    I: IndexedParallelIterator<Item = (A, B)>,
    A: Send,
    B: Send,
{
    left.truncate(0);
    right.truncate(0);
    let len = pi.len();
    // The two collections nest so that both consumers exist at once; the inner (left) one
    // returns its own result and passes the right one out through `right_done`.
    collect_with_consumer(right, len, |right_consumer| {
        let mut right_done = None;
        collect_with_consumer(left, len, |left_consumer| {
            let (left_done, right) = unzip_indexed(pi, left_consumer, right_consumer);
            right_done = Some(right);
            left_done
        });
        right_done.expect("the left-hand collection drove the iterator")
    });
}

/// Appends exactly `len` items to `vec`, written by the consumer that `drive` is given.
///
/// Panics if the consumer was given a different number of items: an iterator that reported
/// a wrong length.
pub(super) fn collect_with_consumer<T, F>(vec: &mut Vec<T>, len: usize, drive: F)
where
    T: Send,
    F: FnOnce(CollectConsumer<'_, T>) -> CollectResult<'_, T>,
{
    vec.reserve(len);
    let start = vec.len();
    let target = &mut vec.spare_capacity_mut()[..len];
    let result = drive(CollectConsumer::new(target));
    let written = result.len();
    assert!(
        written == len,
        "expected {len} total writes, but got {written}"
    );
    result.release_ownership();
    // SAFETY: the `len` slots after `start` were all initialised by the consumer (checked
    // just above), and ownership of them was released to the vector.
    unsafe { vec.set_len(start + len) };
}
