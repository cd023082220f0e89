//! Unit tests of the GPU module's parts that need no GPU: the pool's bookkeeping, the
//! future, the memory-fraction setting, range splitting; and, where no GPU is present, the
//! typed reasons.

use super::fraction;
use super::future::pair;
use super::pool::{size_class, Allocator, Pool};
use super::*;
use crate::sync::{Arc, AtomicUsize, Ordering};
use proptest::prelude::*;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

/// Blocks that count themselves, from an allocator that can be made to run out.
#[derive(Debug, Default)]
struct Counting {
    live: Arc<AtomicUsize>,
    allocations: AtomicUsize,
    limit: Option<usize>,
}

#[derive(Debug)]
struct Block {
    bytes: usize,
    live: Arc<AtomicUsize>,
}

impl Drop for Block {
    fn drop(&mut self) {
        self.live.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

impl Allocator for Counting {
    type Block = Block;

    fn allocate(&self, bytes: usize) -> Result<Block, GpuError> {
        if let Some(limit) = self.limit {
            if self.live.load(Ordering::SeqCst) + bytes > limit {
                return Err(GpuError::OutOfMemory {
                    requested: bytes,
                    reason: "test".into(),
                });
            }
        }
        self.allocations.fetch_add(1, Ordering::SeqCst);
        self.live.fetch_add(bytes, Ordering::SeqCst);
        Ok(Block {
            bytes,
            live: self.live.clone(),
        })
    }
}

#[test]
fn released_blocks_are_reused_by_their_class() {
    let pool = Pool::new(Counting::default(), 0, 1 << 20);
    let (block, class) = pool.acquire(1000).unwrap();
    assert_eq!(class, 1024);
    assert_eq!(block.bytes, 1024);
    pool.release(block, class);
    let (again, class) = pool.acquire(700).unwrap();
    assert_eq!(class, 1024);
    let stats = pool.stats();
    assert_eq!((stats.hits, stats.misses), (1, 1));
    assert_eq!((stats.in_use, stats.cached), (1024, 0));
    assert_eq!(pool.allocator().allocations.load(Ordering::SeqCst), 1);
    pool.release(again, class);
    assert_eq!(pool.stats().cached, 1024);
    pool.trim();
    assert_eq!(pool.stats().cached, 0);
    assert_eq!(pool.allocator().live.load(Ordering::SeqCst), 0);
}

#[test]
fn the_cap_evicts_cached_blocks_then_refuses() {
    let pool = Pool::new(Counting::default(), 3, 4096);
    let (a, class_a) = pool.acquire(2048).unwrap();
    let (b, class_b) = pool.acquire(1024).unwrap();
    pool.release(a, class_a);
    // 1 024 in use + 2 048 cached: a new 2 048 block needs no eviction only if it reuses
    // the cached one, which it does.
    let (c, class_c) = pool.acquire(2048).unwrap();
    assert_eq!(pool.stats().hits, 1);
    pool.release(c, class_c);
    // A 4 096-byte class does not fit beside the 1 024 in use.
    let error = pool.acquire(3000).unwrap_err();
    assert!(
        matches!(
            error,
            GpuError::PoolExhausted {
                ordinal: 3,
                in_use: 1024,
                cap: 4096,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(error.kind(), FailureKind::OutOfMemory);
    // With nothing in use, it fits once the cached blocks are freed.
    pool.release(b, class_b);
    let (e, _) = pool.acquire(3000).unwrap();
    let stats = pool.stats();
    assert_eq!((stats.in_use, stats.cached), (4096, 0));
    assert_eq!(pool.allocator().live.load(Ordering::SeqCst), 4096);
    drop(e);
}

#[test]
fn running_out_of_device_memory_trims_and_retries() {
    let allocator = Counting {
        limit: Some(4096),
        ..Counting::default()
    };
    let pool = Pool::new(allocator, 0, 1 << 30);
    let (a, class) = pool.acquire(4096).unwrap();
    pool.release(a, class);
    // The device holds only 4 096 bytes, all cached: the pool frees them and retries.
    let (b, class_b) = pool.acquire(2048).unwrap();
    assert_eq!(pool.stats().cached, 0);
    let error = pool.acquire(4096).unwrap_err();
    assert!(
        matches!(
            error,
            GpuError::OutOfMemory {
                requested: 4096,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(pool.stats().in_use, class_b);
    pool.release(b, class_b);
}

proptest! {
    #[test]
    fn size_classes_fit_and_waste_at_most_a_quarter_above_a_mebibyte(bytes in 1usize..1 << 40) {
        let class = size_class(bytes);
        prop_assert!(class >= bytes);
        prop_assert!(class >= 512);
        if bytes > 1 << 20 {
            prop_assert!((class - bytes) * 4 <= class, "{bytes} -> {class}");
        } else if bytes > 512 {
            prop_assert!(class < 2 * bytes);
        }
        prop_assert_eq!(size_class(class), class);
    }

    #[test]
    fn the_pool_never_exceeds_its_cap(
        requests in proptest::collection::vec((1usize..20_000, any::<bool>()), 1..60),
    ) {
        let pool = Pool::new(Counting::default(), 0, 65_536);
        let mut held = Vec::new();
        for (bytes, release_one) in requests {
            if release_one {
                if let Some((block, class)) = held.pop() {
                    pool.release(block, class);
                }
            }
            match pool.acquire(bytes) {
                Ok(block) => held.push(block),
                Err(GpuError::PoolExhausted { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected {other}"),
            }
            let stats = pool.stats();
            prop_assert!(stats.in_use + stats.cached <= stats.cap, "{stats:?}");
            prop_assert_eq!(
                pool.allocator().live.load(Ordering::SeqCst),
                stats.in_use + stats.cached
            );
        }
    }

    #[test]
    fn weighted_splits_cover_the_range_in_order(
        len in 0usize..100_000,
        weights in proptest::collection::vec(prop_oneof![0.0f64..100.0, Just(f64::NAN)], 1..9),
    ) {
        let ranges = split_by_weight(len, &weights);
        prop_assert_eq!(ranges.len(), weights.len());
        let mut next = 0;
        for range in &ranges {
            prop_assert_eq!(range.start, next);
            next = range.end;
        }
        prop_assert_eq!(next, len);
        let total: f64 = weights.iter().filter(|w| w.is_finite()).sum();
        if total > 0.0 {
            for (range, weight) in ranges.iter().zip(&weights) {
                let ideal = if weight.is_finite() { weight / total * len as f64 } else { 0.0 };
                prop_assert!((range.len() as f64 - ideal).abs() <= 1.0, "{range:?} for {ideal}");
            }
        }
    }
}

struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn the_future_wakes_its_poller_once_completed() {
    let (future, completer) = pair::<u32>();
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert!(!future.is_ready());
    completer.complete(Ok(7));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    assert!(future.is_ready());
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(Ok(7)));
}

#[test]
fn waiting_blocks_until_another_thread_completes() {
    let (future, completer) = pair::<String>();
    let thread = std::thread::spawn(move || {
        std::thread::yield_now();
        completer.complete(Ok("done".to_owned()));
    });
    assert_eq!(future.wait().unwrap(), "done");
    thread.join().unwrap();
}

#[test]
fn a_dropped_job_resolves_its_future_with_an_error() {
    let (future, completer) = pair::<u8>();
    drop(completer);
    assert!(matches!(future.wait(), Err(GpuError::Driver { .. })));
    let ready = GpuFuture::ready(Err::<u8, _>(GpuError::NoDevice));
    assert!(ready.is_ready());
    assert_eq!(ready.wait(), Err(GpuError::NoDevice));
}

#[test]
fn memory_fractions_are_checked() {
    assert_eq!(fraction::parse(" 0.5 "), Ok(0.5));
    assert_eq!(fraction::parse("1"), Ok(1.0));
    for bad in ["0", "-0.1", "1.01", "NaN", "half", ""] {
        assert!(
            matches!(
                fraction::parse(bad),
                Err(crate::ConfigError::InvalidGpuMemoryFraction { .. })
            ),
            "{bad:?} was accepted"
        );
    }
    fraction::set_configured(Some(0.25));
    assert_eq!(memory_fraction(), Ok(0.25));
    fraction::set_configured(None);
}

#[test]
fn map_expressions_are_single_expressions() {
    // SAFETY: every expression here is refused or reads only `x`.
    unsafe {
        assert_eq!(MapExpr::new("x * x").unwrap().as_str(), "x * x");
        for bad in [
            "",
            "  ",
            "x; return",
            "{ x }",
            "x\0",
            "in[5]",
            "#define",
            "asm(\"\")",
        ] {
            assert!(MapExpr::new(bad).is_err(), "{bad:?} was accepted");
        }
    }
}

#[test]
fn every_error_has_a_class_and_says_what_to_do() {
    let errors = [
        (GpuError::NoDriver, FailureKind::Unavailable),
        (GpuError::NoCompiler, FailureKind::Unavailable),
        (GpuError::NoDevice, FailureKind::Unavailable),
        (
            GpuError::DriverTooOld {
                found_major: 12,
                found_minor: 4,
                required_major: 13,
                required_minor: 0,
            },
            FailureKind::Unavailable,
        ),
        (
            GpuError::LaunchFailed {
                kernel: "k".into(),
                reason: "r".into(),
            },
            FailureKind::Launch,
        ),
        (
            GpuError::DeviceLost { reason: "r".into() },
            FailureKind::DeviceLost,
        ),
        (
            GpuError::Compile {
                kernel: "k".into(),
                log: "l".into(),
            },
            FailureKind::Usage,
        ),
        (
            GpuError::Driver {
                call: "c",
                reason: "r".into(),
            },
            FailureKind::Other,
        ),
    ];
    for (error, kind) in errors {
        assert_eq!(error.kind(), kind, "{error}");
        assert!(!error.to_string().is_empty());
    }
    assert!(GpuError::DriverTooOld {
        found_major: 12,
        found_minor: 4,
        required_major: 13,
        required_minor: 0
    }
    .to_string()
    .contains("CUDA 12.4"));
}

#[test]
fn without_a_gpu_every_entry_point_gives_the_same_typed_reason() {
    let Err(reason) = devices() else {
        return; // A GPU is present: tests/gpu_*.rs exercise it.
    };
    assert_eq!(reason.kind(), FailureKind::Unavailable, "{reason}");
    assert!(!is_available());
    assert_eq!(device(0).unwrap_err(), reason);
    assert_eq!(health_check(0).unwrap_err(), reason);
    assert_eq!(pool_stats(0).unwrap_err(), reason);
    assert_eq!(
        execute(VectorAddKernel::new(vec![1.0f32], vec![2.0])).wait(),
        Err(reason.clone())
    );
    assert_eq!(execute_across(10, |_, _| Ok(())).unwrap_err(), reason);
    assert_eq!(CudaBackend::new().gpu_status(), Err(reason));
}
