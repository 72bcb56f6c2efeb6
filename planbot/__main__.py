"""Entry point for ``python -m planbot``."""

from planbot.cli import main

raise SystemExit(main())
