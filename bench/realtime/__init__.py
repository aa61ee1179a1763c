"""Live-update benchmark: `make bench-realtime` (or `python -m bench.realtime`, QUICK=1 for a smoke run).

Measures, for eventlet and gevent, how fast a vote's new counts reach N socket clients of
one campaign, against a bare python-socketio broadcast in the same run; the server's memory
per connection; the highest vote rate 1,000 clients keep up with; and 5,000 connections held.
"""
