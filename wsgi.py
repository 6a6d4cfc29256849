"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi ...`)."""
import sys

from storefront import create_app
from storefront.config import ConfigError

try:
    app = create_app()
except ConfigError as problem:
    # One plain sentence saying which setting and how to fix it, not a stack trace.
    sys.exit(f"Configuration error: {problem}")
