//! The `/metrics` endpoint, scraped over loopback with a real HTTP client.
#![cfg(feature = "telemetry-http")]

mod common;

use veda::telemetry::export::{MetricsServer, ServeError};

#[test]
fn metrics_are_served_over_loopback() {
    let pool = common::pool(2);
    pool.scope(|s| (0..10).for_each(|_| s.spawn(|_| {})));
    let server = MetricsServer::bind("127.0.0.1:0", pool.metrics()).unwrap();
    let url = format!("http://{}/metrics", server.local_addr());
    let mut response = ureq::get(&url).call().unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"));
    let body = response.body_mut().read_to_string().unwrap();
    let scrape =
        prometheus_parse::Scrape::parse(body.lines().map(|line| Ok(line.to_owned()))).unwrap();
    let tasks: f64 = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "veda_tasks_total")
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(value) => value,
            _ => panic!("not a counter"),
        })
        .sum();
    assert_eq!(tasks, 11.0);

    // A second scrape sees new work.
    pool.scope(|s| s.spawn(|_| {}));
    let body = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(body.contains("veda_tasks_total"));

    let missing = ureq::get(&format!("http://{}/other", server.local_addr())).call();
    assert!(
        matches!(missing, Err(ureq::Error::StatusCode(404))),
        "{missing:?}"
    );
    drop(server);
}

#[test]
fn only_loopback_addresses_are_accepted() {
    let metrics = common::pool(1).metrics();
    let error = MetricsServer::bind("0.0.0.0:0", metrics).unwrap_err();
    assert!(matches!(error, ServeError::NotLoopback(_)), "{error}");
    assert!(error.to_string().contains("loopback"));
}
