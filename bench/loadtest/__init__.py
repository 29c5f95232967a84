"""The load test: bench/loadtest/__main__.py runs the server and locust (locustfile.py)."""
