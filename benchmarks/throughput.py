"""Shop pages beside a bare Flask page, measured side by side in one run (see throughput.sh).

Both run under the same gunicorn settings (2 sync workers, no access log). For each page, `wrk -t1 -c8` runs
4 s against the bare page and 4 s against the shop's page, in 5 interleaved rounds. Requests per second swing
2–3× on a shared machine, so the figure that counts is the server's CPU time per request (gunicorn's master and
workers, from /proc before and after each run): each round gives bare CPU / page CPU, and the median of the
rounds is printed, with requests per second beside it.
"""
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
ROUNDS, SECONDS = int(os.environ.get("THROUGHPUT_ROUNDS", 5)), 4
TICKS = os.sysconf("SC_CLK_TCK")
TARGETS = {"catalog": 0.6, "product": 0.7, "cart": 0.6, "add to cart": 0.4}
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PRODUCT_ID = re.compile(r'name="product_id" value="(\d+)"')


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn, 2 sync workers, no access log, on a free port."""

    def __init__(self, app: str, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning", app],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit(f"{app} did not start")

    def cpu_seconds(self) -> float:
        pids = [self.process.pid] + [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()]
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def wrk(server: Server, path: str, script: Path | None = None) -> tuple[float, float]:
    """Requests per second and CPU seconds per request of one wrk run."""
    before = server.cpu_seconds()
    command = ["wrk", "-t1", "-c8", f"-d{SECONDS}s", server.url + path]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = server.cpu_seconds() - before
    count = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        raise SystemExit(f"{path}: {bad.group(1)} answers were errors:\n{output}")
    return count / SECONDS, cpu / max(count, 1)


def database(kind: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='throughput-')}/shop.sqlite3", None
    started = subprocess.run(["bash", "scripts/pg-throwaway.sh", "start"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in started.split() if "=" in line)
    return values["DATABASE_URL"], values["PG_DIR"]


def shopper_sessions(shop: Server, count: int) -> Path:
    """Many shoppers, each with its cookie and CSRF token, for wrk to POST add-to-cart as (one line each)."""
    lines = []
    for n in range(count):
        browser = requests.Session()
        page = browser.get(f"{shop.url}/products/kyoto-hojicha", timeout=10).text
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
        lines.append(f"{cookie}\t{CSRF.search(page).group(1)}")
    sessions = Path(tempfile.mkdtemp()) / "sessions.tsv"
    sessions.write_text("\n".join(lines) + "\n")
    return sessions


def add_to_cart_script(sessions: Path, product_ids: list[str]) -> Path:
    script = sessions.with_name("add.lua")
    script.write_text(f"""
local sessions, products, n = {{}}, {{{", ".join(product_ids)}}}, 0
for line in io.lines("{sessions}") do
  local cookie, token = line:match("([^\\t]+)\\t([^\\t]+)")
  table.insert(sessions, {{cookie = cookie, token = token}})
end
request = function()
  n = n + 1
  local s = sessions[(n % #sessions) + 1]
  local body = "csrf_token=" .. s.token .. "&quantity=1&product_id=" .. products[(n % #products) + 1]
  return wrk.format("POST", "/cart/add", {{["Cookie"] = s.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
""")
    return script


def cart_script(sessions: Path) -> Path:
    """GET /cart as a shopper whose cart holds two products (the first session, filled beforehand)."""
    cookie = sessions.read_text().splitlines()[0].split("\t")[0]
    script = sessions.with_name("cart.lua")
    script.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n')
    return script


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if kind not in ("sqlite", "postgres"):
        raise SystemExit("usage: benchmarks/throughput.sh [sqlite|postgres]")
    url, pg_dir = database(kind)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "FLASK_APP": "wsgi",
           "SMARTPAY_SECRET_KEY": "sk_test_throughput", "SMARTPAY_API_URL": "http://127.0.0.1:9/v1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(BIN / "flask"), "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    shop, bare = Server("wsgi:app", env), Server("benchmarks.bare_app:app", env)
    try:
        sessions = shopper_sessions(shop, 2000)
        product_page = requests.get(f"{shop.url}/products/kyoto-hojicha", timeout=10).text
        ids = sorted({PRODUCT_ID.search(requests.get(f"{shop.url}/products/{slug}", timeout=10).text).group(1)
                      for slug in ("kyoto-hojicha", "tenugui-waves", "shizuoka-sencha", "furoshiki-70")})
        first = sessions.read_text().splitlines()[0].split("\t")
        for product_id in ids[:2]:  # the cart page's shopper holds two products
            requests.post(f"{shop.url}/cart/add", headers={"Cookie": first[0]}, timeout=10, allow_redirects=False,
                          data={"csrf_token": first[1], "product_id": product_id, "quantity": 1})
        assert CSRF.search(product_page)
        pages = {"catalog": ("/", None), "product": ("/products/kyoto-hojicha", None),
                 "cart": ("/cart", cart_script(sessions)), "add to cart": ("/cart/add", add_to_cart_script(sessions, ids))}
        results = {name: {"rps": [], "cpu": []} for name in pages}
        for round_number in range(1, ROUNDS + 1):
            for name, (path, script) in pages.items():
                bare_rps, bare_cpu = wrk(bare, "/")
                rps, cpu = wrk(shop, path, script)
                results[name]["rps"].append(rps / bare_rps)
                results[name]["cpu"].append(bare_cpu / cpu)
            print(f"round {round_number}/{ROUNDS} done", flush=True)
        print(f"\n{kind}: gunicorn, 2 sync workers; wrk -t1 -c8, {SECONDS} s a run, {ROUNDS} interleaved rounds; "
              "ratio to a bare Flask page (median of rounds)")
        print(f"{'page':<13} {'by CPU per request':>19} {'target':>7} {'by requests/s':>14}")
        missed = 0
        for name, result in results.items():
            ratio = statistics.median(result["cpu"])
            missed += ratio < TARGETS[name]
            print(f"{name:<13} {ratio:>18.2f}x {TARGETS[name]:>6.1f}x {statistics.median(result['rps']):>13.2f}x")
        return 1 if missed else 0
    finally:
        shop.stop()
        bare.stop()
        if pg_dir:
            subprocess.run(["bash", "scripts/pg-throwaway.sh", "stop", pg_dir], cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
