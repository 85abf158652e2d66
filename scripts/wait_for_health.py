"""Wait until URL answers 200 (at most WAIT seconds, default 120) while process PID lives; exit 0 when it does.

python scripts/wait_for_health.py http://127.0.0.1:8000/api/health/ 12345
"""

import os
import sys
import time
import urllib.error
import urllib.request


def main(url: str, pid: int, wait: float) -> int:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return 1  # the server exited: it will not come up
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return 0
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), float(os.environ.get("WAIT", "120"))))
