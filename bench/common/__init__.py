"""What every benchmark shares: starting and watching server processes (``process``), the load
generator (``load``), the bare baselines' listening code (``serving``) and the report writer
(``report``). Benchmarks import from here, never from each other."""
