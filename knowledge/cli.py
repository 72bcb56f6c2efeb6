"""Subcommands of the `planbot` command line that belong to `knowledge`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's subcommands."""
