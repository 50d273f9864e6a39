"""gunicorn's settings for Casebook: `gunicorn --config config/gunicorn.conf.py config.wsgi`.

Threaded workers (gthread), not gunicorn's default sync workers. A sync worker serves one
connection at a time from accept to response and closes it after one answer, so eight
clients sending their headers slowly froze the whole site, /healthz included. A gthread
worker waits for a request's first bytes without a thread and keeps connections alive, but it
still reads the headers in one of its threads: a worker that gets more slow clients than it
has threads stops answering. So gunicorn alone does not resist slow clients; the deployment
puts nginx in front (deploy/nginx/), which hands gunicorn only whole requests. Figures in
benchmarks/README.md.

Every setting can be changed from the environment; options on gunicorn's command line win.
Each thread keeps its own database connection (DJANGO_CONN_MAX_AGE), so a host may hold up to
`workers * threads` connections to PostgreSQL: keep that under its max_connections.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# gthread's main loop keeps the worker alive while a thread serves a long request (a big CSV
# export); a worker whose loop is stuck this long is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# How long an idle kept-alive connection, or one that has sent nothing yet, is kept (without a
# thread) before it is closed.
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
