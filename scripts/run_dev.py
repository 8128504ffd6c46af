"""Starts the portal for `make run`: the web server plus a Celery worker with beat, and stops them together.

Each child runs in its own session so that Ctrl-C reaches only this launcher, which then stops every child by
its main PID. (A Celery worker sent SIGTERM as a whole process group can hang in billiard.)
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_SIGN_INS = [
    ("Aspiring leader", "aspiring@example.org"),
    ("Mentor (medical director)", "mentor@example.org"),
    ("Organiser", "organiser@example.org"),
    ("Facilitator", "facilitator@example.org"),
    ("Administrator", "admin@example.org"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    if not 1 <= args.port <= 65535:
        parser.error("--port must be between 1 and 65535")

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local")}
    # Links in e-mails and calendar feeds must point where this server really listens.
    env.setdefault("PORTAL_BASE_URL", f"http://127.0.0.1:{args.port}")
    (ROOT / "var" / "broker" / "queue").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "broker" / "processed").mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        "worker": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--pool=solo",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    children = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True) for name, cmd in commands.items()
    }
    _announce(args.port)

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children.values()):
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    failed = [name for name, child in children.items() if child.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0


def _announce(port: int) -> None:
    print(f"\n  Stepping Up is starting on http://127.0.0.1:{port}/\n", flush=True)
    print("  Demo sign-ins (password: stepping-up-demo):", flush=True)
    for role, email in DEMO_SIGN_INS:
        print(f"    {role:<28} {email}", flush=True)
    print("\n  Press Ctrl-C to stop the web server and the Celery worker.\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
