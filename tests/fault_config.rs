//! Fault-isolation defaults in `Config`, and their checks.

use std::time::Duration;
use veda::fault::{BreakerConfig, RetryPolicy, Task};
use veda::{Config, ConfigError};

#[test]
fn invalid_retry_policies_are_typed_errors() {
    let cases = [
        (RetryPolicy::new(0), ConfigError::ZeroRetryAttempts),
        (
            RetryPolicy::new(2).multiplier(0.5),
            ConfigError::InvalidRetryMultiplier { multiplier: 0.5 },
        ),
        (
            RetryPolicy::new(2).jitter(-0.1),
            ConfigError::InvalidRetryJitter { jitter: -0.1 },
        ),
        (
            RetryPolicy::new(2)
                .initial_backoff(Duration::from_secs(2))
                .max_backoff(Duration::from_secs(1)),
            ConfigError::InitialBackoffAboveMax {
                initial: Duration::from_secs(2),
                max: Duration::from_secs(1),
            },
        ),
    ];
    for (policy, expected) in cases {
        let error = Config::builder().fault_retry(policy).build().unwrap_err();
        assert_eq!(error, expected);
        assert!(error.to_string().contains("RetryPolicy::"), "{error}");
    }
    assert!(matches!(
        RetryPolicy::new(2).multiplier(f64::NAN).validate(),
        Err(ConfigError::InvalidRetryMultiplier { .. })
    ));
}

#[test]
fn invalid_breaker_thresholds_are_typed_errors() {
    let error = Config::builder()
        .circuit_breaker(BreakerConfig::new(
            0,
            Duration::from_secs(1),
            Duration::ZERO,
        ))
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::ZeroFailureThreshold);
}

#[test]
fn the_configured_retry_policy_is_every_tasks_default() {
    let config = Config::builder()
        .num_threads(2)
        .fault_retry(RetryPolicy::new(3).initial_backoff(Duration::from_millis(1)))
        .circuit_breaker(BreakerConfig::new(
            7,
            Duration::from_secs(1),
            Duration::from_secs(1),
        ))
        .build()
        .unwrap();
    assert_eq!(config.circuit_breaker().unwrap().failure_threshold(), 7);
    veda::shutdown();
    veda::init_with_config(config).unwrap();
    let attempts = Task::new()
        .spawn(|ctx| {
            assert!(ctx.attempt() == 3, "fails until the third attempt");
            ctx.attempt()
        })
        .join()
        .unwrap();
    assert_eq!(attempts, 3);
    veda::shutdown();
}

#[test]
fn backoff_grows_and_jitter_shortens() {
    let policy = RetryPolicy::new(10)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(100))
        .multiplier(3.0)
        .jitter(0.5);
    assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(10));
    assert_eq!(policy.backoff(2, 0.0), Duration::from_millis(30));
    assert_eq!(policy.backoff(3, 0.0), Duration::from_millis(90));
    assert_eq!(policy.backoff(4, 0.0), Duration::from_millis(100));
    assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(5));
    assert_eq!(policy.backoff(u32::MAX, 0.0), Duration::from_millis(100));
}
