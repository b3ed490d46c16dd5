from s2c.bench import median_row, time_runs


def test_a_bench_row_is_the_median_and_spread_of_the_timed_runs_without_the_warm_up():
    samples = iter([1000.0, 5.0, 1.0, 3.0])  # the first call is the warm-up: never counted
    row = median_row(time_runs(lambda: {"dec_ms": next(samples)}, runs=3))
    assert row == {"dec_ms": 3.0, "spread": {"dec_ms": [1.0, 5.0]}}
