"""Build hook: the wheel carries the data folders the package reads at run time.

They stay at the repository root, where people edit them; ``coach.paths.BUNDLED_DATA`` names
them, and a built wheel gets a copy of each under ``coach/_data``.
"""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from coach.paths import BUNDLED_DATA, BUNDLED_FOLDER  # noqa: E402


class BuildWithData(build_py):
    """``build_py`` that also copies the data folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout
            return
        target = Path(self.build_lib) / "coach" / BUNDLED_FOLDER
        for relative in BUNDLED_DATA:
            source, copy = ROOT / relative, target / relative
            if source.is_dir():
                shutil.copytree(source, copy, dirs_exist_ok=True, ignore=_ignored)
            else:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)


_ignored = shutil.ignore_patterns("__pycache__", "*.pyc")

setup(cmdclass={"build_py": BuildWithData})
