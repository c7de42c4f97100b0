"""python -m mote: the `mote` command line."""
import sys

from .cli import main

sys.exit(main())
