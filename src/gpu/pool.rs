//! The device memory pool: blocks in size classes, reused after release, under a cap.
//!
//! Requests are rounded up to a size class (powers of two up to 1 MiB, then four classes
//! per doubling, so no block wastes more than a quarter of itself). A released block goes
//! to its class's free list and serves the next request of that class without a driver
//! call. The pool never holds more than its cap (blocks in use plus blocks cached): it
//! frees cached blocks to make room, and refuses a request that cannot fit with
//! [`GpuError::PoolExhausted`]. When the driver itself runs out of memory, the pool frees
//! everything it caches and tries once more.
//!
//! The pool is generic over the allocator, so its bookkeeping is tested without a GPU.

use super::GpuError;
use crate::sync::Mutex;
use std::collections::BTreeMap;

/// Where a pool gets its blocks.
pub(crate) trait Allocator {
    /// A block of device memory; dropping it frees it.
    type Block;
    /// Allocates a block of exactly `bytes` bytes.
    fn allocate(&self, bytes: usize) -> Result<Self::Block, GpuError>;
}

/// The smallest class.
const MIN_CLASS: usize = 512;
/// Above this, classes are four per doubling instead of one.
const FINE_CLASSES_FROM: usize = 1 << 20;

/// The class (block size) serving a request of `bytes` bytes.
pub(crate) fn size_class(bytes: usize) -> usize {
    if bytes <= MIN_CLASS {
        return MIN_CLASS;
    }
    if bytes <= FINE_CLASSES_FROM {
        return bytes.next_power_of_two();
    }
    // Between 2^k and 2^(k+1): steps of 2^(k-2).
    let high_bit = usize::BITS - 1 - bytes.leading_zeros();
    let step = 1usize << (high_bit - 2);
    bytes.div_ceil(step) * step
}

/// Counters of a pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStats {
    /// Bytes in blocks handed out (rounded up to their classes).
    pub in_use: usize,
    /// Bytes in released blocks kept for reuse.
    pub cached: usize,
    /// The most `in_use + cached` may reach.
    pub cap: usize,
    /// Requests served from a cached block.
    pub hits: u64,
    /// Requests that needed a new allocation.
    pub misses: u64,
}

#[derive(Debug)]
struct State<B> {
    free: BTreeMap<usize, Vec<B>>,
    stats: PoolStats,
}

/// A pool of blocks from `A`.
#[derive(Debug)]
pub(crate) struct Pool<A: Allocator> {
    allocator: A,
    ordinal: usize,
    state: Mutex<State<A::Block>>,
}

impl<A: Allocator> Pool<A> {
    pub(crate) fn new(allocator: A, ordinal: usize, cap: usize) -> Self {
        Pool {
            allocator,
            ordinal,
            state: Mutex::new(State {
                free: BTreeMap::new(),
                stats: PoolStats {
                    cap,
                    ..PoolStats::default()
                },
            }),
        }
    }

    #[cfg(test)]
    pub(crate) fn allocator(&self) -> &A {
        &self.allocator
    }

    pub(crate) fn stats(&self) -> PoolStats {
        self.state.lock().stats
    }

    /// A block of at least `bytes` bytes, and its class (pass both back to `release`).
    pub(crate) fn acquire(&self, bytes: usize) -> Result<(A::Block, usize), GpuError> {
        let class = size_class(bytes);
        let evicted = {
            let mut state = self.state.lock();
            if let Some(block) = state.free.get_mut(&class).and_then(Vec::pop) {
                state.stats.hits += 1;
                state.stats.in_use += class;
                state.stats.cached -= class;
                return Ok((block, class));
            }
            let stats = state.stats;
            if stats.in_use + class > stats.cap {
                return Err(GpuError::PoolExhausted {
                    ordinal: self.ordinal,
                    requested: bytes,
                    in_use: stats.in_use,
                    cap: stats.cap,
                });
            }
            // Free cached blocks, largest first, until the new one fits under the cap.
            let mut evicted = Vec::new();
            while state.stats.in_use + state.stats.cached + class > state.stats.cap {
                let Some(mut largest) = state.free.last_entry() else {
                    break;
                };
                let size = *largest.key();
                let block = largest.get_mut().pop();
                if largest.get().is_empty() {
                    largest.remove();
                }
                if let Some(block) = block {
                    evicted.push(block);
                    state.stats.cached -= size;
                }
            }
            state.stats.misses += 1;
            state.stats.in_use += class;
            evicted
        };
        drop(evicted);
        let block = match self.allocator.allocate(class) {
            Err(GpuError::OutOfMemory { .. }) => {
                self.trim();
                self.allocator.allocate(class)
            }
            other => other,
        };
        match block {
            Ok(block) => Ok((block, class)),
            Err(error) => {
                self.state.lock().stats.in_use -= class;
                Err(match error {
                    GpuError::OutOfMemory { reason, .. } => GpuError::OutOfMemory {
                        requested: bytes,
                        reason,
                    },
                    other => other,
                })
            }
        }
    }

    /// Takes back a block of class `class` for reuse.
    pub(crate) fn release(&self, block: A::Block, class: usize) {
        let mut state = self.state.lock();
        state.stats.in_use -= class;
        state.stats.cached += class;
        state.free.entry(class).or_default().push(block);
    }

    /// Frees every cached block.
    pub(crate) fn trim(&self) {
        let free = {
            let mut state = self.state.lock();
            state.stats.cached = 0;
            std::mem::take(&mut state.free)
        };
        drop(free);
    }
}
