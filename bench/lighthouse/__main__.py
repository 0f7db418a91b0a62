"""`python -m bench.lighthouse URL [URL ...]`: desktop and mobile scores per URL."""

import sys

from bench.lighthouse import main

raise SystemExit(main(sys.argv[1:]))
