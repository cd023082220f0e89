//! [`Latency`]: an HDR histogram of durations, with the percentiles the snapshot reports.

use hdrhistogram::Histogram;
use std::fmt;
use std::time::Duration;

/// The longest duration a histogram tells apart (one hour); longer ones count as this.
const HIGHEST_NANOS: u64 = 3_600 * 1_000_000_000;

/// Significant decimal digits kept per value: 2 gives a relative error of at most 1 %.
const SIGNIFICANT_DIGITS: u8 = 2;

/// The upper bounds of the buckets that exporters report (Prometheus `le` labels, the
/// console's bars): 1-2.5-5 steps from 1 µs to 10 s.
pub(crate) const BUCKET_BOUNDS: [Duration; 22] = {
    let mut bounds = [Duration::ZERO; 22];
    let steps = [1, 2_500, 5_000];
    let mut decade = 1_000; // 1 µs, in nanoseconds
    let mut i = 0;
    while i < 22 {
        let step = steps[i % 3];
        bounds[i] = Duration::from_nanos(if step == 1 {
            decade
        } else {
            decade / 1_000 * step
        });
        if i % 3 == 2 {
            decade *= 10;
        }
        i += 1;
    }
    bounds
};

/// A histogram of durations (queue waits or run times), with nanosecond resolution and a
/// relative error of at most 1 % (two significant digits), plus the exact sum.
#[derive(Clone, Default)]
pub struct Latency {
    /// Empty until the first value, so idle workers and unused slots cost no memory.
    histogram: Option<Histogram<u64>>,
    sum_nanos: u64,
}

/// The usual percentiles of a [`Latency`]; all zero when it is empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Percentiles {
    /// Number of values.
    pub count: u64,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// 99.9th percentile.
    pub p999: Duration,
    /// Largest value.
    pub max: Duration,
    /// Arithmetic mean (exact: from the exact sum).
    pub mean: Duration,
}

