//! Spreading a range over every device, in shares proportional to their size.

use super::{devices, execute_on, GpuError, KernelFn, Launcher};
use crate::sync::Arc;
use std::ops::Range;

/// Cuts `0..len` into one contiguous range per weight, in order, with lengths proportional
/// to the weights (largest remainders rounded up). Weights that are negative or not finite
/// count as zero; if all are zero, the shares are equal.
///
/// # Examples
///
/// ```
/// use veda::gpu::split_by_weight;
///
/// assert_eq!(split_by_weight(10, &[1.0, 1.0]), [0..5, 5..10]);
/// assert_eq!(split_by_weight(10, &[3.0, 1.0]), [0..8, 8..10]);
/// assert_eq!(split_by_weight(3, &[0.0, 0.0, 0.0]), [0..1, 1..2, 2..3]);
/// ```
pub fn split_by_weight(len: usize, weights: &[f64]) -> Vec<Range<usize>> {
    if weights.is_empty() {
        return Vec::new();
    }
    let clean: Vec<f64> = weights
        .iter()
        .map(|&w| if w.is_finite() && w > 0.0 { w } else { 0.0 })
        .collect();
    let total: f64 = clean.iter().sum();
    let shares: Vec<f64> = if total > 0.0 {
        clean.iter().map(|w| w / total * len as f64).collect()
    } else {
        vec![len as f64 / weights.len() as f64; weights.len()]
    };
    let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut left = len - counts.iter().sum::<usize>().min(len);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = shares[a] - shares[a].floor();
        let rb = shares[b] - shares[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &index in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[index] += 1;
        left -= 1;
    }
    let mut start = 0;
    counts
        .into_iter()
        .map(|count| {
            let range = start..start + count;
            start += count;
            range
        })
        .collect()
}

/// Runs `job` on every device at once, each on its share of `0..len` (weighted by its
/// number of multiprocessors), and returns each device's ordinal, range and result, in
/// device order. Devices whose share is empty are skipped.
///
/// # Examples
///
/// ```
/// use veda::gpu::execute_across;
///
/// let data: Vec<f32> = (0..1000).map(|i| i as f32).collect();
/// let shared = std::sync::Arc::new(data);
/// let parts = execute_across(shared.len(), {
///     let shared = shared.clone();
///     move |launcher, range| {
///         let part = launcher.upload(&shared[range])?;
///         launcher.download(&part)
///     }
/// });
/// match parts {
///     Ok(parts) => assert_eq!(parts.iter().map(|(_, range, _)| range.len()).sum::<usize>(), 1000),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
pub fn execute_across<F, R>(len: usize, job: F) -> Result<Vec<(usize, Range<usize>, R)>, GpuError>
where
    F: Fn(&mut Launcher<'_>, Range<usize>) -> Result<R, GpuError> + Send + Sync + 'static,
    R: Send + 'static,
{
    let devices = devices()?;
    let weights: Vec<f64> = devices
        .iter()
        .map(|device| f64::from(device.multiprocessors))
        .collect();
    let job = Arc::new(job);
    let pending: Vec<_> = devices
        .iter()
        .zip(split_by_weight(len, &weights))
        .filter(|(_, range)| !range.is_empty())
        .map(|(device, range)| {
            let job = job.clone();
            let part = range.clone();
            let future = execute_on(
                device.ordinal,
                KernelFn::new("execute_across", move |launcher| job(launcher, part)),
            );
            (device.ordinal, range, future)
        })
        .collect();
    pending
        .into_iter()
        .map(|(ordinal, range, future)| Ok((ordinal, range, future.wait()?)))
        .collect()
}
