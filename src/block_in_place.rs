//! `block_in_place`: lets a task that blocks hand its worker's share of the pool to a
//! stand-in thread meanwhile.

use crate::registry::{StandIn, WorkerThread};

/// Runs `f`, which may block (on I/O, a lock, a channel, another task), without taking a
/// worker away from the pool meanwhile (a veda extension).
///
/// On a worker thread, a *stand-in* thread takes the worker's share of the pool while `f`
/// runs: it steals work, the blocked worker's own queued jobs included, so the pool keeps
/// its throughput, and tasks that `f` waits for can run even when every worker blocks. A
/// stand-in is an idle one reused, or a thread started for the purpose; once no blocked
/// worker needs it, it stays until it has idled for the pool's
/// [`keep_alive`](crate::ThreadPoolBuilder::keep_alive), then ends. Stand-ins have worker
/// indices from `current_num_threads()` up (see [`current_thread_index`](crate::current_thread_index)).
///
/// `f` just runs, with nothing handed over, outside every pool, inside another
/// `block_in_place`, when the pool already runs [`max_threads`](crate::ThreadPoolBuilder::max_threads)
/// threads, and in pools whose threads came from a
/// [`spawn_handler`](crate::ThreadPoolBuilder::spawn_handler). A panic in `f` propagates
/// after the stand-in was released.
///
/// # Examples
///
/// Two workers, four tasks that each wait until all four have arrived: without stand-ins
/// the first two would block both workers and the other two could never start.
///
/// ```
/// use std::sync::Barrier;
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let barrier = Barrier::new(4);
/// pool.scope(|scope| {
///     for _ in 0..4 {
///         scope.spawn(|_| {
///             veda::block_in_place(|| barrier.wait());
///         });
///     }
/// });
/// ```
pub fn block_in_place<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    let worker = WorkerThread::current_ref();
    // The joins this worker is inside may wait for their second halves: make those
    // stealable, so a stand-in (or any other worker) can run them while `f` blocks.
    if let Some(worker) = worker {
        worker.publish_all_latent();
    }
    // In a deterministic pool, the current task's spawns so far go out too.
    crate::deterministic::release_spawns();
    let stand_in = worker.and_then(StandIn::claim);
    let result = f();
    drop(stand_in);
    result
}
