"""The supervision office's weekly status round, reports and exports."""
