"""Subcommands of the `planbot` command line that belong to `bot`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's subcommands."""
