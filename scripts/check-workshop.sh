#!/usr/bin/env bash
# The workshop never rots: every exercise's starter test fails as shipped, and passes once its worked solution
# (docs/workshop/solutions/exercise-N.patch) is applied to a scratch copy of the repository. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=$root/.venv/bin/python
status=0
for solution in docs/workshop/solutions/exercise-*.patch; do
  number=$(basename "$solution" .patch); number=${number#exercise-}
  check="tests/workshop/test_exercise_$number.py"
  if "$python" -m pytest -q -p no:cacheprovider "$check" > /dev/null 2>&1; then
    echo "exercise $number: its starter test passes with no work done: it checks nothing"; status=1; continue
  fi
  scratch=$(mktemp -d)
  git archive HEAD | tar -x -C "$scratch"
  find storefront sandbox -name '*.mo' -exec cp --parents {} "$scratch" \;  # built, not committed
  # Fuzz: a solution that appends a translation still applies when the catalog's last lines have changed.
  (cd "$scratch" && patch -p1 --fuzz=3 --forward --quiet < "$root/$solution")
  # A solution that adds a Japanese text needs the catalog built again, as `make exercise N` does.
  (cd "$scratch" && "$root/.venv/bin/pybabel" compile -d storefront/translations > /dev/null)
  if (cd "$scratch" && "$python" -m pytest -q -p no:cacheprovider "$check"); then
    echo "exercise $number: fails on the starter, passes with its solution"
  else
    echo "exercise $number: its worked solution no longer passes"; status=1
  fi
  rm -rf "$scratch"
done
exit $status
