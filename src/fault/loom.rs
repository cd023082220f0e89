//! Loom models of a task's completion: of the racing parties (the attempt finishing, a
//! cancel, a timeout), exactly one resolves the handle, and the owner receives exactly that
//! party's outcome, whichever order they run in.

use super::completion::Completion;
use crate::sync::Arc;
use loom::thread;

/// Who resolved the cell, and with what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Completed(u32),
    Cancelled,
    TimedOut,
}

fn racer(
    completion: &Arc<Completion<Outcome>>,
    outcome: Outcome,
) -> thread::JoinHandle<Option<Outcome>> {
    let completion = Arc::clone(completion);
    thread::spawn(move || completion.resolve(outcome).is_ok().then_some(outcome))
}

#[test]
fn completion_cancel_and_timeout_resolve_once() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let finisher = racer(&completion, Outcome::Completed(7));
        let canceller = racer(&completion, Outcome::Cancelled);
        let timer = racer(&completion, Outcome::TimedOut);
        let received = completion.wait();
        let winners: Vec<Outcome> = [finisher, canceller, timer]
            .into_iter()
            .filter_map(|racer| racer.join().unwrap())
            .collect();
        assert_eq!(winners, [received], "exactly one party resolves the handle");
        assert!(completion.is_resolved());
        assert_eq!(completion.try_take(), None, "the outcome is taken once");
    });
}

#[test]
fn a_task_sees_the_cancellation_that_beat_it() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let canceller = racer(&completion, Outcome::Cancelled);
        // The task's side: it checks for cancellation before running, then resolves.
        let ran = !completion.is_resolved();
        let resolved_by_task = completion.resolve(Outcome::Completed(1)).is_ok();
        let cancelled = canceller.join().unwrap().is_some();
        assert!(cancelled != resolved_by_task, "one of the two resolves");
        if !ran {
            assert!(cancelled, "a task only skips its run after a cancellation");
        }
        let expected = if cancelled {
            Outcome::Cancelled
        } else {
            Outcome::Completed(1)
        };
        assert_eq!(completion.try_take(), Some(expected));
    });
}

#[test]
fn an_owner_asleep_on_the_cell_is_woken_by_the_resolution() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let finisher = racer(&completion, Outcome::Completed(3));
        // Whether the owner finds the outcome at once, or announces itself asleep before or
        // during the write, the resolver's wake-up must reach it (loom reports a lost one as
        // a deadlock).
        assert_eq!(completion.wait(), Outcome::Completed(3));
        assert_eq!(finisher.join().unwrap(), Some(Outcome::Completed(3)));
    });
}

#[test]
fn an_outcome_nobody_takes_is_dropped_with_the_cell() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let outcome = Arc::new(5u8);
        let resolver = {
            let completion = Arc::clone(&completion);
            let outcome = Arc::clone(&outcome);
            thread::spawn(move || completion.resolve(outcome).is_ok())
        };
        let lost = completion.resolve(Arc::clone(&outcome)).err();
        let resolver_won = resolver.join().unwrap();
        assert_eq!(
            resolver_won,
            lost.is_some(),
            "exactly one resolution is stored"
        );
        drop(lost);
        drop(completion);
        // The stored outcome went with the cell: only the local count is left (loom also
        // reports a leaked `Arc` at the end of the model).
        assert_eq!(Arc::strong_count(&outcome), 1);
    });
}
