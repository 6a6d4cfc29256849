"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

The app keeps no state in the process (carts, orders and webhook events live in the database), so any
number of workers on any number of machines can share one PostgreSQL.
"""
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Smartpay calls are network-bound; a thread or two per worker keeps a slow call from blocking others.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30            # longer than SMARTPAY_TIMEOUT × retries, so a slow Smartpay is answered, not killed
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
# Behind a proxy on the same host: trust its X-Forwarded-* headers (set PROXY_FIX=1 for the app too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
