"""`python -m eval`: see eval/README.md."""

import sys

from .cli import main

sys.exit(main())
