"""``python -m coach`` runs the ``coach`` command."""

import sys

from coach.cli import main

sys.exit(main())