impl fmt::Debug for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Latency")
            .field("percentiles", &self.percentiles())
            .finish()
    }
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS)
        .expect("constant histogram bounds are valid")
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl Latency {
    /// Adds one value.
    pub(crate) fn record(&mut self, value: Duration) {
        let value = nanos(value);
        self.histogram
            .get_or_insert_with(new_histogram)
            .saturating_record(value);
        self.sum_nanos = self.sum_nanos.saturating_add(value);
    }

    /// Adds every value of `other`.
    pub(crate) fn merge(&mut self, other: &Latency) {
        if let Some(theirs) = &other.histogram {
            self.histogram
                .get_or_insert_with(new_histogram)
                .add(theirs)
                .expect("histograms of the same bounds always add");
            self.sum_nanos = self.sum_nanos.saturating_add(other.sum_nanos);
        }
    }

    /// The values recorded since `earlier`, a reading of the same histogram taken before
    /// this one. If `earlier` is not such a reading, this histogram is returned whole.
    pub(crate) fn since(&self, earlier: &Latency) -> Latency {
        let (Some(mine), Some(theirs)) = (&self.histogram, &earlier.histogram) else {
            return self.clone();
        };
        let mut histogram = mine.clone();
        match histogram.subtract(theirs) {
            Ok(()) => Latency {
                histogram: Some(histogram),
                sum_nanos: self.sum_nanos.saturating_sub(earlier.sum_nanos),
            },
            Err(_) => self.clone(),
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.histogram.as_ref().map_or(0, Histogram::len)
    }

    /// The exact sum of all values.
    pub fn sum(&self) -> Duration {
        Duration::from_nanos(self.sum_nanos)
    }

    /// The value below which `quantile` (between 0 and 1) of the values lie, within the
    /// histogram's precision; zero when empty.
    pub fn quantile(&self, quantile: f64) -> Duration {
        match &self.histogram {
            Some(histogram) if !histogram.is_empty() => {
                Duration::from_nanos(histogram.value_at_quantile(quantile))
            }
            _ => Duration::ZERO,
        }
    }

    /// The largest value, within the histogram's precision; zero when empty.
    pub fn max(&self) -> Duration {
        match &self.histogram {
            Some(histogram) if !histogram.is_empty() => Duration::from_nanos(histogram.max()),
            _ => Duration::ZERO,
        }
    }

    /// The number of values at most `bound` (values are compared at the histogram's
    /// precision).
    pub fn count_at_most(&self, bound: Duration) -> u64 {
        let Some(histogram) = &self.histogram else {
            return 0;
        };
        let bound = nanos(bound);
        histogram
            .iter_recorded()
            .take_while(|value| histogram.lowest_equivalent(value.value_iterated_to()) <= bound)
            .map(|value| value.count_at_value())
            .sum()
    }

    /// The recorded values, smallest first, each with how many times it was recorded;
    /// values equal at the histogram's precision are one value (the middle of their range).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let metrics = pool.metrics();
    /// metrics.set_sample_every(1);
    /// pool.scope(|s| s.spawn(|_| {}));
    /// let run_time = metrics.snapshot().run_time;
    /// let counted: u64 = run_time.values().map(|(_, count)| count).sum();
    /// assert_eq!(counted, run_time.count());
    /// ```
    pub fn values(&self) -> impl Iterator<Item = (Duration, u64)> + '_ {
        self.histogram.iter().flat_map(|histogram| {
            histogram.iter_recorded().map(move |value| {
                let at = histogram.median_equivalent(value.value_iterated_to());
                (Duration::from_nanos(at), value.count_at_value())
            })
        })
    }

    /// The p50/p90/p99/p999/max summary.
    pub fn percentiles(&self) -> Percentiles {
        let count = self.count();
        if count == 0 {
            return Percentiles::default();
        }
        Percentiles {
            count,
            p50: self.quantile(0.5),
            p90: self.quantile(0.9),
            p99: self.quantile(0.99),
            p999: self.quantile(0.999),
            max: self.max(),
            mean: Duration::from_nanos(self.sum_nanos / count),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn bucket_bounds_go_from_a_microsecond_to_ten_seconds() {
        assert_eq!(BUCKET_BOUNDS[0], Duration::from_micros(1));
        assert_eq!(BUCKET_BOUNDS[1], Duration::from_nanos(2_500));
        assert_eq!(BUCKET_BOUNDS[2], Duration::from_micros(5));
        assert_eq!(BUCKET_BOUNDS[3], Duration::from_micros(10));
        assert_eq!(BUCKET_BOUNDS[21], Duration::from_secs(10));
        assert!(BUCKET_BOUNDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn percentiles_are_within_one_percent() {
        let mut latency = Latency::default();
        for micros in 1..=1000 {
            latency.record(Duration::from_micros(micros));
        }
        let p = latency.percentiles();
        assert_eq!(p.count, 1000);
        let close = |got: Duration, want_micros: u64| {
            let want = want_micros as f64 * 1000.0;
            (got.as_nanos() as f64 - want).abs() <= want * 0.01
        };
        assert!(close(p.p50, 500), "{p:?}");
        assert!(close(p.p90, 900), "{p:?}");
        assert!(close(p.p99, 990), "{p:?}");
        assert!(close(p.max, 1000), "{p:?}");
        assert_eq!(p.mean, Duration::from_nanos(500_500));
        assert_eq!(latency.sum(), Duration::from_nanos(500_500_000));
    }

    #[test]
    fn count_at_most_and_since() {
        let mut earlier = Latency::default();
        earlier.record(Duration::from_micros(3));
        let mut later = earlier.clone();
        later.record(Duration::from_micros(30));
        later.record(Duration::from_millis(3));
        assert_eq!(later.count_at_most(Duration::from_micros(5)), 1);
        assert_eq!(later.count_at_most(Duration::from_micros(50)), 2);
        assert_eq!(later.count_at_most(Duration::from_secs(1)), 3);
        let delta = later.since(&earlier);
        assert_eq!(delta.count(), 2);
        assert_eq!(delta.count_at_most(Duration::from_micros(5)), 0);
        assert_eq!(delta.sum(), Duration::from_micros(3030));
        let values: Vec<(Duration, u64)> = later.values().collect();
        assert_eq!(values.len(), 3);
        assert!(values.iter().all(|&(_, count)| count == 1));
        for ((value, _), want) in values.iter().zip([3_000.0, 30_000.0, 3_000_000.0]) {
            assert!(
                (value.as_nanos() as f64 - want).abs() <= want * 0.01,
                "{values:?}"
            );
        }
        let mut merged = earlier.clone();
        merged.merge(&delta);
        assert_eq!(merged.count(), 3);
        assert_eq!(Latency::default().percentiles(), Percentiles::default());
    }
}
