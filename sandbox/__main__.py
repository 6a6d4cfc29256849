"""`python -m sandbox`: the same as the `smartpay-sandbox` command (sandbox/cli.py)."""
from .cli import main

if __name__ == "__main__":
    main()
