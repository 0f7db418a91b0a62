"""`python -m bench.lighthouse BASE_URL [PAGE ...]`: the table of bench/lighthouse/cli.py."""

import sys

from bench.lighthouse.cli import main

raise SystemExit(main(sys.argv[1:]))
