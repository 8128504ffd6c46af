"""gunicorn settings: one file for the image, docker compose and `manage.py load_bench` (command-line flags win).

`gunicorn -c config/gunicorn.py config.wsgi:application`. Sized by the environment, so that a bigger machine
needs no new image: WEB_CONCURRENCY processes (gunicorn's own variable) × GUNICORN_THREADS threads each.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads, not only processes: a page spends most of its time waiting for PostgreSQL (issue 20: 54–85 %), and a
# waiting thread releases the GIL, so 3 processes × 2 threads serve 6 requests at once on 2 cores for the memory
# of 3 processes. Each thread holds one persistent database connection (CONN_MAX_AGE): processes × threads ×
# web machines must stay below PostgreSQL's max_connections (docs/ARCHITECTURE.md, "Scaling out").
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# A load balancer keeps connections open to reuse them: gunicorn must not close one first (its default is 2 s,
# shorter than most balancers' idle timeout), or the balancer sends a request down a closing connection.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Access lines to stdout, where the container runtime collects them; GUNICORN_ACCESS_LOG= (empty) turns them off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The control socket's default path is one per machine user: a second gunicorn on the machine would take it over.
control_socket_disable = True
