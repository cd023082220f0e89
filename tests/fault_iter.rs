//! `map_isolated`: a panic in one item's closure becomes that item's `Err`.

use veda::fault::TaskError;
use veda::prelude::*;

fn poisoned(x: u32) -> u32 {
    assert!(x % 100 != 7, "item {x} is poisoned");
    x + 1
}

#[test]
fn every_good_item_survives_the_poisoned_ones() {
    let results: Vec<Result<u32, TaskError>> = (0..10_000u32)
        .into_par_iter()
        .map_isolated(poisoned)
        .collect();
    assert_eq!(results.len(), 10_000);
    for (x, result) in results.iter().enumerate() {
        let x = x as u32;
        match result {
            Ok(value) => assert_eq!(*value, x + 1),
            Err(TaskError::Panicked { message, .. }) => {
                assert_eq!(x % 100, 7);
                assert_eq!(message, &format!("item {x} is poisoned"));
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 100);
}

#[test]
fn indexed_when_the_base_is() {
    let v: Vec<u32> = (0..1000).collect();
    let iter = v.par_iter().map_isolated(|&x| poisoned(x));
    assert_eq!(iter.len(), 1000);
    assert_eq!(iter.opt_len(), Some(1000));
    let reversed: Vec<_> = v.par_iter().map_isolated(|&x| poisoned(x)).rev().collect();
    assert_eq!(reversed[0].as_ref().unwrap(), &1000);
    assert!(reversed[1000 - 1 - 7].is_err());
    let zipped: Vec<(u32, bool)> = v
        .par_iter()
        .map_isolated(|&x| poisoned(x))
        .zip(v.par_iter())
        .map(|(r, &x)| (x, r.is_ok()))
        .collect();
    assert_eq!(zipped[7], (7, false));
    assert_eq!(zipped[8], (8, true));
}

#[test]
fn unindexed_bases_work_too() {
    let count = (0..1000u32)
        .into_par_iter()
        .filter(|x| x % 2 == 1)
        .map_isolated(poisoned)
        .filter(Result::is_err)
        .count();
    assert_eq!(count, 10);
    assert_eq!(
        (0..1000u32)
            .into_par_iter()
            .filter(|_| true)
            .map_isolated(poisoned)
            .opt_len(),
        None
    );
}

#[test]
fn sequential_folding_paths_isolate_too() {
    // `with_min_len` keeps pieces whole, so items go through the folder's `consume_iter`;
    // `fold` goes through the producer's iterator.
    let errors = (0..500u32)
        .into_par_iter()
        .with_min_len(500)
        .map_isolated(poisoned)
        .fold(|| 0, |n, r| n + usize::from(r.is_err()))
        .sum::<usize>();
    assert_eq!(errors, 5);
}

#[test]
fn rayons_map_still_propagates_the_panic() {
    let caught =
        std::panic::catch_unwind(|| (0..100u32).into_par_iter().map(poisoned).sum::<u32>());
    assert!(caught.is_err());
}
