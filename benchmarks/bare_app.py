"""The yardstick of benchmarks/throughput.py: a bare Flask page rendering a 12-item list from a Python list.

What Flask itself can serve on this machine: the shop's pages are measured as a ratio to it.
"""
from flask import Flask, render_template_string

ITEMS = [{"name": f"Item {n}", "price": 1000 + n} for n in range(12)]
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body><ul>
{% for item in items %}<li>{{ item.name }}: ¥{{ "{:,}".format(item.price) }}</li>{% endfor %}
</ul></body></html>"""

app = Flask(__name__)


@app.get("/")
def bare():
    return render_template_string(PAGE, items=ITEMS)
