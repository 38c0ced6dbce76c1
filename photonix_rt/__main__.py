"""Run the command line: ``python -m photonix_rt``."""

from photonix_rt.cli import main

raise SystemExit(main())
