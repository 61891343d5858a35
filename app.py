"""The chat app: `python app.py` locally, and the same file as a Hugging Face Space."""

import sys
from pathlib import Path

try:
    import qa  # noqa: F401
except ImportError:  # a Space runs this file from a checkout where the package is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from qa.ui import LAUNCH_OPTIONS, build_demo

demo = build_demo()

if __name__ == "__main__":
    demo.launch(**LAUNCH_OPTIONS)
