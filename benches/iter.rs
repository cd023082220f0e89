//! Side-by-side parallel-iterator benchmark: veda against rayon and a sequential baseline,
//! on the same inputs in the same run.
//!
//! Run it with `cargo bench --bench iter`; a positional argument keeps only the workloads
//! whose name contains it (`cargo bench --bench iter -- sort`). `VEDA_BENCH_ROUNDS` and
//! `VEDA_BENCH_THREADS` work as for `fork_join`. The table reads the same way: medians per
//! contender, and the median of per-round rayon/veda ratios (above 1.0: veda faster).
//!
//! The sort workloads copy their unsorted input inside the timed region, the same copy for
//! every contender.

mod harness;

use harness::{measure, Contender, Settings, Table, Who};
use std::hint::black_box;

/// Items of the large inputs.
const LARGE: usize = 10_000_000;
/// Strings of the string-sort input.
const STRINGS: usize = 1_000_000;
/// Items of one small input, and how often it is processed per iteration.
const SMALL: usize = 1_000;
const SMALL_REPEATS: usize = 10_000;

/// A deterministic pseudo-random sequence (xorshift), so every run sorts the same input.
fn pseudo_random(count: usize, mut state: u64) -> Vec<u64> {
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        })
        .collect()
}

/// Order-sensitive checksum of a sequence, so wrong orders are caught.
fn checksum<'a>(values: impl IntoIterator<Item = &'a u64>) -> u64 {
    values
        .into_iter()
        .fold(0u64, |acc, &v| acc.rotate_left(1) ^ v)
}

fn string_checksum(values: &[String]) -> u64 {
    values.iter().fold(0u64, |acc, s| {
        acc.rotate_left(1) ^ s.len() as u64 ^ u64::from(s.as_bytes()[0])
    })
}

/// Defines module `$module` with the workloads written against the iterator API of crate
/// `$runtime`, so veda and rayon run exactly the same code.
macro_rules! iterator_workloads {
    ($module:ident, $runtime:ident) => {
        mod $module {
            use super::{checksum, string_checksum, SMALL_REPEATS};
            use $runtime::prelude::*;

            pub(crate) fn sum_of_squares(values: &[u64]) -> u64 {
                values.par_iter().map(|&x| x.wrapping_mul(x)).sum()
            }

            pub(crate) fn map_collect(values: &[u64]) -> u64 {
                let mapped: Vec<u64> = values.par_iter().map(|&x| x ^ (x >> 3)).collect();
                checksum(&mapped)
            }

            pub(crate) fn filter_collect(values: &[u64]) -> u64 {
                let kept: Vec<u64> = values.par_iter().copied().filter(|x| x % 3 == 0).collect();
                checksum(&kept)
            }

            pub(crate) fn flat_map(outer: u64, inner: u64) -> u64 {
                (0..outer)
                    .into_par_iter()
                    .flat_map(|i| (0..inner).into_par_iter().map(move |j| i * j))
                    .sum()
            }

            pub(crate) fn histogram(values: &[u64]) -> u64 {
                let histogram = values
                    .par_iter()
                    .fold(
                        || [0u64; 256],
                        |mut h, &x| {
                            h[(x & 0xFF) as usize] += 1;
                            h
                        },
                    )
                    .reduce(
                        || [0u64; 256],
                        |mut a, b| {
                            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                            a
                        },
                    );
                checksum(&histogram)
            }

            pub(crate) fn sort(values: &[u64]) -> u64 {
                let mut sorted = values.to_vec();
                sorted.par_sort();
                checksum(&sorted)
            }

            pub(crate) fn sort_unstable(values: &[u64]) -> u64 {
                let mut sorted = values.to_vec();
                sorted.par_sort_unstable();
                checksum(&sorted)
            }

            pub(crate) fn sort_strings(values: &[String]) -> u64 {
                let mut sorted = values.to_vec();
                sorted.par_sort();
                string_checksum(&sorted)
            }

            pub(crate) fn chunks(values: &[u64]) -> u64 {
                values
                    .par_chunks(1024)
                    .map(|chunk| chunk.iter().fold(0u64, |a, &b| a.wrapping_add(b)))
                    .reduce(|| 0, u64::wrapping_add)
            }

            pub(crate) fn zip(a: &[u64], b: &[u64]) -> u64 {
                a.par_iter()
                    .zip(b)
                    .map(|(&x, &y)| x.wrapping_mul(y))
                    .reduce(|| 0, u64::wrapping_add)
            }

            pub(crate) fn small_inputs(values: &[u64]) -> u64 {
                (0..SMALL_REPEATS)
                    .map(|_| values.par_iter().map(|&x| x * 2).sum::<u64>())
                    .sum()
            }
        }
    };
}

iterator_workloads!(on_veda, veda);
iterator_workloads!(on_veda_telemetry_off, veda_telemetry_off);
iterator_workloads!(on_rayon, rayon);

/// Sequential versions of the workloads, for the baseline column and the expected results.
mod sequential {
    use super::{checksum, string_checksum, SMALL_REPEATS};

    pub(crate) fn sum_of_squares(values: &[u64]) -> u64 {
        values.iter().map(|&x| x.wrapping_mul(x)).sum()
    }

