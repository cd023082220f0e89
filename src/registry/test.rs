use super::{Registry, WorkerThread};
use crate::job::{HeapJob, JobRef};
use crate::sync::{Arc, AtomicUsize, Ordering};
use crate::ThreadPoolBuilder;
use crossbeam_deque::Worker;

/// A pool of two slots with no threads, so that the test drives both workers itself.
fn pool_without_threads() -> crate::ThreadPool {
    ThreadPoolBuilder::new()
        .num_threads(2)
        .min_threads(0)
        .max_threads(2)
        .build()
        .expect("a pool whose threads start on demand")
}

/// Takes the deque of a slot that has no thread yet.
fn parked_deque(registry: &Registry, index: usize) -> Worker<JobRef> {
    registry.thread_infos[index]
        .parked_deque
        .lock()
        .take()
        .expect("a slot without a thread keeps its deque")
}

/// A job that adds `value` to `sum`.
fn adding_job(sum: &Arc<AtomicUsize>, value: usize) -> JobRef {
    let sum = Arc::clone(sum);
    HeapJob::new(move || {
        sum.fetch_add(value, Ordering::Relaxed);
    })
    .into_static_job_ref()
}

#[test]
fn a_thief_steals_again_from_its_last_victim_before_it_idles() {
    let pool = pool_without_threads();
    let registry = pool.registry();
    let victim_deque = parked_deque(registry, 0);
    let thief = WorkerThread::new(parked_deque(registry, 1), 1, Arc::clone(registry));
    let sum = Arc::new(AtomicUsize::new(0));
    for value in [1, 10, 100] {
        victim_deque.push(adding_job(&sum, value));
    }

    assert!(
        thief.find_work_before_idling().is_none(),
        "a worker that never stole looks at other deques only after it idles"
    );
    let first = thief.find_work().expect("the victim's oldest job");
    thief.execute(first);
    assert_eq!(sum.load(Ordering::Relaxed), 1);
    let second = thief
        .find_work_before_idling()
        .expect("the victim's next job, taken before idling");
    thief.execute(second);
    assert_eq!(sum.load(Ordering::Relaxed), 11);

    // The victim takes its last job back: the thief's next look finds the deque empty and
    // forgets the victim, so a job pushed later waits for the thief's full search.
    let last = victim_deque.pop().expect("the victim's newest job");
    // SAFETY: the reference came from the victim's deque, which gave it out once.
    unsafe { last.execute() };
    assert!(thief.find_work_before_idling().is_none());
    victim_deque.push(adding_job(&sum, 1000));
    assert!(thief.find_work_before_idling().is_none());
    let late = thief
        .find_work()
        .expect("the job pushed after the victim was forgotten");
    thief.execute(late);
    assert_eq!(sum.load(Ordering::Relaxed), 1111);
}
