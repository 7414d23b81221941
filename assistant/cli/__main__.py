"""``python -m assistant.cli``: the evchat command."""

import sys

from assistant.cli import main

sys.exit(main())
