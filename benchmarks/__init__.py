"""Benchmarks of issue #7: ingest throughput against the model's ceiling and LlamaIndex's default,
re-ingest, retrieval latency at scale, `ask` end to end, cold start. Run `python -m benchmarks`.

Not imported by the `assistant` package, and not a test suite: timings are never asserted.
"""