    pub(crate) fn map_collect(values: &[u64]) -> u64 {
        let mapped: Vec<u64> = values.iter().map(|&x| x ^ (x >> 3)).collect();
        checksum(&mapped)
    }

    pub(crate) fn filter_collect(values: &[u64]) -> u64 {
        let kept: Vec<u64> = values.iter().copied().filter(|x| x % 3 == 0).collect();
        checksum(&kept)
    }

    pub(crate) fn flat_map(outer: u64, inner: u64) -> u64 {
        (0..outer)
            .flat_map(|i| (0..inner).map(move |j| i * j))
            .sum()
    }

    pub(crate) fn histogram(values: &[u64]) -> u64 {
        let mut histogram = [0u64; 256];
        for &x in values {
            histogram[(x & 0xFF) as usize] += 1;
        }
        checksum(&histogram)
    }

    pub(crate) fn sort(values: &[u64]) -> u64 {
        let mut sorted = values.to_vec();
        sorted.sort();
        checksum(&sorted)
    }

    pub(crate) fn sort_unstable(values: &[u64]) -> u64 {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        checksum(&sorted)
    }

    pub(crate) fn sort_strings(values: &[String]) -> u64 {
        let mut sorted = values.to_vec();
        sorted.sort();
        string_checksum(&sorted)
    }

    pub(crate) fn chunks(values: &[u64]) -> u64 {
        values
            .chunks(1024)
            .map(|chunk| chunk.iter().fold(0u64, |a, &b| a.wrapping_add(b)))
            .fold(0, u64::wrapping_add)
    }

    pub(crate) fn zip(a: &[u64], b: &[u64]) -> u64 {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| x.wrapping_mul(y))
            .fold(0, u64::wrapping_add)
    }

    pub(crate) fn small_inputs(values: &[u64]) -> u64 {
        (0..SMALL_REPEATS)
            .map(|_| values.iter().map(|&x| x * 2).sum::<u64>())
            .sum()
    }
}

/// What every row needs: the settings, one pool per parallel contender, and the table.
struct Bench {
    settings: Settings,
    veda: veda::ThreadPool,
    veda_telemetry_off: veda_telemetry_off::ThreadPool,
    rayon: rayon::ThreadPool,
    table: Table,
}

/// One row: the contenders of workload `$name`, run by calling `$function` with `$args` from
/// each module.
macro_rules! row {
    ($bench:expr, $name:expr, $function:ident ( $($args:expr),* )) => {
        let bench: &Bench = $bench;
        if bench.settings.selected($name) {
            let contenders = [
                Contender::new(Who::Veda, || {
                    bench.veda.install(|| on_veda::$function($(black_box($args)),*))
                }),
                Contender::new(Who::VedaTelemetryOff, || {
                    bench
                        .veda_telemetry_off
                        .install(|| on_veda_telemetry_off::$function($(black_box($args)),*))
                }),
                Contender::new(Who::Rayon, || {
                    bench.rayon.install(|| on_rayon::$function($(black_box($args)),*))
                }),
                Contender::new(Who::Seq, || sequential::$function($(black_box($args)),*)),
            ];
            let expected = sequential::$function($($args),*);
            let row = measure($name, expected, &contenders, bench.settings.rounds);
            bench.table.print_row(&row);
        }
    };
}

fn main() {
    let settings = Settings::from_env();
    let threads = settings.threads.get();
    let bench = &Bench {
        veda: veda::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("building the veda pool"),
        veda_telemetry_off: veda_telemetry_off::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("building the telemetry-off veda pool"),
        rayon: rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("building the rayon pool"),
        settings,
        table: Table::new(&[Who::Veda, Who::VedaTelemetryOff, Who::Rayon, Who::Seq]),
    };

    let values = pseudo_random(LARGE, 0x9E37_79B9_7F4A_7C15);
    let others = pseudo_random(LARGE, 0x2545_F491_4F6C_DD1D);
    let strings: Vec<String> = pseudo_random(STRINGS, 7)
        .iter()
        .map(|v| format!("{:x}", v >> (v % 48)))
        .collect();
    let small: Vec<u64> = (0..SMALL as u64).collect();
    let (values, others, strings, small) = (&values[..], &others[..], &strings[..], &small[..]);

    println!(
        "iter: {threads} threads per pool, {} rounds, contenders shuffled each round; \
         ratios are medians of per-round rayon/veda (> 1.0: veda faster)",
        bench.settings.rounds
    );
    bench.table.print_header();
    row!(bench, "sum of squares", sum_of_squares(values));
    row!(bench, "map collect", map_collect(values));
    row!(bench, "filter collect", filter_collect(values));
    row!(bench, "flat_map", flat_map(3_000, 3_000));
    row!(bench, "fold histogram", histogram(values));
    row!(bench, "sort u64", sort(values));
    row!(bench, "sort_unstable", sort_unstable(values));
    row!(bench, "sort strings", sort_strings(strings));
    row!(bench, "chunks", chunks(values));
    row!(bench, "zip", zip(values, others));
    row!(bench, "small inputs", small_inputs(small));
}
