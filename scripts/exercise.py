"""`make exercise N`: run one workshop exercise's check and say plainly whether it is done."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if len(sys.argv) != 2 or not (ROOT / "tests" / "workshop" / f"test_exercise_{sys.argv[1]}.py").exists():
    checks = sorted(p.stem.removeprefix("test_exercise_") for p in (ROOT / "tests" / "workshop").glob("test_exercise_*.py"))
    sys.exit(f"Usage: make exercise N, where N is one of {', '.join(checks)} (docs/workshop/exercises.md)")
number = sys.argv[1]
result = subprocess.run([sys.executable, "-m", "pytest", f"tests/workshop/test_exercise_{number}.py", "-q",
                         "--tb=line", "--show-capture=no", "-p", "no:cacheprovider"], cwd=ROOT)
print(f"\nExercise {number}: " + ("done. Well done!" if result.returncode == 0 else
                                  "not yet. The line starting with 'Still missing' above says what to do next."))
sys.exit(result.returncode)
