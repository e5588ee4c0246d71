"""Benchmarks: run by hand and by `make bench`, never as tests. Each prints `name value`
lines; timings are ratios against a baseline measured in the same process where a ratio
makes sense, because these machines are shared and noisy."""
